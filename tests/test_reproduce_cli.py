"`synth-lowres reproduce`: the table of the paper's experiments, one experiment run small and resumed, bad ids named."
import subprocess, sys
from pathlib import Path
import pandas as pd

EXE = str(Path(sys.executable).parent/'synth-lowres')   # the installed console script

def cli(*args, timeout=600):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)

def test_list_names_every_experiment_and_its_config():
    r = cli('reproduce', '--list')
    assert r.returncode == 0, r.stderr
    for i in range(13): assert f'E{i:02d}' in r.stdout
    for cfg in ('configs/generator_zero_shot.yaml', 'configs/llm_zero_shot.yaml', 'configs/finetune.yaml', 'configs/llm_icl.yaml',
                'configs/instruct_lora.yaml', 'configs/synth_vs_human_classical.yaml', 'configs/generate_paper.yaml'):
        assert cfg in r.stdout, cfg

def test_small_run_then_resume(tmp_path):
    "E2 small: the tiny LLM zero-shot with both parsers on two sentiment settings; the second call adds nothing."
    first = cli('reproduce', 'E02', '--out', str(tmp_path), '--quiet')
    assert first.returncode == 0, first.stderr
    assert '4 runs added' in first.stdout, first.stdout
    res = pd.read_parquet(tmp_path/'results.parquet')
    assert sorted(set(res.lang)) == ['en', 'sw'] and set(res.source) == {'none'} and len(res) == 4
    again = cli('reproduce', 'E2', '--out', str(tmp_path), '--quiet')
    assert again.returncode == 0, again.stderr
    assert '0 runs added, 4 already done' in again.stdout, again.stdout

def test_audit_experiment_writes_its_table(tmp_path):
    r = cli('reproduce', 'E0', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path/'audit.csv')) == 34

def test_unknown_experiment_is_one_line():
    r = cli('reproduce', 'E13')
    assert r.returncode == 2
    assert r.stderr.strip() == ("synth-lowres reproduce: error: unknown experiment 'E13'; known: "
                                "E00, E01, E02, E03, E04, E05, E06, E07, E08, E09, E10, E11, E12")

def test_help_and_old_commands_unchanged():
    r = cli('--help')
    assert r.returncode == 0
    for cmd in ('audit', 'generate', 'filter', 'run', 'report', 'quickstart', 'analyse', 'reproduce'): assert cmd in r.stdout
    r = cli('reproduce', '--help')
    assert r.returncode == 0 and 'usage: synth-lowres reproduce' in r.stdout and '--full' in r.stdout
