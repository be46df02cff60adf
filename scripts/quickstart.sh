#!/usr/bin/env bash
# The README's main job: install into .venv, then run the package end to end and write a report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
. scripts/data_env.sh
synth-lowres quickstart --out "${1:-quickstart-report}"
