"""End to end through the `synth-lowres` program: `run`, `report`, `quickstart`, `--help`, and bad configs."""
import os, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

os.environ['HF_HUB_OFFLINE'] = '1'; os.environ['HF_DATASETS_OFFLINE'] = '1'
CLI = str(Path(sys.executable).parent/'synth-lowres')
DATA = os.environ.get('SYNTH_LOWRES_DATA')
needs_data = pytest.mark.skipif(not (DATA and Path(DATA, 'topic', 'en-test.csv').exists()),
                                reason="paper data not found: set SYNTH_LOWRES_DATA to the paper's data folder (../shared/data/paper)")

def cli(*args, cwd=None):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)

@pytest.mark.parametrize('cmd', ['run', 'report', 'quickstart'])
def test_help(cmd):
    r = cli(cmd, '--help')
    assert r.returncode == 0 and f'usage: synth-lowres {cmd}' in r.stdout

@needs_data
def test_run_then_report_then_resume(tmp_path):
    cfg = tmp_path/'small.yaml'
    cfg.write_text("name: cli-test\ntasks: [topic, sentiment]\nlanguages: [sw, cy]\nsizes: [10, 50]\nrepeats: 2\n"
                   "students:\n  - {method: classical}\n")
    out = tmp_path/'out'
    r = cli('run', cfg, '--data', DATA, '--out', out, '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    # sentiment/cy has no test file: reported as unavailable, not a crash
    assert 'unavailable: sentiment/cy test' in r.stdout
    df = pd.read_parquet(out/'results.parquet')
    assert len(df) == 3 * 2 * 2 * 2 and set(df.source) == {'synthetic', 'human'}   # topic/sw, topic/cy, sentiment/sw
    assert pd.read_csv(out/'results.csv').shape[0] == len(df)
    for f in ('report.md', 'table.md', 'summary.csv', 'comparison.csv', 'curves.png', 'curves_groups.png', 'curves_topic.png'):
        assert (out/'report'/f).stat().st_size > 0, f
    again = cli('run', cfg, '--data', DATA, '--out', out, '--quiet', '--no-report')
    assert again.returncode == 0 and '0 runs added, 24 already done' in again.stdout
    rep = cli('report', out/'results.csv', '--out', tmp_path/'rep')
    assert rep.returncode == 0, rep.stderr[-2000:]
    assert (tmp_path/'rep'/'curves.png').exists() and '| topic' in rep.stdout

def test_quickstart_demo(tmp_path):
    r = cli('quickstart', '--demo', '--out', tmp_path/'qs', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'DEMO MODE' in r.stdout and 'DEMO MODE' in (tmp_path/'qs'/'README.md').read_text()
    assert (tmp_path/'qs'/'report'/'curves.png').exists() and len(pd.read_parquet(tmp_path/'qs'/'results.parquet')) > 0

def test_quickstart_without_data_falls_back_to_demo(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != 'SYNTH_LOWRES_DATA'}
    env['SYNTH_LOWRES_CACHE'] = str(tmp_path/'cache')   # no downloaded copy there either
    r = subprocess.run([CLI, 'quickstart', '--out', str(tmp_path/'qs'), '--quiet'], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'DEMO MODE' in r.stdout

@pytest.mark.slow
@needs_data
def test_quickstart_paper_mode(tmp_path):
    r = cli('quickstart', '--data', DATA, '--out', tmp_path/'qs', '--quiet')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'PAPER MODE' in r.stdout and (tmp_path/'qs'/'report'/'curves_groups.png').exists()
    qs = tmp_path/'qs'
    assert (qs/'generated'/'provenance.parquet').exists() and (qs/'analysis'/'analysis.md').exists()
    res = pd.read_parquet(qs/'results.parquet')
    assert {'classical', 'finetune', 'zeroshot', 'icl', 'instruct'} <= set(res.method)
    assert ' 0 failed' in r.stdout, r.stdout[-3000:]                  # every student ran every run it was given
    readme = (qs/'README.md').read_text()
    assert 'smollm2-135m-instruct zero-shot (the teacher)' in readme and 'What the teacher wrote and what the filters kept' in readme   # both tables
    assert 'baseline: **smollm2-135m-instruct' in (qs/'analysis'/'analysis.md').read_text()          # the teacher is the baseline
    # the real teacher's pool is trained on where every class kept a line, and reported unavailable (with why) where not
    gen = pd.read_csv(qs/'generated'/'report.csv').groupby(['task', 'lang']).selected.min()
    trained = {(t, l) for t, l, s in zip(res.task, res.lang, res.source) if s.startswith('synthetic:')}
    assert trained == {k for k, n in gen.items() if n > 0}
    for (t, l), n in gen.items():
        if n == 0: assert 'no rows' in readme, readme[-3000:]

@pytest.mark.parametrize('text,message', [
    ("name: x\ntasks: [topic]\nrepeat: 3\n", "unknown field(s) ['repeat']"),
    ("name: x\ntasks: [emotion]\n", "tasks names unknown tasks ['emotion']"),
    ("name: x\nsizes: [10, fifty]\n", "sizes must be 'paper' or a list of positive integers"),
    ("name: x\nrepeats: 0\n", "repeats must be a positive integer"),
    ("name: x\nstudents:\n  - {method: svm}\n", "students[0].method 'svm' is not a registered student"),
    ("name: x\nstudents:\n  - {method: classical, ngrams: 3}\n", "students[0] (classical) has unknown parameter(s) ['ngrams']"),
    ("tasks: [topic]\n", "field 'name' is required"),
    ("name: x\nimport: [no_such_students.py]\n", "no_such_students.py does not exist"),
    ("name: x\ntasks: [topic\n", "not valid YAML"),
])
def test_bad_config(tmp_path, text, message):
    cfg = tmp_path/'bad.yaml'; cfg.write_text(text)
    r = cli('run', cfg, '--out', tmp_path/'out', '--quiet')
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr and str(cfg) in r.stderr
    assert 'Traceback' not in r.stderr

def test_missing_config_and_results(tmp_path):
    r = cli('run', tmp_path/'nope.yaml', '--out', tmp_path/'out')
    assert r.returncode == 2 and 'nope.yaml: config file does not exist' in r.stderr
    r = cli('report', tmp_path/'nothing.parquet', '--out', tmp_path/'rep')
    assert r.returncode == 2 and 'nothing.parquet: results file does not exist' in r.stderr


def _demo(tmp_path)->str:
    from synth_lowres.experiment import write_demo_data
    return str(write_demo_data(tmp_path))

KEYWORD_STUDENT = """
from collections import Counter
from synth_lowres.students import Student, Predictions, register_student, texts_labels

@register_student('keyword')
class KeywordStudent(Student):
    "Labels a text by the class whose training words it shares most."
    def __init__(self, task, lang, min_count:int=1):
        super().__init__(task, lang, min_count=min_count)
    def fit(self, train, seed):
        texts, labels = texts_labels(train)
        counts = [Counter() for _ in range(self.task.n_classes)]
        for t, y in zip(texts, labels): counts[y].update(t.lower().split())
        self.words = [{w for w, n in c.items() if n >= self.params['min_count']} for c in counts]
    def predict(self, texts):
        votes = [[len(set(t.lower().split()) & w) for w in self.words] for t in texts]
        return Predictions([max(range(len(v)), key=v.__getitem__) for v in votes])
"""

def test_own_student_from_a_file_outside_the_package(tmp_path):
    own = tmp_path/'mine'; own.mkdir()
    (own/'keyword_student.py').write_text(KEYWORD_STUDENT)
    cfg = own/'own.yaml'
    cfg.write_text(f"name: own\nimport: [keyword_student.py]\ntasks: [topic, sentiment]\nlanguages: [en]\nsizes: [10, 50]\n"
                   f"repeats: 2\nworkers: 2\ndata: {_demo(tmp_path)}\nstudents:\n  - {{method: keyword, min_count: 2}}\n")
    r = cli('run', cfg, '--out', tmp_path/'out', '--quiet', '--no-report', cwd=tmp_path)   # workers import the file too
    assert r.returncode == 0, r.stderr[-3000:]
    assert '16 runs added, 0 already done, 0 failed' in r.stdout, r.stdout
    df = pd.read_parquet(tmp_path/'out'/'results.parquet')
    assert set(df.method) == {'keyword'} and set(df.model) == {'keyword|min_count=2'} and df.macro_f1.mean() > 0.3
    bad = own/'bad.yaml'; bad.write_text("name: own\nimport: [keyword_student.py]\nstudents:\n  - {method: keyword, min: 2}\n")
    r = cli('run', bad, '--out', tmp_path/'bad', '--quiet')
    assert r.returncode == 2 and "students[0] (keyword) has unknown parameter(s) ['min']; it accepts ['min_count']" in r.stderr, r.stderr

def test_resume_by_student_identity(tmp_path):
    "threads change no result: 0 new runs; alpha does: only its new keys run; the first rows stay as they were."
    data, out = _demo(tmp_path), tmp_path/'out'
    def run(student):
        cfg = tmp_path/'c.yaml'
        cfg.write_text(f"name: resume\ntasks: [topic]\nlanguages: [en]\nsources: [synthetic, human]\nsizes: [10, 50]\nrepeats: 2\n"
                       f"data: {data}\nstudents:\n  - {student}\n")
        r = cli('run', cfg, '--out', out, '--quiet', '--no-report')
        assert r.returncode == 0, r.stderr[-3000:]
        return r.stdout
    assert '8 runs added, 0 already done' in run('{method: classical}')
    first = pd.read_parquet(out/'results.parquet')
    assert '0 runs added, 8 already done' in run('{method: classical, threads: 2}')
    assert '8 runs added, 0 already done' in run('{method: classical, alpha: 0.001}')
    both = pd.read_parquet(out/'results.parquet')
    assert both.groupby('model').size().to_dict() == {'char2-5-tfidf-lr-sgd': 8, 'char2-5-tfidf-lr-sgd|alpha=0.001': 8}
    pd.testing.assert_frame_equal(both[both.model == 'char2-5-tfidf-lr-sgd'].reset_index(drop=True), first)
