"""Kill `synth-lowres run` with SIGKILL at three random moments, restart it each time, and check the final
table is the one an uninterrupted run writes: the same metrics for every key, no duplicate and no missing rows.

Runs on the paper's data when SYNTH_LOWRES_DATA points to it, else on the package's built-in demo data."""
import os, random, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest

os.environ['HF_HUB_OFFLINE'] = '1'; os.environ['HF_DATASETS_OFFLINE'] = '1'
CLI = str(Path(sys.executable).parent/'synth-lowres')
KEY = ['experiment', 'task', 'lang', 'method', 'model', 'source', 'size', 'repeat']
SAME = ['seed', 'n_train', 'n_test', 'macro_f1', 'accuracy', 'parse_failures']

def _config(tmp:Path)->Path:
    data = os.environ.get('SYNTH_LOWRES_DATA')
    if data and Path(data, 'topic', 'en-test.csv').exists(): tasks, langs = '[topic, sentiment]', '[en, sw]'
    else:
        from synth_lowres.experiment import write_demo_data
        data, tasks, langs = str(write_demo_data(tmp)), '[topic, sentiment]', '[en]'
    cfg = tmp/'resume.yaml'
    cfg.write_text(f"name: resume-test\ntasks: {tasks}\nlanguages: {langs}\nsources: [synthetic, human]\n"
                   f"sizes: [10, 30, 50, 100]\nrepeats: 4\nstudents:\n  - {{method: classical}}\ndata: {data}\n")
    return cfg

def _rows(out)->int:
    import sqlite3
    db = out/'results.sqlite'
    if not db.exists(): return 0
    try:
        con = sqlite3.connect(db, timeout=30)
        try: return con.execute('SELECT COUNT(*) FROM results').fetchone()[0]
        finally: con.close()
    except sqlite3.OperationalError: return 0   # table not created yet

def _run(cfg, out, kill_at_rows=None, rng=None):
    "Run the CLI; with `kill_at_rows`, SIGKILL it a random instant after the store holds that many rows."
    p = subprocess.Popen([CLI, 'run', str(cfg), '--out', str(out), '--quiet', '--no-report', '--workers', '1'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_at_rows is not None:
        while p.poll() is None and _rows(out) < kill_at_rows: time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))   # anywhere in the next run: sampling, fitting, or writing a row
        if p.poll() is None:
            p.send_signal(signal.SIGKILL); p.wait()
            return True
    p.wait()
    assert p.returncode == 0, p.stderr.read().decode()[-2000:]
    return False

def _table(out):
    df = pd.read_parquet(out/'results.parquet')
    return df.sort_values(KEY, ignore_index=True)

def test_sigkill_three_times_then_resume(tmp_path):
    cfg = _config(tmp_path)
    _run(cfg, tmp_path/'ref')
    ref = _table(tmp_path/'ref')
    n = len(ref)
    assert n > 0 and not ref.duplicated(KEY).any()
    out, rng = tmp_path/'killed', random.Random(os.environ.get('KILL_SEED', 1))
    targets = sorted(rng.sample(range(1, n - 5), 3))   # three random moments, as row counts reached
    counts = []
    for target in targets:
        killed = _run(cfg, out, kill_at_rows=target, rng=rng)
        counts.append((killed, _rows(out)))
    assert all(k and 0 < c < n for k, c in counts), f"a kill did not land mid-run: {counts} of {n} rows"
    assert [c for _, c in counts] == sorted(c for _, c in counts), f"rows were lost between restarts: {counts}"
    _run(cfg, out)
    got = _table(out)
    assert not got.duplicated(KEY).any()
    assert len(got) == n
    pd.testing.assert_frame_equal(got[KEY + SAME], ref[KEY + SAME])
