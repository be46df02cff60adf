"""Render the executed notebooks to a static HTML site in _docs/, offline.

Quarto (what `nbdev-docs` uses) is not installable on these machines, so this renders each notebook
with nbconvert's HTML exporter, in the order of nbs/sidebar.yml, and writes an index page linking
them all. Cells marked `#| hide` are left out and `#|` directive lines are dropped, as the nbdev site
would. Pages embed their figures, so _docs/ can be opened from disk with no network.

    python scripts/render_docs.py [--nbs nbs] [--out _docs]
"""
from __future__ import annotations
import argparse, html, re, sys, warnings
from pathlib import Path
import nbformat, yaml
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]


def sidebar_pages(nbs:Path)->list:
    "(section, notebook path relative to `nbs`) in the order nbs/sidebar.yml lists them."
    f = nbs/'sidebar.yml'
    try: contents = yaml.safe_load(f.read_text(encoding='utf-8'))['website']['sidebar']['contents']
    except (OSError, KeyError, TypeError, yaml.YAMLError) as e:
        raise SystemExit(f"{f}: expected website.sidebar.contents listing the notebooks ({e})")
    out = []
    def walk(items, section):
        for it in items:
            if isinstance(it, str): out.append((section, it))
            elif isinstance(it, dict) and 'contents' in it: walk(it['contents'], it.get('section', section))
            elif isinstance(it, dict) and 'href' in it: out.append((section, it['href']))
            else: raise SystemExit(f"{f}: cannot read sidebar entry {it!r}")
    walk(contents, '')
    return out


def notebooks_on_disk(nbs:Path)->list:
    "Every notebook under `nbs` that the docs should show (not checkpoints, `_` or `.` folders)."
    return sorted(str(p.relative_to(nbs)) for p in nbs.rglob('*.ipynb')
                  if not any(part.startswith(('_', '.')) or part.startswith('tmp_') for part in p.relative_to(nbs).parts))


class DropHidden(Preprocessor):
    "Leave out `#| hide` cells and `#|` directive lines, as the nbdev docs do."
    def preprocess(self, nb, resources):
        keep = []
        for c in nb.cells:
            lines = c.source.splitlines()
            directives = [l.replace(' ', '') for l in lines if l.startswith('#|')]
            if c.cell_type == 'code' and ('#|hide' in directives or '#|include:false' in directives): continue
            if c.cell_type == 'code':
                c.source = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
                if not c.source and not c.get('outputs'): continue
            keep.append(c)
        nb.cells = keep
        return nb, resources


def title_and_summary(nb)->tuple:
    "The notebook's H1 and its `>` summary line."
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        m = re.search(r'^#\s+(.+)$', c.source, re.M)
        if m:
            s = re.search(r'^>\s*(.+)$', c.source, re.M)
            return m.group(1).strip(), (re.sub(r'[*`]', '', s.group(1)).strip() if s else '')  # plain text for the index
    return '', ''


def _exporter()->HTMLExporter:
    e = HTMLExporter(mathjax_url='', require_js_url='', exclude_input_prompt=True, exclude_output_prompt=True)
    e.register_preprocessor(DropHidden(), enabled=True)
    return e


def render_page(src:Path, dst:Path, exporter:HTMLExporter|None=None)->dict:
    "Render one notebook to `dst`; its title, summary and how many figures it holds."
    nb = nbformat.read(src, as_version=4)
    title, summary = title_and_summary(nb)
    n_figs = sum(1 for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', [])
                 if 'image/png' in o.get('data', {}) or 'image/svg+xml' in o.get('data', {}))
    body, _ = (exporter or _exporter()).from_notebook_node(nb, resources={'metadata': {'name': title or src.stem}})
    body = body.replace('<script src=""></script>', '')  # the CDN scripts we switched off
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(body, encoding='utf-8')
    return dict(notebook=src, page=dst, title=title or src.stem, summary=summary, figures=n_figs)


def _index(pages:list, title:str)->str:
    parts, section = [f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>',
                      '<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;line-height:1.45}'
                      'li{margin:.35rem 0}.s{color:#555;font-size:.92em}</style></head><body>',
                      f'<h1>{html.escape(title)}</h1><p>Rendered offline from the executed notebooks '
                      '(<code>scripts/render_docs.py</code>).</p>'], None
    for p in pages:
        if p['section'] != section:
            if section is not None: parts.append('</ul>')
            section = p['section']
            parts.append(f'<h2>{html.escape(section or "Start here")}</h2><ul>')
        parts.append(f'<li><a href="{html.escape(p["href"])}">{html.escape(p["title"])}</a> '
                     f'<span class="s">— {html.escape(p["summary"])}</span></li>')
    parts.append('</ul></body></html>')
    return '\n'.join(parts)


def render_docs(nbs=ROOT/'nbs', out=ROOT/'_docs', title:str='synth_lowres')->list:
    "Render every notebook (sidebar order; unlisted ones last, with a warning) and an index; the pages."
    nbs, out = Path(nbs), Path(out)
    listed = sidebar_pages(nbs)
    on_disk = notebooks_on_disk(nbs)
    missing = [n for _, n in listed if not (nbs/n).exists()]
    if missing: warnings.warn(f"sidebar.yml lists notebooks that do not exist yet: {missing}")
    unlisted = [n for n in on_disk if n not in {n for _, n in listed}]
    if unlisted: warnings.warn(f"notebooks not in sidebar.yml (rendered under 'Other'): {unlisted}")
    exporter, pages = _exporter(), []
    for section, name in [*[(s, n) for s, n in listed if (nbs/n).exists()], *[('Other', n) for n in unlisted]]:
        # index.ipynb (the README) becomes readme.html: index.html is the link list
        href = 'readme.html' if name == 'index.ipynb' else str(Path(name).with_suffix('.html'))
        pages.append(dict(render_page(nbs/name, out/href, exporter), section=section, href=href))
    (out/'index.html').write_text(_index(pages, title), encoding='utf-8')
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--nbs', default=str(ROOT/'nbs'), help='notebook folder (with sidebar.yml)')
    ap.add_argument('--out', default=str(ROOT/'_docs'), help='output folder (gitignored)')
    a = ap.parse_args(argv)
    pages = render_docs(a.nbs, a.out)
    for p in pages: print(f"{p['href']:45s} {p['figures']:3d} figures  {p['title']}")
    print(f"{len(pages)} pages; open {Path(a.out)/'index.html'}")


if __name__ == '__main__': main()
