"""GPU check: what one GPU does with the paper's models, before planning a grid on it.

Builds the real architectures from their configs with random weights (nothing is downloaded;
HF_HUB_OFFLINE=1 is fine) and times, in one table:

- fine-tuning XLM-R-large (24 layers, hidden 1024, 16 heads, vocab 250002) as a sequence classifier at each of
  the paper's batch sizes (`synth_lowres.students.PAPER_BATCH_SIZES`): steps/s, tokens/s, MFU;
- LoRA training of a Llama-3-8B-shaped causal LM (hidden 4096, MLP 14336, 32 heads, 8 KV heads, vocab 128256;
  `--llama-layers` of its 32 layers) with the package's `InstructConfig` (r, alpha, dropout, target modules, batch);
- batched greedy generation with `model.generate` on the same model (bf16), a fixed number of new tokens;
- the same generation with vLLM (`--vllm`, random "dummy" weights) when vLLM is importable.

    python benchmarks/gpu_check.py                          # on the GPU: < 8 minutes on one H100/H200
    python benchmarks/gpu_check.py --llama-layers 32 --out gpu_check   # full depth; writes gpu_check.csv/.md
    python benchmarks/gpu_check.py --tiny                   # tiny shapes (automatic without CUDA): seconds on a CPU

Code paths: the training loop is a plain `loss.backward(); clip_grad_norm_(1.0); AdamW.step()` on the model and
dtype the package trains (fine-tuning: fp32 weights under bf16 autocast with fused AdamW, as `FinetuneStudent`'s
`Trainer(bf16=True, optim='adamw_torch_fused')`; LoRA: bf16 base weights, peft `LoraConfig` from `InstructConfig`,
the optimiser `pick_optimizer` names), not `transformers.Trainer`, whose per-step overhead is therefore not
included. Generation is `model.generate` as `HFBackend` calls it (bf16, eval, greedy).

MFU = FLOPs per token x tokens/s / peak FLOP/s, with N = parameters that do matrix multiplies (all but the
embedding tables; Llama's untied lm_head counts): 6N for full fine-tuning, 4N + 6N_lora for LoRA (the frozen base
needs no weight gradients), 2N per processed (prompt + generated) token for generation. Attention-score FLOPs
are left out (small at these lengths). Peak: bf16 dense from a small table by GPU name, or `--peak-tflops`.
"""
import argparse, csv, gc, os, platform, resource, tempfile, time, warnings
from contextlib import nullcontext
from pathlib import Path

PEAK_BF16_TFLOPS = (('H200', 989.0), ('H100 PCIe', 756.0), ('H100', 989.0), ('GH200', 989.0), ('A100', 312.0),
                    ('L40S', 362.0), ('A10', 125.0))   # dense bf16 tensor-core TFLOP/s by device-name substring (SXM figures)

XLMR_LARGE = dict(num_hidden_layers=24, hidden_size=1024, num_attention_heads=16, intermediate_size=4096,
                  vocab_size=250002, max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5,
                  pad_token_id=1, bos_token_id=0, eos_token_id=2)
XLMR_TINY = dict(XLMR_LARGE, num_hidden_layers=2, hidden_size=128, num_attention_heads=2, intermediate_size=512, vocab_size=8000)
LLAMA3_8B = dict(hidden_size=4096, intermediate_size=14336, num_attention_heads=32, num_key_value_heads=8,
                 vocab_size=128256, max_position_embeddings=8192, rope_theta=500000.0, rms_norm_eps=1e-5,
                 tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001, pad_token_id=128001)
LLAMA3_8B_LAYERS = 32
LLAMA_TINY = dict(LLAMA3_8B, hidden_size=128, intermediate_size=448, num_attention_heads=4, num_key_value_heads=2,
                  vocab_size=8000, max_position_embeddings=4096, bos_token_id=1, eos_token_id=2, pad_token_id=2)

COLUMNS = ('workload', 'model', 'batch', 'seq', 'dtype', 'optimizer', 'timed', 's/step', 'steps/s', 'tokens/s',
           'TFLOP/s', 'MFU %', 'peak MiB', 'at 32 layers (est.)', 'note')

