"Write README.md from nbs/index.ipynb (nbdev's own README step needs Quarto, which these machines lack)."
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parents[1]
nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
nb.metadata['language_info'] = {'name': 'python'}   # nbdev-clean strips it; code fences need it
cells = []
for c in nb.cells:
    lines = c.source.splitlines()
    if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
    if c.cell_type == 'code': c.source = '\n'.join(l for l in lines if not l.startswith('#|'))
    cells.append(c)
nb.cells = cells
body, _ = MarkdownExporter().from_notebook_node(nb)
note = "<!-- generated from nbs/index.ipynb by scripts/make_readme.py; edit the notebook, not this file -->\n\n"
(root/'README.md').write_text(note + body.strip() + '\n')
