"""The full classical grid on a two-raylet Ray cluster on this machine (one CPU per node) against `--workers 2`,
back to back: wall seconds of each command, their ratio, and whether the two tables are identical (all but timings).

    quiet python benchmarks/ray_grid.py [CONFIG] [--data DIR] [--out DIR]

Needs `pip install 'synth_lowres[ray]'`. The cluster is started here in its own temp dir and shut down here."""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd

KEY = ['experiment', 'task', 'lang', 'method', 'model', 'source', 'size', 'repeat']
SAME = [*KEY, 'seed', 'n_train', 'n_test', 'macro_f1', 'accuracy', 'parse_failures', 'params']
CLI = str(Path(sys.executable).parent/'synth-lowres')

def timed(cmd:list)->float:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if p.returncode: sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    print(p.stdout.strip().splitlines()[0], flush=True)
    return took

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('config', nargs='?', default='configs/synth_vs_human_classical.yaml')
    ap.add_argument('--data', default=os.environ.get('SYNTH_LOWRES_DATA', '../shared/data/paper'))
    ap.add_argument('--out', default=tempfile.mkdtemp(prefix='ray-grid-'))
    a = ap.parse_args()
    os.environ.setdefault('RAY_USAGE_STATS_ENABLED', '0')
    from ray.cluster_utils import Cluster
    out = Path(a.out)
    t0 = time.perf_counter()
    c = Cluster(initialize_head=True, head_node_args=dict(num_cpus=1, include_dashboard=False, temp_dir=tempfile.mkdtemp(prefix='ray-')))
    try:
        c.add_node(num_cpus=1); c.wait_for_nodes()
        print(f"two-raylet cluster at {c.address} up in {time.perf_counter() - t0:.1f}s", flush=True)
        ray_s = timed([CLI, 'run', a.config, '--data', a.data, '--out', str(out/'ray'), '--quiet', '--no-report', '--ray', c.address])
    finally:
        c.shutdown()
    local_s = timed([CLI, 'run', a.config, '--data', a.data, '--out', str(out/'workers2'), '--quiet', '--no-report', '--workers', '2'])
    r, l = (pd.read_parquet(out/d/'results.parquet') for d in ('ray', 'workers2'))
    same = len(r) == len(l) and r[SAME].reset_index(drop=True).equals(l[SAME].reset_index(drop=True))
    print(f"rows: ray {len(r)}, workers 2 {len(l)}; duplicates: ray {r.duplicated(KEY).sum()}, workers 2 {l.duplicated(KEY).sum()}")
    print(f"wall seconds: ray {ray_s:.1f}, workers 2 {local_s:.1f}; ratio {ray_s / local_s:.3f}; tables identical (all but timings): {same}")

if __name__ == '__main__': main()
