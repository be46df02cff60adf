# Sourced by the scripts: point SYNTH_LOWRES_DATA at the paper's data: an existing setting, a copy
# beside the checkout (../shared/data/paper), or a download into the cache at the pinned commit.
if [ -z "${SYNTH_LOWRES_DATA:-}" ]; then
  if [ -d ../shared/data/paper ]; then
    SYNTH_LOWRES_DATA="$(cd ../shared/data/paper && pwd)"
  else
    SYNTH_LOWRES_DATA="$(python -c 'from synth_lowres.data import paper_data_dir; print(paper_data_dir(download=True))')" || unset SYNTH_LOWRES_DATA
  fi
  [ -n "${SYNTH_LOWRES_DATA:-}" ] && export SYNTH_LOWRES_DATA
fi
