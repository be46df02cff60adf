"""Generation survives SIGKILL without re-sending finished requests; bad teacher output and bad configs are reported clearly.

The resume test runs the real CLI (`synth-lowres generate`) in a subprocess with the package's tiny
Llama as teacher, kills it with SIGKILL once some answers are in the request cache, restarts it,
and counts the requests that reached the model.
"""
import json, os, signal, sqlite3, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, 'HF_HUB_OFFLINE': '1', 'HF_DATASETS_OFFLINE': '1', 'OMP_NUM_THREADS': '1',
       'SYNTH_LOWRES_DATA': os.environ.get('SYNTH_LOWRES_DATA', str(ROOT.parent/'shared'/'data'/'paper'))}
CLI = [sys.executable, '-c', 'import sys; from synth_lowres.cli import main; sys.exit(main())']


def _config(path: Path, **over) -> Path:
    cfg = dict(tasks=['intent'], languages=['en', 'th'], teacher={'backend': 'transformers', 'model': 'tiny', 'batch_size': 2},
               n_per_class=2, per_request=10, max_rounds=6, max_tokens=32, demonstrations=2, revision=True, judge_choices=True,
               drop_truncated=False, filters={'length': {'min_chars': 1, 'max_chars': 300}, 'revision': False, 'language': False, 'script': False,
                                                      # the random tiny teacher writes the same noise for every batch that shares a seed
                                                      'exact_duplicate': False, 'near_duplicate': False})
    cfg.update(over)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True))
    return path


def _cached(out: Path) -> int:
    db = out/'requests.sqlite'
    if not db.exists(): return 0
    try:
        con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=5)
        try: return con.execute('SELECT COUNT(*) FROM completions').fetchone()[0]
        finally: con.close()
    except sqlite3.OperationalError: return 0


