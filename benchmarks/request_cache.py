"""The request cache at paper scale: bytes per cached answer and lookups per second, first layout vs hashed layout, in one run.

    python benchmarks/request_cache.py [--old /tmp/orig] [--answers 2000] [--big 1000000] [--lookups 100000]

Requests are the paper's in-context prompts (`configs/llm_icl.yaml`: 2 demonstrations per class from the synthetic
pool, drawn per test text, every task and language of the paper data) to Llama-3.1-8B-Instruct, each answered with a
label as a compact LLM writes it. Each layout is run by its own code in a child process: the old code from a checkout
given by --old (put on PYTHONPATH), the new code from this checkout.

1. Bytes per answer: `--answers` answers put one by one through `RequestCache.put` (the old code commits each; the new
   one in batches), the file closed (WAL checkpointed), its size divided by the answers.
2. Lookups per second: a cache of `--big` answers built with batched inserts (the old layout's rows written by
   `executemany`, the new layout through `put` with a 10,000-answer batch), then `--lookups` random keys looked up with
   `get_many`, 1,000 keys a call, as `Backend.generate` does for a batch of requests. The file lives in a temporary
   folder under /tmp and is deleted afterwards.
"""
import argparse, hashlib, json, os, random, subprocess, sys, tempfile, time
from pathlib import Path

MODEL = 'meta-llama/Llama-3.1-8B-Instruct'

