"`synth-lowres plan`: exact run counts, the steps arithmetic, finished runs left out, the teacher's pre-flight (also before `generate`), calibration, errors."
import math, re, subprocess, sys
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent/'synth-lowres')   # the installed console script

def cli(*args, timeout=600):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)

def write(path, d):
    path.write_text(yaml.safe_dump(d, sort_keys=False)); return str(path)

def test_run_counts_are_the_runners_and_steps_follow_the_recipe(tmp_path, paper_data):
    from synth_lowres.experiment import expand, load_config
    cfg = write(tmp_path/'ft.yaml', {'name': 'ft', 'tasks': ['topic', 'sentiment'], 'languages': ['en', 'cy'], 'sources': ['synthetic'],
                                     'sizes': [10, 50], 'repeats': 3, 'students': [{'method': 'finetune', 'epochs': 2}]})
    r = cli('plan', cfg, '--data', str(paper_data), '--disk', '1e12')
    assert r.returncode == 0, r.stderr + r.stdout
    n = len(expand(load_config(cfg)))
    assert f"total: {n:,} runs to do" in r.stdout, r.stdout
    # topic: 7 classes; size 10 -> 14 rows, batch 4 -> 4 batches; size 50 -> 49 rows, batch 8 -> 7 batches.
    # sentiment: 2 classes; size 10 -> 10 rows, batch 4 -> 3; size 50 -> 50 rows, batch 8 -> 7. 2 epochs, 2 languages, 3 repeats.
    steps = 2 * 2 * 3 * ((4 + 7) + (3 + 7))
    assert f"{steps:,} steps x 0.035 s/step" in r.stdout, r.stdout
    assert re.search(r"finetune [^:]*: 1 load x 4 s = ", r.stdout), r.stdout   # one load per worker (workers: 1), not one per run

def test_finished_runs_are_left_out(tmp_path, paper_data):
    base = {'name': 'resume', 'tasks': ['topic'], 'languages': ['en'], 'sources': ['synthetic'], 'repeats': 2, 'students': [{'method': 'classical'}]}
    out = tmp_path/'run'
    r = cli('run', write(tmp_path/'small.yaml', {**base, 'sizes': [10]}), '--data', str(paper_data), '--out', str(out), '--no-report', '--quiet')
    assert r.returncode == 0, r.stderr
    r = cli('plan', write(tmp_path/'big.yaml', {**base, 'sizes': [10, 20, 30]}), '--data', str(paper_data), '--out', str(out))
    assert r.returncode == 0, r.stderr
    assert 'total: 4 runs to do (2 already done)' in r.stdout, r.stdout
    assert 'CPU only, 0 GPU-h' in r.stdout

def test_paper_teacher_passes_preflight_and_bf16_70b_is_refused(tmp_path):
    ok = cli('plan', str(ROOT/'configs'/'generate_paper.yaml'), '--disk', '1e12')
    assert ok.returncode == 0, ok.stderr + ok.stdout
    assert 'pre-flight: fits: MaziyarPanahi/Meta-Llama-3-70B-Instruct-GPTQ (int4, 70.6B parameters): 37.1 GiB weights' in ok.stdout, ok.stdout
    assert re.search(r"teacher .*expected rounds: .* prompt tokens / 2,890 tok/s = .* GPU-h", ok.stdout)
    d = yaml.safe_load((ROOT/'configs'/'generate_paper.yaml').read_text())
    d['teacher'] = {'backend': 'vllm', 'model': 'meta-llama/Meta-Llama-3-70B-Instruct', 'max_model_len': 4096}
    bad = cli('plan', write(tmp_path/'bf16.yaml', d), '--gpu-memory', '141', '--disk', '1e12')
    assert bad.returncode == 1, bad.stdout
    assert ('WILL NOT FIT: meta-llama/Meta-Llama-3-70B-Instruct does not fit: meta-llama/Meta-Llama-3-70B-Instruct (bf16, 70.6B parameters): '
            '131.4 GiB weights') in bad.stdout, bad.stdout
    assert 'a 4-bit GPTQ/AWQ build' in bad.stdout and 'tensor_parallel_size: 2' in bad.stdout

