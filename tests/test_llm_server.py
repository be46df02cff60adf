"The OpenAI-compatible backend against a real `transformers serve` on loopback, and against injected faults."
import json, os, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest
from synth_lowres.llm import LLMError, OpenAIBackend, Request, ScriptedServer, TransformersBackend, make_backend, request_key
from synth_lowres.prompts import classification_messages, parse_labels
from synth_lowres.tiny import build_tiny_causal_lm

os.environ.setdefault('HF_HUB_OFFLINE', '1')

def free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.fixture(scope='module')
def tiny():
    return build_tiny_causal_lm()

@pytest.fixture(scope='module')
def server(tiny, tmp_path_factory):
    "A real `transformers serve` with the tiny model, on 127.0.0.1 only."
    exe = Path(sys.executable).parent/'transformers'
    if not exe.exists(): pytest.skip('transformers CLI (transformers[serving]) not installed')
    port, logf = free_port(), tmp_path_factory.mktemp('serve')/'serve.log'
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1'}
    with open(logf, 'w') as log:
        proc = subprocess.Popen([str(exe), 'serve', str(tiny), '--host', '127.0.0.1', '--port', str(port), '--device', 'cpu'],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(240):
            if proc.poll() is not None: pytest.fail(f'transformers serve exited with {proc.returncode}: {logf.read_text()[-2000:]}')
            try:
                if urllib.request.urlopen(url + '/health', timeout=1).status == 200: break
            except OSError: time.sleep(0.5)
        else: pytest.fail(f'transformers serve did not come up in 120 s: {logf.read_text()[-2000:]}')
        yield url + '/v1'
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()

def test_zero_shot_against_real_server(server, tiny, tmp_path):
    be = make_backend('openai', str(tiny), base_url=server, server='transformers', cache=tmp_path/'c.sqlite', concurrency=4)
    texts = {'en': ['A wonderful film.', 'Dull and far too long.'], 'sw': ['Ni nzuri sana!', 'Huduma mbaya kabisa.']}
    reqs = [Request(messages=classification_messages('sentiment', t, rules=be.template_rules), max_tokens=20)
            for lang in texts for t in texts[lang]]
    t0 = time.perf_counter(); out = be.generate(reqs); first = time.perf_counter() - t0
    assert be.sent == 4 and all(o.prompt_tokens > 0 and 0 < o.completion_tokens <= 20 for o in out)
    labels, failures = parse_labels([o.text for o in out], 'sentiment')
    assert all(l in (-1, 0, 1) for l in labels) and failures == labels.count(-1)
    t0 = time.perf_counter(); again = be.generate(reqs); cached = time.perf_counter() - t0
    assert be.sent == 4 and all(o.cached for o in again) and [o.texts for o in again] == [o.texts for o in out]
    print(f'real server: 4 requests {first:.2f}s, from cache {cached:.4f}s')

def test_completions_endpoint_and_cross_backend_cache(server, tiny, tmp_path):
    "A text prompt uses /v1/completions; the in-process backend then finds the server's answers in the cache."
    be = OpenAIBackend(str(tiny), base_url=server, server='transformers', cache=tmp_path/'c.sqlite')
    r = Request(prompt='The weather today', max_tokens=5)
    out = be.generate([r])[0]
    assert out.completion_tokens == 5 and isinstance(out.text, str)
    local = make_backend('transformers', str(tiny), cache=be.cache)
    assert local.generate([r])[0].cached and local.sent == 0

def capture_bodies(be:OpenAIBackend)->list:
    "The JSON body of every request `be` sends from now on (an httpx event hook on the openai client's connection)."
    bodies = []
    be.client._client.event_hooks['request'].append(lambda req: bodies.append(json.loads(req.read())))
    return bodies

KEYED = {'temperature', 'top_p', 'max_tokens', 'seed', 'stop', 'top_k', 'min_p', 'repetition_penalty', 'do_sample'}

def test_body_carries_every_keyed_sampling_parameter(server, tiny, tmp_path):
    "Neutral values are sent too, so the server's generation config fills nothing; greedy answers match the in-process backend."
    be = OpenAIBackend(str(tiny), base_url=server, server='transformers', cache=tmp_path/'c.sqlite', concurrency=2)
    bodies = capture_bodies(be)
    chat = lambda text, **kw: Request(messages=[{'role': 'user', 'content': text}], max_tokens=8, **kw)
    greedy = [chat('Sentence: A wonderful film.'), chat('Sentence: Dull and far too long.', repetition_penalty=1.3),
              chat('Sentence: Ni nzuri sana!', stop=('.',))]
    sampled = chat('Write a sentence about the weather:', temperature=0.7, top_p=0.9, seed=3)
    http = be.generate(greedy + [sampled])
    assert len(bodies) == 4 and all(o.completion_tokens > 0 for o in http)
    by_text = {b['messages'][-1]['content']: b for b in bodies}
    for r in greedy + [sampled]:
        b = by_text[r.messages[-1]['content']]
        sent = {**b, **json.loads(b['generation_config'])}
        assert KEYED - {'seed', 'stop'} <= set(sent), sorted(KEYED - set(sent))
        assert (sent['temperature'], sent['top_p'], sent['max_tokens']) == (r.temperature, r.top_p, r.max_tokens)
        assert (sent['top_k'], sent['min_p'], sent['repetition_penalty'], sent['do_sample']) == (0, 0.0, r.repetition_penalty, not r.greedy)
        assert sent.get('seed') == (None if r.greedy else r.seed) and sent.get('stop', []) == list(r.stop)
    local = TransformersBackend(str(tiny), cache=False, batch_size=1)
    assert [o.texts for o in http[:3]] == [o.texts for o in local.generate(greedy)]
    print('body sent for the sampled request:', by_text[sampled.messages[-1]['content']])

def test_vllm_fields_are_refused_by_transformers_serve(server, tiny):
    "`transformers serve` refuses fields it does not know; the error says which were sent and points at `server`."
    be = OpenAIBackend(str(tiny), base_url=server, cache=False, max_retries=0)
    with pytest.raises(LLMError, match=r"(?s)server='vllm'.*min_p.*repetition_penalty.*top_k.*is that the server's kind"):
        be.generate([Request(prompt='x', max_tokens=2)])

def test_vllm_body_over_http(tmp_path):
    "The default (vLLM's fields) as a server receives it: top-level top_k, min_p, repetition_penalty, and n."
    with ScriptedServer() as srv:
        be = OpenAIBackend('m', base_url=srv.base_url, cache=False)
        be.generate([Request(prompt='x', max_tokens=2), Request(prompt='y', max_tokens=3, temperature=0.5, top_p=0.8, seed=1, n=2)])
    bodies = {b['prompt']: b for _, _, b, _ in srv.log}
    assert {k: bodies['x'][k] for k in ('temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty', 'n')} == \
           {'temperature': 0.0, 'top_p': 1.0, 'top_k': 0, 'min_p': 0.0, 'repetition_penalty': 1.0, 'n': 1}
    assert (bodies['y']['seed'], bodies['y']['top_p'], bodies['y']['n']) == (1, 0.8, 2) and 'seed' not in bodies['x']

def test_default_concurrency_suits_vllm():
    assert OpenAIBackend('m', base_url='http://127.0.0.1:9/v1', cache=False).concurrency >= 64

def test_api_key_never_stored(tmp_path, monkeypatch):
    secret = 'sk-test-SECRET-0123456789'
    monkeypatch.setenv('MY_LLM_KEY', secret)
    with ScriptedServer() as srv:
        be = OpenAIBackend('m', base_url=srv.base_url, api_key_env='MY_LLM_KEY', cache=tmp_path/'c.sqlite')
        be.generate([Request(prompt='x', max_tokens=2)])
        assert srv.log[0][3].get('authorization') == f'Bearer {secret}'
        be.close()
    for f in tmp_path.iterdir(): assert secret.encode() not in f.read_bytes(), f

# Faults: each is retried (and then succeeds) or reported clearly; finished answers are never lost.
def run(script, n=1, **kw):
    with ScriptedServer(script, delay=kw.pop('delay', 0)) as srv:
        be = OpenAIBackend('m', base_url=srv.base_url, cache=False, concurrency=1, **kw)
        return be.generate([Request(prompt=f'p{i}', max_tokens=3) for i in range(n)]), srv.log

@pytest.mark.parametrize('fault', [500, 503, 429, 'refuse', 'malformed', 'truncated'])
def test_transient_fault_is_retried(fault):
    out, log = run([fault, fault], max_retries=2)
    assert out[0].text == 'positive' and [s for _,s,*_ in log] == [fault, fault, 'ok']

def test_timeout_is_retried():
    t0 = time.perf_counter()
    out, log = run(['timeout'], timeout=0.5, delay=2, max_retries=1)
    assert out[0].text == 'positive' and len(log) == 2 and time.perf_counter() - t0 < 5

@pytest.mark.parametrize('fault,message', [(500, 'InternalServerError'), (429, 'RateLimitError'), ('malformed', 'malformed answer'),
                                           ('truncated', 'APIConnectionError'), ('timeout', 'APITimeoutError')])
def test_persistent_fault_is_reported(fault, message):
    with pytest.raises(LLMError, match=message) as e:
        run([fault]*3, max_retries=1, timeout=0.5, delay=1.5)
    assert "1 of 1 request(s) to 'm'" in str(e.value)

def test_connection_refused_is_reported():
    port = free_port()
    be = OpenAIBackend('m', base_url=f'http://127.0.0.1:{port}/v1', cache=False, max_retries=1)
    with pytest.raises(LLMError, match='APIConnectionError'): be.generate([Request(prompt='x')])

@pytest.mark.parametrize('fault', [500, 'malformed', 'truncated', 'timeout'])
def test_fault_loses_no_finished_work(fault, tmp_path):
    "A batch where one request keeps failing: the others are cached, and the rerun sends only the failed one."
    reqs = [Request(prompt=f'p{i}', max_tokens=3) for i in range(3)]
    with ScriptedServer(['ok', fault, fault, 'ok'], delay=1.5) as srv:
        be = OpenAIBackend('m', base_url=srv.base_url, cache=tmp_path/'c.sqlite', concurrency=1, max_retries=1, timeout=0.5)
        with pytest.raises(LLMError, match='1 of 3 request'): be.generate(reqs)
        assert be.sent == 2 and len(be.cache) == 2
        assert [o.text for o in be.generate(reqs)] == ['positive']*3
        assert be.sent == 3 and len(srv.log) == 5