def parse_args(argv=None):
    from synth_lowres.students import PAPER_BATCH_SIZES
    paper_bs = sorted({b for _, b in PAPER_BATCH_SIZES} | {64})
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--tiny', action='store_true', help='tiny shapes (2 layers, hidden 128); automatic when CUDA is absent')
    ap.add_argument('--device', default=None, help="'cuda', 'cuda:1', 'cpu' (default: cuda if available)")
    ap.add_argument('--llama-layers', type=int, default=8,
                    help=f'decoder layers of the Llama-3-8B-shaped model (of {LLAMA3_8B_LAYERS}; default 8 keeps the run short)')
    ap.add_argument('--ft-batch-sizes', default=','.join(map(str, paper_bs)),
                    help="fine-tuning batch sizes (default: the paper's, by training size)")
    ap.add_argument('--ft-seq-len', type=int, default=64,
                    help='fine-tuning tokens per example (paper texts: 10-100 characters short ones plus longer ones; max_length 256)')
    ap.add_argument('--num-labels', type=int, default=3, help='classes of the classification head')
    ap.add_argument('--lora-batch', type=int, default=None, help="LoRA batch (default: InstructConfig's, the paper's 4)")
    ap.add_argument('--lora-seq-len', type=int, default=128, help='LoRA tokens per example (chat prompt + text + label)')
    ap.add_argument('--gen-batch', type=int, default=None, help='prompts per generate call (default 32; tiny: 8)')
    ap.add_argument('--gen-prompt-len', type=int, default=None,
                    help='prompt tokens (default 512, an in-context prompt with 2 examples per class; tiny: 128)')
    ap.add_argument('--gen-new-tokens', default=None,
                    help="comma-separated new-token counts, one row each (default 20,256; paper's ICL: 20; tiny: 20,64)")
    ap.add_argument('--steps', type=int, default=None, help='timed training steps per row (default 20 on a GPU, 3 on a CPU)')
    ap.add_argument('--warmup', type=int, default=None, help='untimed warm-up steps per row (default 3 on a GPU, 1 on a CPU)')
    ap.add_argument('--gen-repeats', type=int, default=None, help='timed generate calls per row (default 3 on a GPU, 1 on a CPU)')
    ap.add_argument('--peak-tflops', type=float, default=None, help='peak bf16 dense TFLOP/s for MFU (default: from the GPU name)')
    ap.add_argument('--only', default='finetune,lora,generate', help='comma-separated subset of finetune,lora,generate')
    ap.add_argument('--vllm', action='store_true', help='also time vLLM generation (skipped with a note if vllm is not importable)')
    ap.add_argument('--vllm-gpu-util', type=float, default=0.6, help="vLLM's gpu_memory_utilization")
    ap.add_argument('--threads', type=int, default=0, help='torch CPU threads (0: torch default)')
    ap.add_argument('--out', default=None, help='also write the table to OUT.csv and OUT.md (any suffix of OUT is replaced)')
    args = ap.parse_args(argv)
    args.ft_batch_sizes = [int(b) for b in args.ft_batch_sizes.split(',') if b.strip()]
    args.only = {w.strip() for w in args.only.split(',') if w.strip()}
    bad = args.only - {'finetune', 'lora', 'generate'}
    if bad: ap.error(f"--only: unknown workload(s) {sorted(bad)}; known: finetune, lora, generate")
    if args.llama_layers < 1: ap.error(f'--llama-layers must be at least 1, got {args.llama_layers}')
    if not 1 <= args.ft_seq_len <= 512: ap.error(f'--ft-seq-len must be in 1..512 (XLM-R has 514 positions), got {args.ft_seq_len}')
    return args

