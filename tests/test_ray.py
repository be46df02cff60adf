"""The grid and the teacher on a real two-node Ray cluster on this machine (a head and one more raylet, one
CPU each, dashboard off, in the test's own temp dir; shut down by the test, never by `ray stop`):

- a classical grid gives the table of a local `workers: 1` run, with rows from both nodes;
- a Ray worker process SIGKILLed mid-grid: Ray restarts it and retries its batch; no row lost, none twice;
- the driver SIGKILLed mid-grid, then the same command again: it resumes, sends only the unfinished runs;
- generation with the tiny teacher through Ray: the local pool, and a rerun sends 0 requests."""
import json, os, re, signal, sqlite3, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd
import pytest

ray = pytest.importorskip('ray', reason="Ray is not installed: pip install 'synth_lowres[ray]' (the dev extra brings it)")
psutil = pytest.importorskip('psutil', reason="psutil (installed with Ray) finds the Ray worker processes to kill")
os.environ.update(HF_HUB_OFFLINE='1', HF_DATASETS_OFFLINE='1', RAY_USAGE_STATS_ENABLED='0')
CLI = str(Path(sys.executable).parent/'synth-lowres')
KEY = ['experiment', 'task', 'lang', 'method', 'model', 'source', 'size', 'repeat']
SAME = [*KEY, 'seed', 'n_train', 'n_test', 'macro_f1', 'accuracy', 'parse_failures', 'params']   # all but timings


@pytest.fixture(scope='module')
def cluster():
    "A head node and one more node, one CPU each; the address; everything it started is shut down after the module."
    from ray.cluster_utils import Cluster
    tmp = tempfile.mkdtemp(prefix='ray-test-')
    c = Cluster(initialize_head=True, head_node_args=dict(num_cpus=1, include_dashboard=False, temp_dir=tmp))
    try:
        c.add_node(num_cpus=1)
        c.wait_for_nodes()
        yield c.address
    finally:
        if ray.is_initialized(): ray.shutdown()
        c.shutdown()


@pytest.fixture(scope='module')
def grid(tmp_path_factory):
    "A small classical grid on the paper's data (or the demo data), and its table from a local `workers: 1` run."
    from synth_lowres.experiment import run_experiment, write_demo_data
    tmp = tmp_path_factory.mktemp('grid')
    data = os.environ.get('SYNTH_LOWRES_DATA') or str(Path(__file__).resolve().parents[2]/'shared'/'data'/'paper')
    if Path(data, 'topic', 'en-test.csv').exists(): tasks, langs = '[topic, sentiment]', '[en, sw]'
    else: data, tasks, langs = str(write_demo_data(tmp)), '[topic, sentiment]', '[en]'
    cfg = tmp/'grid.yaml'
    cfg.write_text(f"name: ray-grid\ntasks: {tasks}\nlanguages: {langs}\nsources: [synthetic, human]\nsizes: [10, 30, 50, 100]\n"
                   f"repeats: 6\nstudents:\n  - {{method: classical}}\ndata: {data}\nengine: {{ray: {{runs_per_call: 4}}}}\n")
    s = run_experiment(cfg, tmp/'local', workers=1, progress=False, report=False)
    assert s.added > 100 and not s.failures, s
    return cfg, pd.read_parquet(tmp/'local'/'results.parquet')


def _rows(out:Path)->int:
    try:
        con = sqlite3.connect(out/'results.sqlite', timeout=30)
        try: return con.execute('SELECT COUNT(*) FROM results').fetchone()[0]
        finally: con.close()
    except sqlite3.OperationalError: return 0   # not created yet


def _same_table(out:Path, ref:pd.DataFrame):
    df = pd.read_parquet(out/'results.parquet')
    assert not df.duplicated(KEY).any(), "a key was stored twice"
    assert len(df) == len(ref), f"{len(df)} rows, the local run has {len(ref)}"
    pd.testing.assert_frame_equal(df[SAME].reset_index(drop=True), ref[SAME].reset_index(drop=True))


