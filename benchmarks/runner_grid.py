"""Time an experiment grid end to end (default: the full synthetic-vs-human grid with the classical student).

    SYNTH_LOWRES_DATA=../shared/data/paper python benchmarks/runner_grid.py [CONFIG] [--out DIR] [--workers N]

Prints wall seconds, CPU seconds spent inside the settings (summed over worker processes: on a busy, shared
machine this is the stable number; wall on an idle machine with N cores is about CPU / N), runs per second and
the mean fit/predict seconds per run. Target on 2 idle cores: the full grid in at most 10 minutes.
The output folder is kept: a second call resumes (and then times only what was left)."""
import argparse, os, sys, tempfile, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')
from synth_lowres.experiment import load_config, run_experiment, expand

p = argparse.ArgumentParser()
p.add_argument('config', nargs='?', default=os.path.join(os.path.dirname(__file__), '..', 'configs', 'synth_vs_human_classical.yaml'))
p.add_argument('--out', default=None)
p.add_argument('--workers', type=int, default=2)
p.add_argument('--data', default=None)
a = p.parse_args()
cfg = load_config(a.config)
out = a.out or tempfile.mkdtemp(prefix='runner_grid_')
print(f"{cfg.name}: {len(expand(cfg))} cells in the grid; out {out}; {a.workers} workers", file=sys.stderr)
t0 = time.perf_counter()
s = run_experiment(cfg, out, data_dir=a.data, workers=a.workers, progress=True, report=False)
wall = time.perf_counter() - t0
import pandas as pd
df = pd.read_parquet(os.path.join(out, 'results.parquet'))
print(s)
print(f"wall {wall:.1f} s; CPU in settings {s.cpu_seconds:.1f} s (~{s.cpu_seconds / a.workers / 60:.1f} min wall on {a.workers} idle cores); "
      f"{s.added / max(wall, 1e-9):.1f} runs/s; mean train {df.train_seconds.mean()*1000:.0f} ms, predict {df.predict_seconds.mean()*1000:.0f} ms per run")
