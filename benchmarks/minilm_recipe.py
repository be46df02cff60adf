"""MiniLM fine-tuning with the paper's recipe (50 epochs, lr 1e-5, dropout 0.2, paper batch sizes) on topic and
intent, en and sw, synthetic and human data: size 50 (3 repeats) and size 200 (1 repeat). Macro-F1 and seconds per run.

    python benchmarks/minilm_recipe.py --out /tmp/minilm.jsonl [--workers 2] [--threads 1]

Resumable: runs already in --out are skipped. Each run is one line of JSON (wall and CPU seconds of fit and predict,
the load average when it finished: on a shared machine wall time follows the load, CPU time much less).
Runs are ordered so that every setting gets its first size-50 run before any repeat.
"""
import argparse, json, os, time, warnings
from multiprocessing import get_context

def jobs():
    combos = [(t, l, s) for t in ('topic', 'intent') for l in ('en', 'sw') for s in ('synthetic', 'human')]
    return [(*c, 50, 0) for c in combos] + [(*c, 200, 0) for c in combos] + [(*c, 50, r) for r in (1, 2) for c in combos]

def run(job, threads=1):
    warnings.simplefilter('ignore')
    import transformers; transformers.logging.set_verbosity_error(); transformers.utils.logging.disable_progress_bar()
    from synth_lowres.students import make_student
    from synth_lowres.data import load_pool, load_test, sample_per_class
    from synth_lowres.core import repeat_seeds
    task, lang, source, size, rep = job
    seed = repeat_seeds(3)[rep]
    st = make_student({'method': 'finetune', 'model': 'sentence-transformers/all-MiniLM-L6-v2', 'threads': threads}, task, lang)
    train, test = sample_per_class(load_pool(task, lang, source), size, seed), load_test(task, lang)
    w, c = time.time(), time.process_time(); st.fit(train, seed); fw, fc = time.time() - w, time.process_time() - c
    w, c = time.time(), time.process_time(); s = st.score(test); pw, pc = time.time() - w, time.process_time() - c
    row = dict(task=task, lang=lang, source=source, size=size, repeat=rep, seed=seed, n_train=len(train),
               batch_size=st.training_arguments(len(train), seed, '.').per_device_train_batch_size,
               macro_f1=s['macro_f1'], accuracy=s['accuracy'], train_loss=st.train_loss, fit_wall_s=fw, fit_cpu_s=fc,
               predict_wall_s=pw, predict_cpu_s=pc, threads=threads, load1=os.getloadavg()[0], finished=time.strftime('%H:%M:%S'))
    st.close()
    return row

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='minilm_recipe.jsonl', help='JSON-lines results file (appended to, resumable)')
    ap.add_argument('--workers', type=int, default=2, help='runs in parallel processes')
    ap.add_argument('--threads', type=int, default=1, help='torch threads per run')
    a = ap.parse_args()
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    done = set()
    if os.path.exists(a.out):
        for l in open(a.out): r = json.loads(l); done.add((r['task'], r['lang'], r['source'], r['size'], r['repeat']))
    todo = [j for j in jobs() if j not in done]
    print(time.strftime('%H:%M:%S'), f"{len(todo)} runs to do, {a.workers} workers, {a.threads} torch thread(s) each", flush=True)
    from functools import partial
    with get_context('spawn').Pool(a.workers, maxtasksperchild=4) as pool:
        for row in pool.imap_unordered(partial(run, threads=a.threads), todo):
            with open(a.out, 'a') as f: f.write(json.dumps(row) + '\n')
            print(time.strftime('%H:%M:%S'), json.dumps(row), flush=True)

if __name__ == '__main__': main()
