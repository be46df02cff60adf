"The `synth-lowres audit` command end to end, and bad input reaching it from the command line."
import os, pathlib, subprocess, sys, pandas as pd

EXE = pathlib.Path(sys.executable).parent/'synth-lowres'   # the installed console script

def cli(*args, env=None):
    e = {**os.environ, **(env or {})}
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=e, timeout=300)

def test_audit_writes_table(paper_data, tmp_path):
    r = cli('audit', '--data', str(paper_data), '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path/'audit.csv')
    assert len(t) == 34 and (t.status == 'complete').sum() == 32
    assert '32 complete, 1 partial, 1 unavailable settings' in r.stdout

def test_missing_data_folder_is_one_clear_line(tmp_path):
    r = cli('audit', '--data', str(tmp_path/'nowhere'), '--out', str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip() == f"synth-lowres audit: error: {tmp_path/'nowhere'}: data folder does not exist"

def test_bad_task_file_names_file_and_field(paper_data, tmp_path):
    (tmp_path/'mine.yaml').write_text('tasks:\n  x:\n    labels: [a]\n')
    r = cli('audit', '--data', str(paper_data), '--out', str(tmp_path), env={'SYNTH_LOWRES_REGISTRY': str(tmp_path/'mine.yaml')})
    assert r.returncode == 2
    assert 'mine.yaml: tasks.x.labels must be a list of at least 2 labels' in r.stderr
    assert 'Traceback' not in r.stderr

def test_corrupt_data_file_names_file_and_row(paper_data, tmp_path):
    bad = tmp_path/'data'
    (bad/'topic').mkdir(parents=True)
    for f in (paper_data/'topic').glob('en-*.csv'): (bad/'topic'/f.name).write_bytes(f.read_bytes())
    df = pd.read_csv(bad/'topic'/'en-test.csv'); df.loc[3, 'label'] = 12; df.to_csv(bad/'topic'/'en-test.csv', index=False)
    r = cli('audit', '--data', str(bad), '--out', str(tmp_path), '--tasks', 'topic', '--languages', 'en')
    assert r.returncode == 2
    assert 'en-test.csv: label id 12 out of range at row 4' in r.stderr   # df.loc[3] is the 4th data row

def test_name_in_an_id_column_names_that_row(paper_data, tmp_path):
    bad = tmp_path/'data'
    (bad/'topic').mkdir(parents=True)
    for f in (paper_data/'topic').glob('en-*.csv'): (bad/'topic'/f.name).write_bytes(f.read_bytes())
    df = pd.read_csv(bad/'topic'/'en-test.csv'); df['label'] = df['label'].astype(object); df.loc[3, 'label'] = 'sports'
    df.to_csv(bad/'topic'/'en-test.csv', index=False)
    r = cli('audit', '--data', str(bad), '--out', str(tmp_path), '--tasks', 'topic', '--languages', 'en')
    assert r.returncode == 2
    assert "en-test.csv: field 'label' holds label ids, but row 4 holds 'sports', not an id; expected an integer id 0..6" in r.stderr
    assert "'sports' is the name of id 3" in r.stderr and "row 1, 2" not in r.stderr

SK = "languages:\n  sk: {name: Slovak}\ntasks:\n  topic: {languages: [sk]}\n"   # the four lines that add a language

def test_language_added_by_four_lines(paper_data, tmp_path):
    (tmp_path/'sk.yaml').write_text(SK)
    data = tmp_path/'data'; (data/'topic').mkdir(parents=True)
    for f in (paper_data/'topic').glob('en-*.csv'): (data/'topic'/f.name.replace('en-', 'sk-')).write_bytes(f.read_bytes())
    r = cli('audit', '--data', str(data), '--out', str(tmp_path), '--tasks', 'topic', '--languages', 'sk', env={'SYNTH_LOWRES_REGISTRY': str(tmp_path/'sk.yaml')})
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path/'audit.csv')
    assert list(zip(t.task, t.lang, t.status)) == [('topic', 'sk', 'complete')]

def test_config_naming_a_language_a_task_lacks_is_refused(paper_data, tmp_path):
    (tmp_path/'sk.yaml').write_text(SK)
    cfg = tmp_path/'exp.yaml'
    cfg.write_text("name: sk\ntasks: [topic, sentiment]\nlanguages: [sk]\nsizes: [10]\nrepeats: 1\n")
    r = cli('run', str(cfg), '--data', str(paper_data), '--out', str(tmp_path/'out'), env={'SYNTH_LOWRES_REGISTRY': str(tmp_path/'sk.yaml')})
    assert r.returncode != 0 and 'Traceback' not in r.stderr
    assert "exp.yaml: task 'sentiment' has no language 'sk'" in r.stderr and "tasks:\n  sentiment: {languages: [sk]}" in r.stderr
    r = cli('run', str(cfg), '--data', str(paper_data), '--out', str(tmp_path/'out'))
    assert "exp.yaml: unknown language 'sk'" in r.stderr and "languages:\n  sk: {name: <English name of sk>}\ntasks:\n  topic: {languages: [sk]}" in r.stderr

def test_help_lists_commands():
    r = cli('--help')
    assert r.returncode == 0 and 'audit' in r.stdout
    assert cli('audit', '--help').returncode == 0
