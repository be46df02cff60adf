#!/usr/bin/env bash
# The README's test command: install into .venv, then run every notebook (nbdev-test) and tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONWARNINGS=ignore::DeprecationWarning
. scripts/data_env.sh
# the tests write tiny models, request caches and adapters into their own cache, never into the user's
export SYNTH_LOWRES_CACHE="${SYNTH_LOWRES_TEST_CACHE:-$PWD/.test-cache}"
if [ -z "${SYNTH_LOWRES_DATA:-}" ]; then
  echo "The tests need the paper's data: set SYNTH_LOWRES_DATA to its folder, put it at ../shared/data/paper," >&2
  echo "or run where GitHub is reachable so it can be downloaded at the pinned commit (checksums verified)." >&2
  exit 1
fi
echo "paper data: $SYNTH_LOWRES_DATA"
start=$(date +%s)
nbdev-test --n-workers "${NBDEV_WORKERS:-2}" --timing "$@"
echo "notebooks passed in $(( $(date +%s) - start )) s"
python -m pytest -q tests
echo "all tests finished in $(( $(date +%s) - start )) s"