class Bench:
    "Device, dtype, timing and memory bookkeeping shared by the workloads."
    def __init__(self, args):
        import torch
        self.torch, self.args = torch, args
        self.device = torch.device(args.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
        self.cuda = self.device.type == 'cuda'
        if self.cuda:   # an explicit index: torch.cuda.set_device refuses a bare 'cuda'
            if self.device.index is None: self.device = torch.device('cuda', torch.cuda.current_device())
            torch.cuda.set_device(self.device)
        self.tiny = args.tiny or not self.cuda
        self.bf16 = self.cuda and torch.cuda.is_bf16_supported()
        self.name = torch.cuda.get_device_name(self.device) if self.cuda else (platform.processor() or platform.machine())
        self.peak_tflops = args.peak_tflops or (next((t for k, t in PEAK_BF16_TFLOPS if k in self.name), None) if self.cuda else None)
        self.steps = args.steps or (20 if self.cuda else 3)
        self.warmup = args.warmup if args.warmup is not None else (3 if self.cuda else 1)
        self.gen_repeats = args.gen_repeats or (3 if self.cuda else 1)
        args.gen_batch = args.gen_batch or (8 if self.tiny else 32)
        args.gen_prompt_len = args.gen_prompt_len or (128 if self.tiny else 512)
        args.gen_new_tokens = [int(n) for n in (args.gen_new_tokens or ('20,64' if self.tiny else '20,256')).split(',') if n.strip()]
        self.rows = []

    def sync(self):
        if self.cuda: self.torch.cuda.synchronize(self.device)

    def autocast(self):
        "bf16 autocast on a GPU that supports it (Trainer's `bf16=True`), else nothing."
        return self.torch.autocast(device_type='cuda', dtype=self.torch.bfloat16) if self.bf16 else nullcontext()

    def reset_peak(self):
        if self.cuda: self.torch.cuda.reset_peak_memory_stats(self.device)

    def peak_mib(self)->float:
        "CUDA max allocated since `reset_peak` on a GPU; the process's peak RSS (never decreasing) on a CPU."
        if self.cuda: return self.torch.cuda.max_memory_allocated(self.device) / 2**20
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def timed(self, step, warmup:int, n:int)->float:
        "Seconds per call of `step`, over `n` calls after `warmup` untimed ones; the GPU is synchronised before each clock read."
        for _ in range(warmup): step()
        self.sync()
        t0 = time.perf_counter()
        for _ in range(n): step()
        self.sync()
        return (time.perf_counter() - t0) / n

    def mfu(self, flops_per_s:float):
        return 100 * flops_per_s / (self.peak_tflops * 1e12) if self.peak_tflops else None

    def add(self, **row):
        self.rows.append(row)
        print(' | '.join(fmt(row.get(c)) for c in COLUMNS), flush=True)

    def oom(self):
        return (self.torch.cuda.OutOfMemoryError,) if self.cuda else ()

    def free(self):
        gc.collect()
        if self.cuda: self.torch.cuda.empty_cache()

def fmt(v)->str:
    if v is None: return ''
    if isinstance(v, float): return f'{v:,.3g}' if abs(v) < 100 else f'{v:,.0f}'
    return str(v)

def param_counts(model)->tuple:
    "(all parameters, parameters that do matrix multiplies: all but those of `nn.Embedding` tables)."
    from torch import nn
    total = sum(p.numel() for p in model.parameters())
    emb = sum(p.numel() for m in model.modules() if isinstance(m, nn.Embedding) for p in m.parameters(recurse=False))
    return total, total - emb

def build(bench:Bench, cls, config, dtype):
    "`cls.from_config(config)` (an Auto class) with random weights, created directly on the device in `dtype`."
    torch = bench.torch
    torch.manual_seed(0)
    with torch.device(bench.device): model = cls.from_config(config, dtype=dtype)
    return model.to(bench.device)

def random_ids(bench:Bench, batch:int, seq:int, vocab:int):
    return bench.torch.randint(3, vocab, (batch, seq), device=bench.device)

def finetune_rows(bench:Bench):
    "Full fine-tuning of XLM-R(-large) for sequence classification at each batch size."
    torch, args = bench.torch, bench.args
    from transformers import XLMRobertaConfig, AutoModelForSequenceClassification
    cfg = XLMRobertaConfig(**(XLMR_TINY if bench.tiny else XLMR_LARGE), num_labels=args.num_labels, classifier_dropout=0.2)
    model = build(bench, AutoModelForSequenceClassification, cfg, torch.float32).train()
    total, n = param_counts(model)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0, fused=bench.cuda)
    name = f"XLM-R{'-tiny' if bench.tiny else '-large'} ({total/1e6:,.0f}M)"
    dtype, seq = 'fp32+bf16 autocast' if bench.bf16 else 'fp32', args.ft_seq_len
    for bs in args.ft_batch_sizes:
        ids, mask = random_ids(bench, bs, seq, cfg.vocab_size), torch.ones(bs, seq, dtype=torch.long, device=bench.device)
        labels = torch.randint(0, args.num_labels, (bs,), device=bench.device)
        def step():
            with bench.autocast(): loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); opt.zero_grad(set_to_none=True)
        row = dict(workload='fine-tune', model=name, batch=bs, seq=seq, dtype=dtype, optimizer='AdamW fused' if bench.cuda else 'AdamW',
                   timed=bench.steps)
        bench.reset_peak()
        try: s = bench.timed(step, bench.warmup, bench.steps)
        except bench.oom():
            opt.zero_grad(set_to_none=True); bench.free()
            bench.add(**row, note='out of memory'); continue
        tok_s = bs * seq / s
        bench.add(**row, **{'s/step': s, 'steps/s': 1 / s, 'tokens/s': tok_s, 'TFLOP/s': 6 * n * tok_s / 1e12,
                            'MFU %': bench.mfu(6 * n * tok_s), 'peak MiB': bench.peak_mib()})
    del model, opt; bench.free()