def test_generate_refuses_a_vllm_teacher_that_cannot_fit_before_loading(tmp_path):
    "`synth-lowres generate` runs the pre-flight of `synth_lowres.llm` first: one line naming the fixes, exit status 2, nothing written."
    d = yaml.safe_load((ROOT/'configs'/'generate_paper.yaml').read_text())
    d['teacher'] = {'backend': 'vllm', 'model': 'meta-llama/Meta-Llama-3-70B-Instruct', 'max_model_len': 4096}
    r = cli('generate', write(tmp_path/'bf16.yaml', d), '--out', str(tmp_path/'pool'))
    assert r.returncode == 2, r.stderr + r.stdout
    assert r.stderr.startswith('synth-lowres generate: error: meta-llama/Meta-Llama-3-70B-Instruct does not fit'), r.stderr
    assert 'a 4-bit GPTQ/AWQ build' in r.stderr and 'tensor_parallel_size: 2' in r.stderr and 'Traceback' not in r.stderr
    assert not (tmp_path/'pool').exists()

def test_plan_uses_the_llm_preflight():
    "The model shapes and the memory pre-flight live in `synth_lowres.llm`; `plan` uses those, not copies."
    import synth_lowres.llm as llm, synth_lowres.plan as plan
    for name in ('architecture_of', 'estimate_memory', 'preflight_vllm', 'ModelTooLarge', 'param_count', 'lora_params', 'weight_bytes'):
        assert getattr(plan, name) is getattr(llm, name), name

def test_generate_paper_config_is_still_a_valid_generation_config():
    from synth_lowres.generate import GenerateConfig
    c = GenerateConfig.from_yaml(ROOT/'configs'/'generate_paper.yaml')
    assert c.teacher['max_model_len'] == 4096 and 'GPTQ' in c.teacher['model']

def test_throughput_file_and_calibration(tmp_path, paper_data):
    "A user's rates for a model the package does not know, then the rates measured from a finished run of it."
    from synth_lowres.results import ResultsStore
    cfg = write(tmp_path/'enc.yaml', {'name': 'enc', 'tasks': ['topic'], 'languages': ['en'], 'sources': ['synthetic'], 'sizes': [50],
                                      'repeats': 1, 'students': [{'method': 'finetune', 'model': 'my/encoder', 'epochs': 3}]})
    table = write(tmp_path/'rates.yaml', {'models': {'my/encoder': {'step_s': 0.5, 'train_tokens_per_s': None, 'prompt_tokens_per_s': None,
                                                                    'load_s': 0, 'basis': 'my own table'}}})
    r = cli('plan', cfg, '--data', str(paper_data), '--throughput', table, '--disk', '1e12')
    assert r.returncode == 0, r.stderr + r.stdout
    assert '21 steps x 0.5 s/step = 10 s' in r.stdout and 'my own table' in r.stdout, r.stdout
    with ResultsStore(tmp_path/'done'/'results.sqlite') as s:
        s.add(dict(experiment='e', task='topic', lang='en', method='finetune', model='my/encoder|epochs=3', source='synthetic', size=50,
                   repeat=0, macro_f1=0.5, accuracy=0.5, n_test=204, train_seconds=42.0, predict_seconds=2.04,
                   params={'model': 'my/encoder', 'epochs': 3, 'run': {'steps': 21}}))
    r = cli('plan', cfg, '--data', str(paper_data), '--throughput', table, '--calibrate', str(tmp_path/'done'), '--disk', '1e12')
    assert r.returncode == 0, r.stderr + r.stdout
    assert '21 steps x 2 s/step = 42 s + 204 test texts x 0.01 s = 2 s' in r.stdout, r.stdout
    assert 'calibrated from' in r.stdout

def test_paper_parser_entries_cost_no_model_time(paper_data):
    r = cli('plan', str(ROOT/'configs'/'llm_zero_shot.yaml'), '--data', str(paper_data), '--disk', '1e12')
    assert r.returncode == 0, r.stderr + r.stdout
    assert 'total: 204 runs to do' in r.stdout       # 34 settings x 6 entries
    assert re.search(r"students\[1\] zeroshot meta-llama/Llama-3.1-8B-Instruct parser=paper: 0 GPU-h", r.stdout)

def test_bad_config_is_one_line(tmp_path):
    r = cli('plan', str(tmp_path/'missing.yaml'))
    assert r.returncode == 2 and r.stderr.strip().startswith('synth-lowres plan: error:') and 'missing.yaml' in r.stderr
    r = cli('plan', write(tmp_path/'bad.yaml', {'name': 'x', 'students': [{'method': 'finetune', 'epoch': 3}]}))
    assert r.returncode == 2 and "unknown parameter(s) ['epoch']" in r.stderr, r.stderr
