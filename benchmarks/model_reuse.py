"""Fine-tuning with the checkpoint kept in the worker (new) against a load per fit (old): same config, same runner.

    python benchmarks/model_reuse.py --old-root /tmp/ci1                      # MiniLM, topic/en, sizes 14/28/56 x 3 repeats, 3 epochs, lr 1e-4
    python benchmarks/model_reuse.py --old-root /tmp/ci1 --old-python /tmp/ci1/.venv/bin/python --epochs 5

Runs the config once with the code under `--old-root` (a checkout from before the model was kept; its
package first on PYTHONPATH) and once with this checkout, each in a fresh process through
`run_experiment` (one worker), then prints wall seconds of each, macro-F1 of every run side by side,
and the new rows' `params.run.model_loads`. Needs the paper's data (SYNTH_LOWRES_DATA or --data).
Wall seconds depend on the machine's load; the macro-F1 columns must be equal.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
import yaml

RUN = """
import json, sys
from synth_lowres.experiment import run_experiment
s = run_experiment(sys.argv[1], sys.argv[2], data_dir=sys.argv[3] or None, workers=1, progress=False, report=False)
print(json.dumps(dict(added=s.added, failures=[f['error'] for f in s.failures], seconds=s.seconds)))
"""

def run(python, pythonpath, cfg, out, data):
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'HF_DATASETS_OFFLINE': '1', 'TOKENIZERS_PARALLELISM': 'false'}
    if pythonpath: env['PYTHONPATH'] = pythonpath
    t0 = time.perf_counter()
    r = subprocess.run([python, '-c', RUN, str(cfg), str(out), data or ''], env=env, capture_output=True, text=True, cwd=pythonpath or None)
    if r.returncode: sys.exit(f"{python} failed:\n{r.stderr[-3000:]}")
    return dict(json.loads(r.stdout.strip().splitlines()[-1]), process_seconds=time.perf_counter() - t0)

def rows(out):
    df = pd.read_parquet(Path(out)/'results.parquet')
    params = df['params'].map(lambda p: json.loads(p) if isinstance(p, str) else p)
    df['model_loads'] = params.map(lambda p: (p.get('run') or {}).get('model_loads'))
    df['train_batch'] = params.map(lambda p: (p.get('run') or {}).get('train_batch'))
    return df.set_index(['size', 'repeat', 'seed']).sort_index()

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--old-root', required=True, help="checkout of the code before the change (its package goes first on PYTHONPATH)")
    ap.add_argument('--old-python', default=None, help="Python of the old checkout (default: this one)")
    ap.add_argument('--data', default=os.environ.get('SYNTH_LOWRES_DATA'))
    ap.add_argument('--model', default='sentence-transformers/all-MiniLM-L6-v2')
    ap.add_argument('--task', default='topic'); ap.add_argument('--lang', default='en')
    ap.add_argument('--sizes', type=int, nargs='+', default=[14, 28, 56], help="total sizes (topic: 7 classes, 2/4/8 per class; 10 and 20 both draw 2 per class)")
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--epochs', type=float, default=3)
    ap.add_argument('--lr', type=float, default=1e-4, help="learning rate (the paper's 1e-5 barely moves MiniLM in a few epochs)")
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default=None, help="folder for both runs (default: a temporary one)")
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix='model_reuse-'))
    out.mkdir(parents=True, exist_ok=True)
    cfg = out/'config.yaml'
    cfg.write_text(yaml.safe_dump(dict(name='model-reuse', tasks=[a.task], languages=[a.lang], sources=['synthetic'], sizes=a.sizes,
                                       repeats=a.repeats, students=[dict(method='finetune', model=a.model, epochs=a.epochs, lr=a.lr, threads=a.threads)]),
                                  sort_keys=False))
    here = str(Path(__file__).resolve().parents[1])
    old = run(a.old_python or sys.executable, str(Path(a.old_root).resolve()), cfg, out/'old', a.data)
    new = run(sys.executable, here, cfg, out/'new', a.data)
    o, n = rows(out/'old'), rows(out/'new')
    both = pd.DataFrame({'macro_f1_old': o['macro_f1'], 'macro_f1_new': n['macro_f1'], 'same': o['macro_f1'] == n['macro_f1'],
                         'train_s_old': o['train_seconds'].round(1), 'train_s_new': n['train_seconds'].round(1),
                         'model_loads_new': n['model_loads'], 'train_batch_new': n['train_batch']})
    print(f"{a.model} on {a.task}/{a.lang}, sizes {a.sizes} x {a.repeats} repeats, {a.epochs:g} epochs at lr {a.lr:g}, {a.threads} torch thread(s); load average {os.getloadavg()[0]:.2f}")
    for name, r in (('old (a load per fit)', old), ('new (kept, reset per fit)', new)):
        print(f"  {name:26s} runs {r['added']}, failures {r['failures']}, run_experiment {r['seconds']:.1f} s, process {r['process_seconds']:.1f} s")
    print(both.to_string())
    print(f"identical macro-F1: {int(both.same.sum())}/{len(both)}; model loads in the new worker: {sorted(set(n['model_loads']))}")
    return 0 if both.same.all() else 1

if __name__ == '__main__': sys.exit(main())
