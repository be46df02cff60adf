"""Seconds per 100 LoRA instruction-tuning steps (paper settings: r 16, batch 4, k/v/down_proj).

Builds local Llama-architecture chat models of several sizes (no downloads), makes training examples from
the paper's Swahili sentiment pool (or built-in sentences when the data is absent) and times
`synth_lowres.instruct.lora_train` for a few steps. Runs on the GPU when there is one.

    python benchmarks/instruct_speed.py                       # tiny and ~100M models, 20 steps each
    python benchmarks/instruct_speed.py --models tiny --steps 100 --threads 1
    python benchmarks/instruct_speed.py --per-run 3          # instruct + instruct+icl runs of the tiny chat model:
                                                             # base-model loads and bytes written per run

`--per-run` works against any checkout of the package on `PYTHONPATH` (it passes `save_adapters` only
where the student accepts it), so old and new code paths can be compared.
"""
import argparse, os, tempfile, time
from pathlib import Path

SIZES = {  # name -> build_tiny_causal_lm arguments
    'tiny': dict(hidden_size=32, layers=2, heads=2, vocab_size=1000),
    'tiny64': dict(hidden_size=64, layers=2, heads=4, vocab_size=1000),
    '100m': dict(hidden_size=768, layers=16, heads=12, vocab_size=8000),
}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--models', default='tiny,100m', help=f"comma-separated, from {sorted(SIZES)}")
    ap.add_argument('--steps', type=int, default=20, help='LoRA steps to time per model')
    ap.add_argument('--threads', type=int, default=0, help='torch CPU threads (0: torch default)')
    ap.add_argument('--n-train', type=int, default=40, help='training examples')
    ap.add_argument('--per-run', type=int, default=0, help='instead: this many instruct + instruct+icl repeats; loads and bytes per run')
    ap.add_argument('--save-adapters', action='store_true', help='with --per-run: keep adapters (where the student accepts it)')
    args = ap.parse_args()
    if args.per_run: return per_run(args.per_run, args.save_adapters)
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    import torch
    if args.threads: torch.set_num_threads(args.threads)
    import transformers; transformers.logging.set_verbosity_error(); transformers.utils.logging.disable_progress_bar()
    from transformers import AutoTokenizer, AutoModelForCausalLM
    from synth_lowres.tiny import build_tiny_causal_lm, SAMPLE_TEXTS
    from synth_lowres.instruct import InstructConfig, instruction_examples, lora_train
    try:
        from synth_lowres.data import load_pool
        pool = load_pool('sentiment', 'sw', 'synthetic')
        texts, labels = list(pool['text'])[:args.n_train * 10], list(pool['label'])[:args.n_train * 10]
    except Exception as e:
        print(f"paper data unavailable ({e}); using built-in sentences")
        texts, labels = list(SAMPLE_TEXTS) * 40, [i % 2 for i in range(len(SAMPLE_TEXTS) * 40)]
    work = Path(tempfile.mkdtemp())
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    print(f"device={device} threads={torch.get_num_threads()} steps={args.steps} batch=4 n_train={args.n_train}")
    print(f"{'model':>8} {'params':>12} {'s/100 steps':>12} {'tokens/example':>15} {'peak RSS MiB':>13} {'CUDA max MiB':>13}")
    for name in args.models.split(','):
        folder = build_tiny_causal_lm(work/name, texts=texts, **SIZES[name])
        tok = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForCausalLM.from_pretrained(folder)
        n_params = sum(p.numel() for p in model.parameters())
        exs = instruction_examples('sentiment', texts[:args.n_train], labels[:args.n_train], tok)
        cfg = InstructConfig.from_params(max_steps=args.steps, warmup_steps=min(10, args.steps - 1), logging_steps=max(1, args.steps))
        _, st = lora_train(model, tok, exs, cfg, seed=0)
        mean_len = sum(len(e['input_ids']) for e in exs) / len(exs)
        print(f"{name:>8} {n_params:>12,} {st['seconds_per_100_steps']:>12.1f} {mean_len:>15.0f} {st['peak_rss_mb']:>13.0f} "
              f"{st.get('cuda_max_allocated_mb', float('nan')):>13.0f}", flush=True)

def _bytes(folder:Path)->int: return sum(f.stat().st_size for f in folder.rglob('*') if f.is_file()) if folder.exists() else 0

def per_run(repeats:int, save_adapters:bool):
    "Base-model loads (`from_pretrained` calls) and bytes written (adapters + answer cache) per instruct / instruct+icl run."
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    import torch, transformers
    torch.set_num_threads(1); transformers.logging.set_verbosity_error(); transformers.utils.logging.disable_progress_bar()
    from transformers import AutoModelForCausalLM
    from datasets import Dataset
    import synth_lowres
    from synth_lowres.tiny import build_tiny_causal_lm, SAMPLE_TEXTS
    from synth_lowres.instruct import InstructStudent, InstructICLStudent
    loads, load = [0], AutoModelForCausalLM.from_pretrained.__func__
    def counting(cls, *a, **kw): loads[0] += 1; return load(cls, *a, **kw)
    AutoModelForCausalLM.from_pretrained = classmethod(counting)
    work = Path(tempfile.mkdtemp()); tiny = build_tiny_causal_lm(work/'tiny')
    texts = list(SAMPLE_TEXTS)[:8]; train = Dataset.from_dict({'text': texts, 'label': [i % 2 for i in range(len(texts))]})
    opts = dict(max_steps=4, learning_rate=1e-2, warmup_steps=1, adapter_dir=str(work/'adapters'), backend_options={'cache': str(work/'llm.sqlite')})
    if save_adapters and 'save_adapters' in InstructStudent.accepts(): opts['save_adapters'] = True
    print(f"package: {Path(synth_lowres.__file__).parent}  settings: {({k: v for k, v in opts.items() if k != 'backend_options'})}")
    print(f"{'repeat':>6} {'method':>13} {'base loads':>10} {'bytes written':>13} {'adapter bytes':>13} {'cache bytes':>11}")
    for seed in range(1, repeats + 1):
        for cls in (InstructStudent, InstructICLStudent):
            l0, a0, c0 = loads[0], _bytes(work/'adapters'), _bytes(work) - _bytes(work/'adapters') - _bytes(work/'tiny')
            st = cls('sentiment', 'sw', model=str(tiny), **opts); st.fit(train, seed); st.predict(texts); st.close()
            da, dc = _bytes(work/'adapters') - a0, _bytes(work) - _bytes(work/'adapters') - _bytes(work/'tiny') - c0
            print(f"{seed:>6} {cls.method:>13} {loads[0] - l0:>10} {da + dc:>13,} {da:>13,} {dc:>11,}", flush=True)
    n, a, c = 2 * repeats, _bytes(work/'adapters'), _bytes(work) - _bytes(work/'adapters') - _bytes(work/'tiny')
    print(f"{'mean':>6} {'per run':>13} {loads[0] / n:>10.2f} {(a + c) / n:>13,.0f} {a / n:>13,.0f} {c / n:>11,.0f}")

if __name__ == '__main__': main()
