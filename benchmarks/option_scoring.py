"""Option-likelihood scoring: one shared prompt pass (`option_logprobs`) against one full pass per option, in one run.

    python benchmarks/option_scoring.py [--model smollm2-135m-instruct] [--n 48] [--task topic] [--lang en] [--shots 0]

The prompts are the zero-shot (or, with --shots, in-context) classification prompts of the first --n test texts of a
task and language of the paper data, rendered as the model reads them (its chat template, or a transcript for a base
model); the options are the task's verbalisers. Both ways score the same token ids with the same model, and the
benchmark prints the largest absolute difference between their log-likelihoods, whether they pick the same option, and
seconds per prompt of each (the shared pass in batches of --batch prompts). torch runs on --threads threads.
"""
import argparse, os, time
os.environ.setdefault('HF_HUB_OFFLINE', '1')

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', default='smollm2-135m-instruct'); ap.add_argument('--n', type=int, default=48)
    ap.add_argument('--task', default='topic'); ap.add_argument('--lang', default='en'); ap.add_argument('--shots', type=int, default=0)
    ap.add_argument('--batch', type=int, default=16); ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    import torch
    from synth_lowres.core import get_task
    from synth_lowres.data import load_test, load_pool
    from synth_lowres.llm import TransformersBackend, Request, option_logprobs, reads_transcript
    from synth_lowres.prompts import classification_messages, draw_shots
    torch.set_num_threads(a.threads)
    task, be = get_task(a.task), TransformersBackend(a.model, cache=False)
    be._load(); tok, lm = be._tok, be._lm
    test = load_test(a.task, a.lang).select(range(a.n))
    shots = []
    if a.shots:
        pool = load_pool(a.task, a.lang, 'human')
        shots = draw_shots(list(pool['text']), list(pool['label']), a.shots, 0, n_classes=task.n_classes)
    reqs = [Request(messages=classification_messages(task, t, shots, rules=be.template_rules), choices=tuple(task.verbalisers)) for t in test['text']]
    prompts = [tok(be._text(r), add_special_tokens=False)['input_ids'] for r in reqs]
    sep = ' ' if reads_transcript(tok, reqs[0]) else ''
    opts = [[tok(sep + c, add_special_tokens=False)['input_ids'] for c in task.verbalisers]] * len(prompts)
    t0 = time.perf_counter()
    shared = [s for b in range(0, len(prompts), a.batch) for s in option_logprobs(lm, prompts[b:b+a.batch], opts[b:b+a.batch], tok.pad_token_id)]
    t_shared = time.perf_counter() - t0
    t0 = time.perf_counter(); separate = option_logprobs(lm, prompts, opts, tok.pad_token_id, shared=False); t_sep = time.perf_counter() - t0
    gap = max(abs(x - y) for r, s in zip(shared, separate) for x, y in zip(r, s))
    same = sum(max(range(len(r)), key=r.__getitem__) == max(range(len(s)), key=s.__getitem__) for r, s in zip(shared, separate))
    print(f"model {be.model_id}, {a.task}/{a.lang}, {len(prompts)} prompts of {sum(map(len, prompts)) / len(prompts):.0f} tokens on average, "
          f"{task.n_classes} options of {min(map(len, opts[0]))}-{max(map(len, opts[0]))} tokens, {a.shots} shot(s) per class, {a.threads} threads")
    print(f"max |shared - separate| log-likelihood: {gap:.2e}; same option picked: {same}/{len(prompts)}")
    print(f"shared prompt pass: {t_shared / len(prompts) * 1000:.0f} ms/prompt; one pass per option: {t_sep / len(prompts) * 1000:.0f} ms/prompt; "
          f"speed-up {t_sep / t_shared:.1f}x")

if __name__ == '__main__': main()
