"""The docs site, rendered offline from the executed notebooks and opened in headless Chromium.

Every page must load, show its figures (an <img> for each notebook with plots) and carry no error
output. Skips, saying why, when Chromium is not installed (Debian: apt-get install -y chromium).
"""
import json, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'scripts'))
import render_docs  # noqa: E402

CHROMIUM = next((shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome', 'chrome') if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium chromium-driver)")
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-extensions', '--window-size=1280,1800']


def chromium(url:str, *args, timeout:int=90)->str:
    "Run headless Chromium on `url` with a fresh profile; its stdout."
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([CHROMIUM, *FLAGS, f'--user-data-dir={profile}', *args, url],
                           capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"chromium failed on {url}: {r.stderr[-2000:]}"
    return r.stdout


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')
    pages = render_docs.render_docs(ROOT/'nbs', out)
    doms = {}
    with ThreadPoolExecutor(2) as ex:
        for p, dom in zip(pages, ex.map(lambda p: chromium(Path(p['page']).as_uri(), '--dump-dom'), pages)): doms[p['href']] = dom
    doms['index.html'] = chromium((out/'index.html').as_uri(), '--dump-dom')
    shots = Path(os.environ.get('SYNTH_LOWRES_SCREENSHOTS', out/'screenshots'))
    shots.mkdir(parents=True, exist_ok=True)
    return dict(out=out, pages=pages, doms=doms, shots=shots)


def test_every_notebook_is_rendered(site):
    rendered = {str(p['notebook'].relative_to(ROOT/'nbs')) for p in site['pages']}
    missing = sorted(set(render_docs.notebooks_on_disk(ROOT/'nbs')) - rendered)
    assert not missing, f"notebooks with no docs page: {missing}"
    assert len(site['pages']) >= 2


def test_sidebar_lists_every_notebook(site):
    listed = {n for _, n in render_docs.sidebar_pages(ROOT/'nbs')}
    unlisted = sorted(set(render_docs.notebooks_on_disk(ROOT/'nbs')) - listed)
    assert not unlisted, f"add these notebooks to nbs/sidebar.yml (the docs' table of contents): {unlisted}"


def test_pages_load_with_content(site):
    for p in site['pages']:
        dom = site['doms'][p['href']]
        assert '<body' in dom and len(dom) > 2000, f"{p['href']}: page did not load (DOM of {len(dom)} chars)"
        text = re.sub(r'<[^>]+>', ' ', dom)
        assert p['title'].split(':')[0][:20] in text.replace('&amp;', '&'), f"{p['href']}: title {p['title']!r} not on the page"


def test_index_links_every_page(site):
    dom = site['doms']['index.html']
    links = set(re.findall(r'href="([^"]+\.html)"', dom))
    for p in site['pages']:
        assert p['href'] in links, f"index.html does not link {p['href']}"
        assert (site['out']/p['href']).exists()


def test_figures_present(site):
    for p in site['pages']:
        if p['figures']:
            n = site['doms'][p['href']].count('<img')
            assert n >= p['figures'], f"{p['href']}: notebook has {p['figures']} figures, page shows {n} <img>"


def test_no_error_output(site):
    for p in site['pages']:
        nb = json.loads(Path(p['notebook']).read_text())
        errs = [o for c in nb['cells'] for o in c.get('outputs', []) if o.get('output_type') == 'error']
        assert not errs, f"{p['notebook']}: stored error output {errs[0].get('ename')}: {errs[0].get('evalue')}"
        assert 'Traceback (most recent call last)' not in site['doms'][p['href']], f"{p['href']}: page shows a Traceback"


def test_screenshots(site):
    "Screenshots of the index and of the first page with figures, for a human to look at."
    with_figs = [p for p in site['pages'] if p['figures']] or site['pages']
    for name, url in [('index', (site['out']/'index.html').as_uri()), (Path(with_figs[0]['href']).stem, Path(with_figs[0]['page']).as_uri())]:
        png = site['shots']/f'{name}.png'
        chromium(url, f'--screenshot={png}')
        assert png.exists() and png.stat().st_size > 10_000, f"screenshot {png} is empty"
