"""Seconds per fit and per prediction of the students, to compare later changes against.

    python benchmarks/students.py                 # classical + finetune (tiny encoder, MiniLM 1 epoch)
    python benchmarks/students.py --epochs 50     # MiniLM with the paper's 50 epochs (minutes)
    python benchmarks/students.py --only classical

Needs the paper's data (SYNTH_LOWRES_DATA or --data). Prints wall and CPU seconds: on a shared machine
wall time depends on the load (printed), CPU time much less so.
"""
import argparse, os, tempfile, time, warnings
import numpy as np

def timed(f, *a):
    w, c = time.perf_counter(), time.process_time()
    out = f(*a)
    return out, time.perf_counter() - w, time.process_time() - c

def bench(student, pool, test, sizes, repeats, sample_per_class, repeat_seeds):
    rows = []
    texts, labels = list(test['text']), list(test['label'])
    from synth_lowres.metrics import classification_scores
    for size in sizes:
        for seed in repeat_seeds(repeats):
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                train = sample_per_class(pool, size, seed)
            _, fw, fc = timed(student.fit, train, seed)
            pred, pw, pc = timed(student.predict, texts)
            f1 = classification_scores(labels, pred.labels, student.task.n_classes)['macro_f1']
            rows.append((size, seed, fw, fc, pw, pc, f1))
    return rows

def show(name, rows):
    print(f"\n{name}\n  {'size':>5} {'fit wall':>9} {'fit cpu':>8} {'pred wall':>9} {'pred cpu':>8} {'macro-F1':>8}   (seconds, mean over repeats)")
    for size in dict.fromkeys(r[0] for r in rows):
        a = np.array([r[2:] for r in rows if r[0] == size])
        m = a.mean(0)
        print(f"  {size:>5} {m[0]:>9.3f} {m[1]:>8.3f} {m[2]:>9.3f} {m[3]:>8.3f} {m[4]:>8.3f}")
    a = np.array([r[2:6] for r in rows])
    print(f"  all   {a[:,0].mean():>9.3f} {a[:,1].mean():>8.3f} {a[:,2].mean():>9.3f} {a[:,3].mean():>8.3f}   ({len(rows)} fits)")

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', help='paper data folder (default: SYNTH_LOWRES_DATA)')
    ap.add_argument('--only', choices=['classical', 'finetune'], help='benchmark one student only')
    ap.add_argument('--task', default='intent'); ap.add_argument('--lang', default='en')
    ap.add_argument('--source', default='synthetic')
    ap.add_argument('--repeats', type=int, default=5, help='repeats per size (classical)')
    ap.add_argument('--epochs', type=float, default=1, help='MiniLM epochs (paper: 50)')
    ap.add_argument('--threads', type=int, default=1, help='torch threads for fine-tuning')
    a = ap.parse_args()
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    import transformers; transformers.logging.set_verbosity_error(); transformers.utils.logging.disable_progress_bar()
    from synth_lowres.students import make_student
    from synth_lowres.data import load_pool, load_test, sample_per_class
    from synth_lowres.core import repeat_seeds
    from synth_lowres.tiny import build_tiny_encoder
    pool, test = load_pool(a.task, a.lang, a.source, a.data), load_test(a.task, a.lang, a.data)
    print(f"{a.task}/{a.lang} {a.source} pool {len(pool)} rows, test {len(test)} rows; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if a.only in (None, 'classical'):
        for solver in ('sgd', 'lbfgs'):
            st = make_student({'method': 'classical', 'solver': solver}, a.task, a.lang)
            _, w, c = timed(st.hashed.rows, list(test['text']))  # hashing the test set (once per setting; shared by both solvers)
            rows = bench(st, pool, test, [10, 50, 200, 1000, 2000], a.repeats, sample_per_class, repeat_seeds)
            show(f"classical ({st.model_id}); hashing the test set once: {w:.3f} s wall", rows)
    if a.only in (None, 'finetune'):
        with tempfile.TemporaryDirectory() as tmp:
            enc = build_tiny_encoder(f'{tmp}/tiny', list(pool['text'][:300]))
            st = make_student({'method': 'finetune', 'model': str(enc), 'lr': 1e-3, 'epochs': 5, 'threads': a.threads}, a.task, a.lang)
            show("finetune, tiny encoder (5 epochs)", bench(st, pool, test, [50, 200], 1, sample_per_class, repeat_seeds))
            st.close()
        st = make_student({'method': 'finetune', 'model': 'sentence-transformers/all-MiniLM-L6-v2', 'epochs': a.epochs,
                           'threads': a.threads}, a.task, a.lang)
        show(f"finetune, all-MiniLM-L6-v2 ({a.epochs:g} epochs, paper recipe otherwise, {a.threads} thread(s))",
             bench(st, pool, test, [50, 200], 1, sample_per_class, repeat_seeds))
        st.close()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")

if __name__ == '__main__': main()
