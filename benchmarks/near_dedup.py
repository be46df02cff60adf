"""Near-duplicate removal (synth_lowres.filter.near_duplicates: MinHash LSH over character 4-grams, verified by
exact Jaccard) over synthetic short texts: wall time, throughput, peak memory, recall of planted near-duplicates and
precision of the flagged pairs; and exact duplicate removal (synth_lowres.filter.exact_duplicates) on the same texts.

    python benchmarks/near_dedup.py --sizes 10000 100000 1000000
    python benchmarks/near_dedup.py --impl datasketch --sizes 100000   # the row-by-row datasketch filter it replaced

(`--impl datasketch` uses today's `normalise`; to time a whole older package, put its copy first on PYTHONPATH.)

Each size runs in a fresh child process so its peak memory (ru_maxrss) is its own. The texts are generated here:
10-100 character "utterances" from a random vocabulary (Latin and Thai script), of which a share are planted
near-duplicates (one word changed, or a character dropped, of an earlier text) and a share exact copies.
The vectorised filter uses every core it is given (numpy in threads); `--impl datasketch` is sequential Python.
The machine may be shared, so note its load.
"""
import argparse, json, os, random, resource, subprocess, sys, time

def make_texts(n, seed=0, near_share=0.10, exact_share=0.02):
    "n short texts; returns (texts, planted) where planted[i] = index of the text i was derived from, else -1."
    rng = random.Random(seed)
    latin = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 9))) for _ in range(20000)]
    thai = [''.join(rng.choice('กขคงจฉชซญดตถทนบปผพฟมยรลวสหอะาิีึืุูเแโใไ่้๊๋') for _ in range(rng.randint(2, 7))) for _ in range(5000)]
    texts, planted = [], []
    for i in range(n):
        r = rng.random()
        if i > 10 and r < near_share:
            j = rng.randrange(i)
            words = texts[j].split()
            if len(words) > 3 and rng.random() < 0.5:
                words[rng.randrange(len(words))] = rng.choice(latin)
                t = ' '.join(words)
            else:
                k = rng.randrange(len(texts[j]))
                t = texts[j][:k] + texts[j][k+1:]
            texts.append(t); planted.append(j)
        elif i > 10 and r < near_share + exact_share:
            j = rng.randrange(i); texts.append(texts[j]); planted.append(j)
        else:
            vocab = thai if rng.random() < 0.2 else latin
            words, t = [], ''
            target = rng.randint(10, 100)
            while len(t) < target: words.append(rng.choice(vocab)); t = ' '.join(words)
            texts.append(t[:100]); planted.append(-1)
    return texts, planted

def datasketch_near_duplicates(texts, threshold=0.8, n=4, num_perm=64, seed=1):
    "The filter before vectorisation: one datasketch MinHash per row, queried and inserted row by row (for comparison)."
    import zlib, numpy as np, pandas as pd
    from datasketch import MinHash, MinHashLSH
    from synth_lowres.filter import jaccard, shingles, normalise
    norm = [normalise(t) for t in texts]
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
    mhs = MinHash.generator(([s.encode('utf-8') for s in shingles(t, n)] for t in norm), num_perm=num_perm, seed=seed, hashfunc=zlib.crc32)
    dup_of, sim = np.full(len(norm), -1, dtype=np.int64), np.full(len(norm), np.nan)
    for i, mh in enumerate(mhs):
        cands = lsh.query(mh)
        if cands:
            mine = shingles(norm[i], n)
            best, bj = -1, -1.0
            for c in sorted(cands):
                j = jaccard(mine, shingles(norm[c], n))
                if j > bj: best, bj = c, j
            if bj >= threshold:
                dup_of[i], sim[i] = best, bj
                continue
        lsh.insert(i, mh)
    return pd.DataFrame({'dup_of': dup_of, 'jaccard': sim})

def run_one(n, threshold, num_perm, impl):
    from synth_lowres.filter import near_duplicates, exact_duplicates, jaccard, shingles, normalise
    t0 = time.time(); texts, planted = make_texts(n); gen_s = time.time() - t0
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); c0 = time.process_time()
    res = (near_duplicates if impl == 'vectorised' else datasketch_near_duplicates)(texts, threshold=threshold, num_perm=num_perm)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter(); exact = exact_duplicates(texts); exact_s = time.perf_counter() - t0
    dup = res.dup_of.to_numpy()
    # recall: planted copies whose true Jaccard to their source is >= threshold and that were flagged
    should = [i for i, j in enumerate(planted) if j >= 0 and jaccard(shingles(normalise(texts[i])), shingles(normalise(texts[j]))) >= threshold]
    found = sum(dup[i] >= 0 for i in should)
    # precision: flagged rows whose reported earlier row really is within the threshold (exact Jaccard of the strings' shingles)
    flagged = [i for i in range(n) if dup[i] >= 0]
    true_pairs = sum(jaccard(shingles(normalise(texts[i])), shingles(normalise(texts[dup[i]]))) >= threshold for i in flagged)
    later = [i for i in range(n) if dup[i] >= 0 and dup[i] >= i]
    planted_flagged = sum(planted[i] >= 0 for i in flagged)   # flagged rows that were planted (copies or near copies)
    return {'impl': impl, 'n': n, 'threshold': threshold, 'num_perm': num_perm, 'flagged': len(flagged), 'planted_above_threshold': len(should),
            'recall_planted': round(found / max(1, len(should)), 4), 'precision_pairs': round(true_pairs / max(1, len(flagged)), 4),
            'precision_planted': round(planted_flagged / max(1, len(flagged)), 4),
            'points_to_later_row': len(later), 'wall_s': round(wall, 1), 'cpu_s': round(cpu, 1),
            'texts_per_s': round(n / wall), 'peak_rss_mb': round(peak / 1024), 'rss_before_mb': round(base / 1024),
            'exact_dups': int((exact >= 0).sum()), 'exact_wall_s': round(exact_s, 1),
            'generate_texts_s': round(gen_s, 1), 'load_avg': os.getloadavg()}

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', type=int, nargs='+', default=[10_000, 100_000, 1_000_000])
    ap.add_argument('--threshold', type=float, default=0.8)
    ap.add_argument('--num-perm', type=int, default=64)
    ap.add_argument('--impl', choices=['vectorised', 'datasketch'], default='vectorised')
    ap.add_argument('--child', type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(run_one(a.child, a.threshold, a.num_perm, a.impl))); sys.exit()
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()}")
    for n in a.sizes:
        r = subprocess.run([sys.executable, __file__, '--child', str(n), '--threshold', str(a.threshold), '--num-perm', str(a.num_perm), '--impl', a.impl],
                           capture_output=True, text=True)
        if r.returncode: print(f"n={n}: failed\n{r.stderr[-2000:]}"); break
        print(r.stdout.strip(), flush=True)
