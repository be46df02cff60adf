"""Seconds per 100 LoRA instruction-tuning steps (paper settings: r 16, batch 4, k/v/down_proj).

Builds local Llama-architecture chat models of several sizes (no downloads), makes training examples from
the paper's Swahili sentiment pool (or built-in sentences when the data is absent) and times
`synth_lowres.instruct.lora_train` for a few steps. Runs on the GPU when there is one.

    python benchmarks/instruct_speed.py                       # tiny and ~100M models, 20 steps each
    python benchmarks/instruct_speed.py --models tiny --steps 100 --threads 1
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
    args = ap.parse_args()
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

if __name__ == '__main__': main()
