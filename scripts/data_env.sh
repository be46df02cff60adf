# Sourced by the scripts: point SYNTH_LOWRES_DATA at the paper's data: an existing setting, a copy
# beside the checkout (../shared/data/paper), or a download into the cache at the pinned commit.
# Leaves it unset (and succeeds) when none can be had: the quickstart then runs on demo data.
if [ -z "${SYNTH_LOWRES_DATA:-}" ]; then
  if [ -d ../shared/data/paper ]; then
    SYNTH_LOWRES_DATA="$(cd ../shared/data/paper && pwd)"
  else
    SYNTH_LOWRES_DATA="$(python -c 'from synth_lowres.data import paper_data_dir; print(paper_data_dir(download=True))' 2>/dev/null)" || SYNTH_LOWRES_DATA=""
  fi
  if [ -n "$SYNTH_LOWRES_DATA" ]; then export SYNTH_LOWRES_DATA; else unset SYNTH_LOWRES_DATA; fi
fi
true
