"`synth-lowres analyse`: tables, figures and analysis.md from a results file; bad input named."
import subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd
import pytest

def _results(path):
    rng, rows = np.random.default_rng(0), []
    for lang in ('en', 'sw', 'te'):
        for source, top in (('synthetic', 0.7), ('human', 0.8)):
            for size in (10, 50, 100, 200):
                for r in range(3):
                    rows.append(dict(experiment='t', task='topic', lang=lang, method='classical', model='m', source=source, size=size,
                                     repeat=r, seed=r, n_train=size, n_test=200, macro_f1=top * (1 - np.exp(-size / 60)) + rng.normal(0, 0.02),
                                     accuracy=0.5, train_seconds=0.1, predict_seconds=0.05, prompt_tokens=0, completion_tokens=0))
    pd.DataFrame(rows).to_csv(path, index=False)
    return path

def run(*args):
    return subprocess.run([str(Path(sys.executable).parent/'synth-lowres'), *args], capture_output=True, text=True, timeout=300)

def test_analyse_writes_tables_and_figures(tmp_path):
    res = _results(tmp_path/'results.csv')
    r = run('analyse', str(res), '--out', str(tmp_path/'a'), '--baseline', 'human@100', '--boot', '50')
    assert r.returncode == 0, r.stderr
    out = tmp_path/'a'
    for name in ('break_even', 'resource_groups', 'tasks', 'human_ahead', 'cost'):
        assert (out/f'{name}.csv').exists() and (out/f'{name}.md').exists(), name
    assert (out/'break_even_topic.png').exists() and (out/'gains.png').exists()
    md = (out/'analysis.md').read_text()
    assert 'classical on 100 human' in md and '![gains](gains.png)' in md

def test_analyse_bad_baseline_is_named(tmp_path):
    res = _results(tmp_path/'results.csv')
    r = run('analyse', str(res), '--out', str(tmp_path/'a'), '--baseline', 'teacher')
    assert r.returncode == 2
    assert "cannot read baseline 'teacher'" in r.stderr

def test_analyse_missing_file(tmp_path):
    r = run('analyse', str(tmp_path/'nope.parquet'), '--out', str(tmp_path/'a'))
    assert r.returncode == 2 and 'does not exist' in r.stderr