def _run(cfg, out):
    r = subprocess.run([*CLI, 'generate', str(cfg), '--out', str(out)], env=ENV, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads((out/'run.json').read_text()), r


def test_killed_generation_resumes_without_resending(tmp_path):
    if not ENV['SYNTH_LOWRES_DATA'] or not Path(ENV['SYNTH_LOWRES_DATA']).is_dir(): pytest.skip("paper data (demonstrations, test sets) not available")
    from synth_lowres.tiny import build_tiny_causal_lm
    build_tiny_causal_lm()                                  # built once, outside the timed child
    cfg, out = _config(tmp_path/'gen.yaml'), tmp_path/'pool'
    proc = subprocess.Popen([*CLI, 'generate', str(cfg), '--out', str(out)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 300
    while _cached(out) < 6 and proc.poll() is None and time.time() < deadline: time.sleep(0.02)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (out/'run.json').exists()                    # killed before finishing
    finished = _cached(out)
    assert finished >= 6

    run2, _ = _run(cfg, out)
    total = _cached(out)
    sent2 = run2['requests_sent'] + run2['judge_requests_sent']
    assert total > finished                                 # the restart had work left
    assert sent2 == total - finished, (sent2, total, finished)  # every finished request came from the cache
    print(f"killed after {finished} finished requests; the restart sent {sent2} of {total}")
    pool2 = pd.read_csv(out/'intent'/'th-train_full.csv')

    rounds2 = pd.read_csv(out/'rounds.csv')

    run3, _ = _run(cfg, out)                                # a finished run costs nothing
    assert run3['requests_sent'] + run3['judge_requests_sent'] == 0
    assert _cached(out) == total
    pd.testing.assert_frame_equal(pd.read_csv(out/'intent'/'th-train_full.csv'), pool2)
    pd.testing.assert_frame_equal(pd.read_csv(out/'rounds.csv'), rounds2)   # the same sized requests, all from the cache
    assert {'answers', 'lines_requested', 'lines_returned', 'accepted', 'missing'} <= set(rounds2.columns)
    assert (rounds2.answers > 1).any()                      # sized requests ask for several answers

    from synth_lowres.data import load_pool
    for lang in ('en', 'th'):
        ds = load_pool('intent', lang, str(out))
        assert len(ds) > 0 and set(ds['lang']) == {lang}
    prov = pd.read_parquet(out/'provenance.parquet')
    for col in ('model', 'template_id', 'temperature', 'top_p', 'repetition_penalty', 'seed', 'request_id', 'revision', 'filter_reason', 'selected'):
        assert col in prov.columns, col


def test_bad_teacher_output_is_reported(tmp_path):
    from synth_lowres.generate import GenerateConfig, generate_pool
    from synth_lowres.llm import Backend, Completion

    class Replay(Backend):
        def __init__(self, answers): super().__init__('replay', cache=tmp_path/'c.sqlite'); self.answers = list(answers)
        def _generate(self, requests):
            for j, r in enumerate(requests):
                text = 'I cannot tell.' if r.max_tokens == 5 else (self.answers.pop(0) if self.answers else '')
                yield j, Completion(texts=[text], finish_reasons=['length' if text.startswith('trunc') else 'stop'])

    answers = ['', 'Here are some examples:', '{"examples": [1, 2', 'trunc only line', 'not json at all [ ] {', '[]']
    cfg = GenerateConfig(tasks=['sentiment'], languages=['en'], teacher={'model': 'replay'}, n_per_class=1, max_rounds=3,
                         demonstrations=0, filters={'language': False})
    msgs = []
    rep = generate_pool(cfg, tmp_path/'out', teacher=Replay(answers), log=msgs.append)
    ans = pd.read_parquet(tmp_path/'out'/'answers.parquet')
    assert ans.note.tolist()[:4] == ['empty answer', 'no samples in answer', 'invalid JSON; split into lines', 'no samples in answer']
    assert json.loads(ans.dropped_lines[3]) == [['trunc only line', 'truncated last line']]
    prov = pd.read_parquet(tmp_path/'out'/'provenance.parquet')
    assert set(prov.revision) <= {'unparsed'}               # the judge never said yes or no
    assert (prov.filter_reason == 'revision').all()         # unparsed verdicts are dropped by default, with their reason
    assert not rep.reached.any()
    run = json.loads((tmp_path/'out'/'run.json').read_text())
    assert [c['label_name'] for c in run['classes_short']] == ['negative', 'positive']
    assert any('did not reach 1 samples within 3 rounds' in m for m in msgs)


def test_sized_requests_reach_the_target_in_fewer_rounds(tmp_path, caplog):
    "Each answer holds two long lines; one answer per request needs 5 rounds for 10 samples, sized requests fewer, and every round is logged."
    import logging
    from synth_lowres.generate import GenerateConfig, generate_pool
    from synth_lowres.llm import Backend, Completion

    class TwoLines(Backend):
        "Every write answer: two distinct lines that used up 512 tokens; the judge says yes."
        def __init__(self, path): super().__init__('two-lines', cache=path); self.made = 0
        def _generate(self, requests):
            for j, r in enumerate(requests):
                if r.max_tokens == 5: yield j, Completion(texts=['yes'], completion_tokens=1); continue
                texts = []
                for _ in range(r.n):
                    texts.append(f"distinct sample number {self.made} for the class\nanother sample numbered {self.made} here"); self.made += 1
                yield j, Completion(texts=texts, completion_tokens=512 * r.n, finish_reasons=['stop'] * r.n)

    base = dict(tasks=['sentiment'], languages=['en'], teacher={'model': 'two-lines'}, n_per_class=10, max_rounds=8, demonstrations=0,
                filters={'language': False, 'near_duplicate': False})
    rounds = {}
    for k in (1, 8):
        out = tmp_path/f'max{k}'
        with caplog.at_level(logging.INFO, logger='synth_lowres.generate'):
            rep = generate_pool(GenerateConfig(**base, max_answers=k), out, teacher=TwoLines(tmp_path/f'c{k}.sqlite'), log=lambda m: None)
        assert rep.reached.all(), rep
        rounds[k] = json.loads((out/'run.json').read_text())['rounds']
        log = pd.read_csv(out/'rounds.csv')
        assert (log.lines_returned == 2 * log.answers).all()
        assert log.groupby('label').missing.last().eq(0).all()
    assert rounds[1] == 5 and rounds[8] < rounds[1], rounds
    # round 1 measured the class's own 256 tokens per line and 100% acceptance: 2 lines per answer, 3 answers for the 6 missing
    r1 = log[log['round'] == 1].iloc[0]
    assert (r1.tokens_basis, r1.tokens_per_line, r1.acceptance, r1.lines_per_answer, r1.answers) == ('class', 256.0, 1.0, 2, 3), r1
    assert any('round 1 sentiment/en/' in m and 'missing' in m for m in caplog.messages)


def test_bad_config_names_the_field(tmp_path):
    cfg = tmp_path/'bad.yaml'
    cfg.write_text('tasks: [intent]\nlanguages: [en]\nteacher: {model: tiny}\nn_per_class: -3\n')
    r = subprocess.run([*CLI, 'generate', str(cfg), '--out', str(tmp_path/'o')], env=ENV, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert f"{cfg}: field 'n_per_class' must be a positive integer, got -3" in r.stderr
    assert not (tmp_path/'o'/'run.json').exists()
