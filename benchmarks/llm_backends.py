"""LLM backends on the paper's data: zero-shot and in-context, one task x two languages, each backend.

    python benchmarks/llm_backends.py --task sentiment --langs en sw --n-test 200 [--model FOLDER] [--backends transformers openai]

With no --model, the tiny local model is built (random weights: the numbers show the plumbing and the
cost, not accuracy). The openai backend runs against a real `transformers serve` started on 127.0.0.1.
Also prints batched vs one-at-a-time throughput of the transformers backend and the cache speed-up.
"""
import argparse, os, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path
os.environ.setdefault('HF_HUB_OFFLINE', '1')
import torch
from synth_lowres.core import get_task, repeat_seeds
from synth_lowres.data import load_test, load_pool, sample_per_class
from synth_lowres.llm import Request, make_backend, throughput
from synth_lowres.metrics import classification_scores
from synth_lowres.prompts import classification_messages, draw_shots, parse_labels
from synth_lowres.tiny import build_tiny_causal_lm

def serve(model):
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    exe = Path(sys.executable).parent/'transformers'
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    proc = subprocess.Popen([str(exe), 'serve', str(model), '--host', '127.0.0.1', '--port', str(port), '--device', 'cpu'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(240):
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/health', timeout=1); break
        except OSError: time.sleep(0.5)
    return proc, f'http://127.0.0.1:{port}/v1'

def run(be, task, lang, mode, n_test, seed):
    test = load_test(task, lang)
    test = test.select(range(min(n_test, len(test))))
    shots = []
    if mode == 'icl':
        pool = sample_per_class(load_pool(task, lang, 'synthetic'), 10, seed, n_classes=task.n_classes)
        shots = draw_shots(list(pool['text']), list(pool['label']), 2, seed, n_classes=task.n_classes)
    reqs = [Request(messages=classification_messages(task, t, shots, rules=be.template_rules), max_tokens=20) for t in test['text']]
    t0 = time.perf_counter(); comps = be.generate(reqs); secs = time.perf_counter() - t0
    outs = [c.text for c in comps]
    row = dict(backend=be.kind, lang=lang, mode=mode, n=len(reqs), seconds=round(secs, 2),
               prompt_tokens=sum(c.prompt_tokens for c in comps), completion_tokens=sum(c.completion_tokens for c in comps))
    for rule in ('robust', 'paper'):
        s = classification_scores(test['label'], parse_labels(outs, task, rule)[0], task.n_classes)
        row[f'f1_{rule}'], row[f'fail_{rule}'] = round(s['macro_f1'], 3), s['parse_failures']
    return row

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--task', default='sentiment'); ap.add_argument('--langs', nargs='+', default=['en', 'sw'])
    ap.add_argument('--n-test', type=int, default=200); ap.add_argument('--model', default=None)
    ap.add_argument('--n-test-http', type=int, default=None, help='test texts per language for the openai backend (default: --n-test)')
    ap.add_argument('--backends', nargs='+', default=['transformers', 'openai'])
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = a.model or str(build_tiny_causal_lm())
    task, seed = get_task(a.task), repeat_seeds(1)[0]
    tmp = Path(tempfile.mkdtemp())
    rows = []
    for kind in a.backends:
        proc = None
        kw = dict(cache=tmp/f'{kind}.sqlite')
        if kind == 'openai':
            proc, url = serve(model); kw.update(base_url=url, concurrency=4, server='transformers')
        if kind == 'transformers': kw.update(batch_size=16)
        be = make_backend(kind, model, **kw)
        try:
            n = a.n_test_http or a.n_test if kind == 'openai' else a.n_test
            first = len(rows)
            for lang in a.langs:
                for mode in ('zeroshot', 'icl'): rows.append(run(be, task, lang, mode, n, seed)); print(rows[-1], flush=True)
            again = run(be, task, a.langs[0], 'zeroshot', n, seed)
            print(f'{kind}: rerun of {a.langs[0]} zero-shot from the cache {again["seconds"]:.3f}s vs {rows[first]["seconds"]}s '
                  f'({rows[first]["seconds"]/max(again["seconds"], 1e-6):.0f}x)', flush=True)
        finally:
            be.close()
            if proc: proc.terminate(); proc.wait()
    if 'transformers' in a.backends:
        test = load_test(task, a.langs[0]).select(range(min(a.n_test, 64)))
        reqs = [Request(messages=classification_messages(task, t), max_tokens=20) for t in test['text']]
        b16 = make_backend('transformers', model, cache=False, batch_size=16); b1 = make_backend('transformers', model, cache=False, batch_size=1)
        b1.generate(reqs[:2])
        r16, r1 = throughput(b16, reqs), throughput(b1, reqs)
        print(f'throughput ({len(reqs)} zero-shot requests, 20 new tokens, {a.threads} thread(s)): batch 16 {r16:.1f} req/s, '
              f'one at a time {r1:.1f} req/s, ratio {r16/r1:.1f}x')
    import pandas as pd
    print(pd.DataFrame(rows).to_string(index=False))

if __name__ == '__main__': main()