def icl_requests(n:int, seed:int=0)->list:
    "`n` in-context classification requests from the paper data (as dicts), each with the answer a compact LLM gives."
    from synth_lowres.core import get_task
    from synth_lowres.data import load_pool, load_test
    from synth_lowres.prompts import classification_messages, draw_shots
    rng, cells, out = random.Random(seed), [], []
    for name in ('sentiment', 'topic', 'intent', 'sarcasm'):
        task = get_task(name)
        for lang in task.languages:
            try: pool, test = load_pool(task, lang, 'synthetic'), load_test(task, lang)
            except Exception: continue
            cells.append((task, lang, pool, test))
    for i in range(n):
        task, lang, pool, test = cells[i % len(cells)]
        j = rng.randrange(len(test))
        shots = draw_shots(list(pool['text']), list(pool['label']), 2, seed + i, n_classes=task.n_classes)
        msgs = classification_messages(task, test[j]['text'], shots)
        answer = task.verbalisers[rng.randrange(task.n_classes)]
        out.append({'messages': msgs, 'max_tokens': 20, 'answer': answer,
                    'prompt_tokens': sum(len(m['content']) for m in msgs) // 4, 'completion_tokens': 3})
    return out

def worker(args):
    "Runs inside the child process, with the old or the new package on the path."
    import sqlite3
    import synth_lowres.llm as llm
    from synth_lowres.llm import Completion, Request, RequestCache, request_key
    reqs = json.loads(Path(args.requests).read_text())
    def pair(d):
        r = Request(messages=d['messages'], max_tokens=d['max_tokens'])
        c = Completion(texts=[d['answer']], prompt_tokens=d['prompt_tokens'], completion_tokens=d['completion_tokens'],
                       seconds=0.05, finish_reasons=['stop'])
        return r, c
    out = {'layout': 'hashed' if hasattr(llm, 'CACHE_LAYOUT') else 'first', 'module': llm.__file__}
    tmp = Path(tempfile.mkdtemp(dir='/tmp', prefix='request_cache_bench_'))
    try:
        # 1. bytes per answer, through the public API
        db = tmp/'small.sqlite'
        cache = RequestCache(db)
        for d in reqs:
            r, c = pair(d); cache.put(request_key(MODEL, r), MODEL, r, c)
        cache.close()
        out['answers'] = len(reqs)
        out['bytes_per_answer'] = db.stat().st_size / len(reqs)
        # 2. a cache of `big` answers, batched inserts: row i has the SHA-256 of i as its key (a key like any other)
        #    and the i-th request and answer of `reqs`, cycled
        db, pairs = tmp/'big.sqlite', [pair(d) for d in reqs]
        keys = [hashlib.sha256(b'%d' % i).hexdigest() for i in range(args.big)]
        t0 = time.perf_counter()
        if out['layout'] == 'first':
            con = sqlite3.connect(db); con.execute('PRAGMA journal_mode=WAL'); con.execute('PRAGMA synchronous=NORMAL')
            con.execute('CREATE TABLE IF NOT EXISTS completions (key TEXT PRIMARY KEY, model TEXT, request TEXT, completion TEXT, created REAL)')
            for b in range(0, args.big, 10_000):
                rows = []
                for i in range(b, min(b + 10_000, args.big)):
                    r, c = pairs[i % len(pairs)]
                    rows.append((keys[i], MODEL, json.dumps(r.key_fields(), ensure_ascii=False), json.dumps({**c.__dict__, 'cached': False}, ensure_ascii=False), time.time()))
                con.executemany('INSERT OR REPLACE INTO completions VALUES (?,?,?,?,?)', rows); con.commit()
            con.execute('PRAGMA wal_checkpoint(TRUNCATE)'); con.close()
        else:
            cache = RequestCache(db, commit_every=10_000, commit_seconds=3600)
            for i in range(args.big): cache.put(keys[i], MODEL, *pairs[i % len(pairs)])
            cache.close()
        out['big_answers'], out['big_build_s'] = args.big, time.perf_counter() - t0
        out['big_bytes_per_answer'] = db.stat().st_size / args.big
        cache = RequestCache(db)
        rng = random.Random(1)
        probe = [rng.choice(keys) for _ in range(args.lookups)]
        t0 = time.perf_counter()
        found = 0
        for b in range(0, len(probe), 1000): found += len(cache.get_many(probe[b:b+1000]))
        secs = time.perf_counter() - t0
        assert found > 0.99 * len(set(probe)) - 1000, found
        out['lookups'], out['lookups_per_s'] = len(probe), len(probe) / secs
        cache.close()
    finally:
        for f in tmp.iterdir(): f.unlink()
        tmp.rmdir()
    print(json.dumps(out))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--old', default='/tmp/orig', help='checkout of the code before the hashed layout')
    ap.add_argument('--answers', type=int, default=2000); ap.add_argument('--big', type=int, default=1_000_000)
    ap.add_argument('--lookups', type=int, default=100_000)
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS); ap.add_argument('--requests', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker: return worker(a)
    with tempfile.NamedTemporaryFile('w', suffix='.json', dir='/tmp', delete=False) as f:
        json.dump(icl_requests(a.answers), f, ensure_ascii=False); reqs = f.name
    rows = []
    try:
        here = str(Path(__file__).resolve().parents[1])
        for name, path in (('old', a.old), ('new', here)):
            env = {**os.environ, 'PYTHONPATH': path}
            cmd = [sys.executable, __file__, '--worker', '--requests', reqs, '--big', str(a.big), '--lookups', str(a.lookups)]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd='/tmp')
            if p.returncode: sys.exit(f'{name} code failed:\n{p.stderr[-3000:]}')
            rows.append({'code': name, **json.loads(p.stdout.strip().splitlines()[-1])}); print(rows[-1], flush=True)
    finally: os.unlink(reqs)
    old, new = rows
    print(f"\n| layout | bytes per answer ({a.answers} ICL answers) | bytes per answer ({a.big:,} answers) | lookups/s ({a.lookups:,} random keys, 1,000 a call) |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['code']} ({r['layout']}) | {r['bytes_per_answer']:,.0f} | {r['big_bytes_per_answer']:,.0f} | {r['lookups_per_s']:,.0f} |")
    print(f"\nbytes per answer: {old['bytes_per_answer']/new['bytes_per_answer']:.1f}x smaller; lookups: {new['lookups_per_s']/old['lookups_per_s']:.1f}x")

if __name__ == '__main__': main()