def llama_model(bench:Bench, dtype):
    "The Llama-3-8B-shaped causal LM (tiny on request), its config, and the full-depth scale factor for throughput."
    from transformers import LlamaConfig, AutoModelForCausalLM
    shape = LLAMA_TINY if bench.tiny else LLAMA3_8B
    cfg = LlamaConfig(**shape, num_hidden_layers=2 if bench.tiny else bench.args.llama_layers)
    model = build(bench, AutoModelForCausalLM, cfg, dtype)
    total, n = param_counts(model)
    per_layer = sum(p.numel() for p in model.model.layers[0].parameters())
    full = n + (LLAMA3_8B_LAYERS - cfg.num_hidden_layers) * per_layer
    scale = None if bench.tiny else n / full   # throughput at 32 layers ≈ measured x scale (same MFU)
    layers = f'{cfg.num_hidden_layers}/{LLAMA3_8B_LAYERS} layers'
    name = f"Llama-tiny ({total/1e6:,.1f}M)" if bench.tiny else f"Llama-3-8B shape, {layers} ({total/1e9:,.2f}B)"
    return model, cfg, n, per_layer, scale, name

def lora_rows(bench:Bench):
    "LoRA training of the Llama-shaped model with the package's instruction-tuning settings."
    torch, args = bench.torch, bench.args
    from peft import LoraConfig, get_peft_model
    from synth_lowres.instruct import InstructConfig, pick_optimizer
    ic = InstructConfig()
    model, cfg, n, per_layer, scale, name = llama_model(bench, torch.bfloat16 if bench.bf16 else torch.float32)
    lora = LoraConfig(r=ic.r, lora_alpha=ic.lora_alpha, lora_dropout=ic.lora_dropout, target_modules=list(ic.target_modules), task_type='CAUSAL_LM')
    with warnings.catch_warnings():   # transformers' deprecation notice raised inside peft, as in `lora_train`
        warnings.filterwarnings('ignore', category=FutureWarning)
        pm = get_peft_model(model, lora).train()
    trainable = [p for p in pm.parameters() if p.requires_grad]
    n_lora = sum(p.numel() for p in trainable)
    optim = pick_optimizer(ic.optim)
    if optim == 'paged_adamw_8bit':
        import bitsandbytes as bnb
        opt = bnb.optim.PagedAdamW8bit(trainable, lr=ic.learning_rate, weight_decay=ic.weight_decay)
    else: opt, optim = torch.optim.AdamW(trainable, lr=ic.learning_rate, weight_decay=ic.weight_decay), 'adamw_torch'
    bs, seq = args.lora_batch or ic.batch_size, args.lora_seq_len
    ids = random_ids(bench, bs, seq, cfg.vocab_size)
    mask = torch.ones_like(ids)
    def step():
        with bench.autocast(): loss = pm(input_ids=ids, attention_mask=mask, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
    row = dict(workload=f'LoRA r{ic.r} {"/".join(ic.target_modules)}', model=name, batch=bs, seq=seq,
               dtype=('bf16 weights+autocast' if bench.bf16 else 'fp32'), optimizer=optim, timed=bench.steps)
    bench.reset_peak()
    try: s = bench.timed(step, bench.warmup, bench.steps)
    except bench.oom():
        del pm, model, opt; bench.free(); bench.add(**row, note='out of memory'); return
    tok_s, flops = bs * seq / s, 4 * n + 6 * n_lora
    bench.add(**row, **{'s/step': s, 'steps/s': 1 / s, 'tokens/s': tok_s, 'TFLOP/s': flops * tok_s / 1e12, 'MFU %': bench.mfu(flops * tok_s),
                        'peak MiB': bench.peak_mib(), 'at 32 layers (est.)': scale and f'{scale / s:.3g} steps/s',
                        'note': f'{n_lora:,} trainable params'})
    del pm, model, opt; bench.free()

def generate_rows(bench:Bench):
    "Batched greedy `model.generate` on the Llama-shaped model: generated tokens/s per new-token count."
    torch, args = bench.torch, bench.args
    model, cfg, n, per_layer, scale, name = llama_model(bench, torch.bfloat16 if bench.cuda else torch.float32)
    model.eval()
    bs, plen = args.gen_batch, args.gen_prompt_len
    ids = random_ids(bench, bs, plen, cfg.vocab_size)
    mask = torch.ones_like(ids)
    for new in args.gen_new_tokens:
        kw = dict(max_new_tokens=new, min_new_tokens=new, do_sample=False, temperature=None, top_p=None, top_k=None,
                  pad_token_id=cfg.pad_token_id)   # min = max: every call makes exactly `new` tokens per prompt
        def step():
            with torch.no_grad(): out = model.generate(input_ids=ids, attention_mask=mask, **kw)
            assert out.shape == (bs, plen + new), f'generate returned {tuple(out.shape)}, expected {(bs, plen + new)}'
        row = dict(workload=f'generate HF ({new} new)', model=name, batch=bs, seq=f'{plen}+{new}',
                   dtype='bf16' if bench.cuda else 'fp32', timed=bench.gen_repeats)
        bench.reset_peak()
        try: s = bench.timed(step, 1, bench.gen_repeats)
        except bench.oom():
            bench.free(); bench.add(**row, note='out of memory'); continue
        gen_s, flops_s = bs * new / s, 2 * n * bs * (plen + new) / s
        bench.add(**row, **{'s/step': s, 'steps/s': 1 / s, 'tokens/s': gen_s, 'TFLOP/s': flops_s / 1e12, 'MFU %': bench.mfu(flops_s),
                            'peak MiB': bench.peak_mib(), 'at 32 layers (est.)': scale and f'{scale * gen_s:,.0f} tokens/s',
                            'note': 'tokens/s: generated; FLOPs: prompt + generated'})
    del model; bench.free()
    return cfg, scale, name

def vllm_rows(bench:Bench, cfg, scale, name):
    "The same generation with vLLM (random 'dummy' weights from the config; token-id prompts, no tokenizer)."
    args = bench.args
    try:
        from vllm import LLM, SamplingParams
    except Exception as e:
        bench.add(workload='generate vLLM', model=name, note=f'skipped: vllm not importable ({type(e).__name__})'); return
    if not bench.cuda:
        bench.add(workload='generate vLLM', model=name, note='skipped: needs CUDA'); return
    from synth_lowres.llm import shutdown_engine
    folder = Path(tempfile.mkdtemp(prefix='gpu-check-'))
    cfg.architectures, cfg.dtype = ['LlamaForCausalLM'], 'bfloat16'
    cfg.save_pretrained(folder)
    bs, plen = args.gen_batch, args.gen_prompt_len
    llm = LLM(model=str(folder), load_format='dummy', skip_tokenizer_init=True, dtype='bfloat16', seed=0,
              max_model_len=plen + max(args.gen_new_tokens) + 16, gpu_memory_utilization=args.vllm_gpu_util)
    try:
        g = bench.torch.Generator().manual_seed(0)
        prompts = [{'prompt_token_ids': bench.torch.randint(3, cfg.vocab_size, (plen,), generator=g).tolist()} for _ in range(bs)]
        for new in args.gen_new_tokens:
            sp = SamplingParams(temperature=0.0, max_tokens=new, min_tokens=new, ignore_eos=True, detokenize=False)
            def step():
                outs = llm.generate(prompts, sp, use_tqdm=False)
                made = sum(len(o.outputs[0].token_ids) for o in outs)
                assert made == bs * new, f'vLLM made {made} tokens, expected {bs * new}'
            s = bench.timed(step, 1, bench.gen_repeats)
            gen_s = bs * new / s
            bench.add(workload=f'generate vLLM ({new} new)', model=name, batch=bs, seq=f'{plen}+{new}', dtype='bf16', timed=bench.gen_repeats,
                      **{'s/step': s, 'steps/s': 1 / s, 'tokens/s': gen_s, 'at 32 layers (est.)': scale and f'{scale * gen_s:,.0f} tokens/s',
                         'note': f'peak memory: vLLM reserves {args.vllm_gpu_util:.0%} of the GPU'})
    finally: shutdown_engine(llm)

def header(bench:Bench)->list:
    import torch, transformers, peft
    a = bench.args
    xl = XLMR_TINY if bench.tiny else XLMR_LARGE
    ll = LLAMA_TINY if bench.tiny else LLAMA3_8B
    layers = 2 if bench.tiny else a.llama_layers
    lines = [f"device: {bench.device} ({bench.name}); torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
             f"python {platform.python_version()}; CPU threads {torch.get_num_threads()}",
             f"shapes{' (TINY: not the paper models)' if bench.tiny else ''}: XLM-R {xl['num_hidden_layers']}L h{xl['hidden_size']} "
             f"heads{xl['num_attention_heads']} ffn{xl['intermediate_size']} vocab{xl['vocab_size']}; "
             f"Llama {layers}L h{ll['hidden_size']} heads{ll['num_attention_heads']}/kv{ll['num_key_value_heads']} "
             f"ffn{ll['intermediate_size']} vocab{ll['vocab_size']}",
             f"dtype: {'bf16 autocast (fine-tune: fp32 weights; LoRA, generate: bf16 weights)' if bench.bf16 else 'fp32'}; "
             f"timing: {bench.warmup} warm-up + {bench.steps} timed steps per training row, 1 warm-up + {bench.gen_repeats} timed "
             f"generate calls per generation row, device synchronised before each clock read",
             f"MFU peak: {f'{bench.peak_tflops:g} TFLOP/s bf16 dense' if bench.peak_tflops else 'unknown (pass --peak-tflops)'}; "
             "FLOPs/token 6N fine-tune, 4N+6N_lora LoRA, 2N generate (N: matmul parameters, embeddings excluded)",
             f"peak MiB: {'torch.cuda.max_memory_allocated since the row began' if bench.cuda else 'process peak RSS (never decreases: later rows include earlier ones)'}",
             "training: plain AdamW step + grad-norm clip 1.0 on the package's model/dtype, not transformers.Trainer (its overhead excluded)"]
    if not bench.tiny and layers != LLAMA3_8B_LAYERS:
        h, f, kv = ll['hidden_size'], ll['intermediate_size'], ll['hidden_size'] * ll['num_key_value_heads'] // ll['num_attention_heads']
        per_layer = 2*h*h + 2*h*kv + 3*h*f + 2*h   # q, o; k, v; gate, up, down; two RMSNorms
        lines.append(f"Llama is TRIMMED to {layers} of {LLAMA3_8B_LAYERS} layers: each layer has {per_layer/1e6:.1f}M params "
                     f"({2*per_layer/2**30:.2f} GiB bf16); 'at 32 layers (est.)' = measured throughput x N_{layers}/N_32 (same MFU); "
                     f"at 32 layers peak memory grows by ~{2*per_layer/2**30:.2f} GiB per added layer plus its activations")
    return lines

def markdown(bench:Bench, head:list)->str:
    out = [f'- {h}' for h in head] + ['', '| ' + ' | '.join(COLUMNS) + ' |', '|' + '---|' * len(COLUMNS)]
    out += ['| ' + ' | '.join(fmt(r.get(c)) for c in COLUMNS) + ' |' for r in bench.rows]
    return '\n'.join(out) + '\n'

def main(argv=None):
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    args = parse_args(argv)
    import torch
    if args.threads: torch.set_num_threads(args.threads)
    import transformers; transformers.logging.set_verbosity_error()
    bench = Bench(args)
    t0 = time.perf_counter()
    head = header(bench)
    print('\n'.join(head) + '\n\n' + ' | '.join(COLUMNS), flush=True)
    if 'finetune' in args.only: finetune_rows(bench)
    if 'lora' in args.only: lora_rows(bench)
    if 'generate' in args.only:
        cfg, scale, name = generate_rows(bench)
        if args.vllm: vllm_rows(bench, cfg, scale, name)
    elif args.vllm: print('--vllm needs the generate workload (see --only); skipped')
    md = markdown(bench, head + [f'wall time of the whole check: {time.perf_counter() - t0:.0f} s'])
    print('\n' + md)
    if args.out:
        out = Path(args.out)
        with open(out.with_suffix('.csv'), 'w', newline='') as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS); w.writeheader(); w.writerows(bench.rows)
        out.with_suffix('.md').write_text(md)
        print(f'wrote {out.with_suffix(".csv")} and {out.with_suffix(".md")}')

if __name__ == '__main__': main()
