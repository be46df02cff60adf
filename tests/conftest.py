import os, pathlib
import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('HF_DATASETS_OFFLINE', '1')
ROOT = pathlib.Path(__file__).resolve().parents[1]

@pytest.fixture
def paper_data():
    "Folder of the paper's released data, or skip with the reason."
    d = os.environ.get('SYNTH_LOWRES_DATA') or (ROOT.parent/'shared'/'data'/'paper')
    d = pathlib.Path(d)
    if not (d/'topic').is_dir(): pytest.skip(f"paper data not found at {d}; set SYNTH_LOWRES_DATA")
    return d