def _start(cfg, out, address):
    return subprocess.Popen([CLI, 'run', str(cfg), '--out', str(out), '--quiet', '--no-report', '--ray', address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_rows(p, out, n, timeout=120):
    t0 = time.time()
    while _rows(out) < n:
        assert p.poll() is None, f"the driver ended before {n} rows: {p.communicate()[1][-2000:]}"
        assert time.time() - t0 < timeout, f"fewer than {n} rows after {timeout}s"
        time.sleep(0.05)


def _grid_workers()->list:
    "The Ray worker processes holding a `GridWorker` actor (their process title names the actor class)."
    out = []
    for p in psutil.process_iter(['cmdline']):
        if any('GridWorker' in part for part in (p.info['cmdline'] or [])): out.append(p)
    return out


def test_grid_same_table_rows_from_both_nodes(cluster, grid, tmp_path):
    from synth_lowres.ray_engine import run_on_ray
    cfg, ref = grid
    s = run_on_ray(cfg, tmp_path/'ray', address=cluster, progress=False, report=False)
    assert not ray.is_initialized(), "run_on_ray disconnects what it connected"
    print(s)
    assert (s.added, s.failures) == (len(ref), [])
    assert len(s.nodes) == 2 and min(s.nodes.values()) > 0, f"rows per node: {s.nodes}"
    _same_table(tmp_path/'ray', ref)


def test_worker_killed_mid_grid(cluster, grid, tmp_path):
    cfg, ref = grid
    p = _start(cfg, tmp_path/'ray', cluster)
    try:
        _wait_rows(p, tmp_path/'ray', 20)
        victims = _grid_workers()
        assert victims, "no GridWorker process found to kill"
        before = _rows(tmp_path/'ray')
        os.kill(victims[0].pid, signal.SIGKILL)
        out, err = p.communicate(timeout=300)
    finally:
        if p.poll() is None: p.kill()
    assert p.returncode == 0, err[-3000:]
    assert before < len(ref), f"the grid had finished ({before} rows) before the worker was killed"
    print(f"worker {victims[0].pid} killed at {before} of {len(ref)} rows; {out.strip().splitlines()[0]}")
    assert _rows(tmp_path/'ray') == len(ref)
    _same_table(tmp_path/'ray', ref)


def test_driver_killed_then_resumed(cluster, grid, tmp_path):
    cfg, ref = grid
    p = _start(cfg, tmp_path/'ray', cluster)
    try:
        _wait_rows(p, tmp_path/'ray', 20)
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
    finally:
        if p.poll() is None: p.kill()
    before = _rows(tmp_path/'ray')
    assert 20 <= before < len(ref), f"{before} rows when the driver was killed"
    again = _start(cfg, tmp_path/'ray', cluster)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err[-3000:]
    added, done = map(int, re.search(r"(\d+) runs added, (\d+) already done", out).groups())
    print(f"driver killed at {before} of {len(ref)} rows; the rerun added {added}, found {done} done")
    assert (added, done) == (len(ref) - before, before)
    _same_table(tmp_path/'ray', ref)


def test_generation_through_ray(cluster, tmp_path):
    from synth_lowres.generate import GenerateConfig, generate_pool
    from synth_lowres.experiment import write_demo_data
    from synth_lowres.ray_engine import generate_on_ray
    demo = write_demo_data(tmp_path)
    cfg = GenerateConfig(tasks=['topic'], languages=['en'], teacher={'backend': 'transformers', 'model': 'tiny', 'batch_size': 4},
                         n_per_class=3, per_request=5, max_rounds=2, max_tokens=48, demonstrations=2, data_dir=str(demo))
    quiet = lambda *a: None
    generate_pool(cfg, tmp_path/'local', log=quiet)
    generate_on_ray(cfg, tmp_path/'ray', address=cluster, log=quiet)
    pool = lambda d: pd.read_parquet(d/'provenance.parquet')[['task', 'lang', 'label', 'text', 'kept', 'selected', 'revision']]
    pd.testing.assert_frame_equal(pool(tmp_path/'ray'), pool(tmp_path/'local'))
    run = lambda d: json.loads((d/'run.json').read_text())
    assert run(tmp_path/'ray')['requests_sent'] == run(tmp_path/'local')['requests_sent'] > 0
    generate_on_ray(cfg, tmp_path/'ray', address=cluster, log=quiet)
    r = run(tmp_path/'ray')
    assert (r['requests_sent'], r['judge_requests_sent']) == (0, 0), r
    pd.testing.assert_frame_equal(pool(tmp_path/'ray'), pool(tmp_path/'local'))
