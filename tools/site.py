"""The static site: both editions of every notebook, offline, with one local plotly.js.

``python -m tools.build site`` (``make site``):

1. both editions are executed with papermill into ``build/notebooks/student/`` and
   ``build/notebooks/teacher/``; the stored notebooks are never written. With the data
   unchanged, the student edition is byte for byte the stored notebook that strict
   nbval checked (tests/test_notebooks.py); after a teacher edits a table, the site
   shows the edit at once;
3. every notebook becomes a page: nbconvert's ``basic`` template (no scripts, no CDN),
   with each stored plotly figure turned into a chart div with a stable id;
4. an index, a teacher's guide, one copy of plotly.min.js and a style sheet.

Everything is built in a staging folder and swapped in whole, so an interrupted build
leaves the last good site. Pages use relative links only, so the site works both
served on loopback and opened from disk.
"""

from __future__ import annotations

import html
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from beyond_utopia import catalogue
from beyond_utopia.paths import TEACHER_DIR
from tools import build

SITE = build.BUILD / "site"
EXECUTED = build.BUILD / "notebooks"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
EDITIONS = ("student", "teacher")
GUIDE = TEACHER_DIR / "guide.md"

CSS = """
:root { --ink: #1f1f1f; --muted: #555; --line: #d8d8d8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 Georgia, 'Times New Roman', serif; color: var(--ink);
       background: #fff; }
header, main, footer { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
header { border-bottom: 1px solid var(--line); padding-top: .75rem; padding-bottom: .75rem;
         font-family: Arial, Helvetica, sans-serif; font-size: .95rem; }
nav a { margin-right: 1rem; }
a { color: var(--accent); }
a:focus, summary:focus { outline: 3px solid #E69F00; outline-offset: 2px; }
h1, h2, h3 { font-family: Arial, Helvetica, sans-serif; line-height: 1.25; }
h1 { font-size: 2rem; margin-top: 1.5rem; }
blockquote { border-left: 4px solid #C8500A; margin: 1rem 0; padding: .25rem 1rem;
             background: #fdf6f1; }
table { border-collapse: collapse; margin: .75rem 0; font: .85rem/1.4 Arial, sans-serif;
        display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
pre, code { font: .85rem/1.45 Menlo, Consolas, monospace; }
.input_area pre, div.highlight pre { background: #f6f6f6; padding: .6rem .8rem;
                                      overflow-x: auto; border-radius: 4px; }
.prompt { display: none; }
.bu-figure { margin: 1rem 0; }
details.bu-data { margin: .25rem 0 1.25rem; font-family: Arial, sans-serif; }
details.bu-data summary { cursor: pointer; color: var(--accent); }
.edition { display: inline-block; padding: .1rem .5rem; border-radius: 3px;
           background: #eef5fb; font-family: Arial, sans-serif; font-size: .85rem; }
.edition.teacher { background: #fdf0e6; }
footer { border-top: 1px solid var(--line); margin-top: 3rem; padding-top: 1rem;
         padding-bottom: 2rem; color: var(--muted); font: .85rem/1.5 Arial, sans-serif; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
@media print {
  header nav, .skip, footer nav { display: none; }
  body { font-size: 11pt; }
  pre { white-space: pre-wrap; word-break: break-word; }
  .bu-figure, table { page-break-inside: avoid; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 8pt; color: #555; }
}
"""

# Opens every data table before printing, so a handout shows the data behind each chart.
PRINT_JS = ("window.addEventListener('beforeprint',function(){"
            "document.querySelectorAll('details').forEach(function(d){d.open=true;});});")


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def figure_html(spec: dict, div_id: str) -> str:
    """A stored plotly figure as a chart div, drawn by the page's local plotly.js."""
    import plotly.io as pio

    fig = {"data": spec.get("data", []), "layout": spec.get("layout", {})}
    div = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                      validate=False, config={"displaylogo": False, "responsive": True})
    return f"<div class=\"bu-figure\">{div}</div>"


def convert_figures(nb: Any, prefix: str) -> int:
    """Replace every stored plotly output by an HTML chart div; return how many."""
    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                count += 1
                data["text/html"] = figure_html(data.pop(PLOTLY_MIME), f"{prefix}-fig{count}")
                data.pop("text/plain", None)
    return count


def render_body(nb: Any, prefix: str) -> tuple[str, int]:
    """The HTML body of a notebook: hidden setup cells without input, figures as divs."""
    import copy

    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = copy.deepcopy(nb)
    figures = convert_figures(nb, prefix)
    exporter = HTMLExporter(template_name="basic", exclude_anchor_links=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={"hide-input"},
                                                         enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    return body, figures


def page(title: str, body: str, depth: int, nav: list[tuple[str, str]],
         edition: str | None = None) -> str:
    """A whole page around ``body``; ``depth`` is how many folders below the site root."""
    up = "../" * depth
    links = " ".join(f"<a href=\"{html.escape(href)}\">{html.escape(text)}</a>"
                     for text, href in nav)
    badge = (f"<p><span class=\"edition {edition}\">{edition.capitalize()} edition</span></p>"
             if edition else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · Beyond Utopia, explained</title>
<link rel="stylesheet" href="{up}assets/site.css">
<script src="{up}assets/plotly.min.js"></script>
<script>{PRINT_JS}</script>
</head>
<body>
<a class="skip" href="#content">Skip to the content</a>
<header><nav aria-label="Collection">{links}</nav></header>
<main id="content">
{badge}{body}
</main>
<footer><p>Beyond Utopia, explained. Every figure names its source; the data and their
sources are in the collection's <code>data/</code> folder. Text and data: CC BY 4.0.</p></footer>
</body>
</html>
"""


def _title(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].replace("*", "").strip()
    return "Notebook"


def _nav(entry: catalogue.Entry, edition: str, entries: list[catalogue.Entry]) -> list:
    i = entries.index(entry)
    nav = [("All notebooks", "../index.html"), ("Teacher's guide", "../guide.html")]
    if i > 0:
        nav.append((f"Previous: {entries[i - 1].title}", f"{entries[i - 1].page}"))
    if i + 1 < len(entries):
        nav.append((f"Next: {entries[i + 1].title}", f"{entries[i + 1].page}"))
    other = "teacher" if edition == "student" else "student"
    nav.append((f"{other.capitalize()} edition of this notebook", f"../{other}/{entry.page}"))
    return nav


def execute_editions(jobs: int = 2) -> dict[str, dict[str, Path]]:
    """Run every notebook in both editions into ``build/notebooks/<edition>/``."""
    staging = build.BUILD / ".notebooks-staging"
    if staging.exists():
        shutil.rmtree(staging)
    jobs_list = []
    for edition in EDITIONS:
        (staging / edition).mkdir(parents=True)
        jobs_list += [(p, staging / edition / p.name, {"edition": edition})
                      for p in build.notebook_paths()]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda job: build.execute(*job), jobs_list))
    build.replace_dir(staging, EXECUTED)
    return {e: {p.name: EXECUTED / e / p.name for p in build.notebook_paths()}
            for e in EDITIONS}


def index_page(entries: list[catalogue.Entry]) -> str:
    rows = "".join(
        f"<tr><td>{e.number}</td><td>{html.escape(e.title)}</td>"
        f"<td>{html.escape(e.question)}</td><td>{e.minutes} min</td>"
        f"<td><a href=\"student/{e.page}\">{html.escape(e.title)}, student edition</a><br>"
        f"<a href=\"teacher/{e.page}\">{html.escape(e.title)}, teacher edition</a></td></tr>"
        for e in entries)
    body = f"""<h1>Beyond Utopia, explained</h1>
<p>Notebooks, with sourced data, that explain the documentary <em>Beyond Utopia</em>
(Madeleine Gavin, 2023) and China's forced return of North Koreans who escape across its
border. Read them in order. The student edition has exercises; the teacher edition adds
solutions and teaching notes. See the <a href="guide.html">teacher's guide</a> for lesson plans.</p>
<blockquote><p><strong>Content note.</strong> The collection deals with people who risk their
lives to leave North Korea: hiding, detention, forced return, human trafficking and families
kept apart.</p></blockquote>
<h2>Reading order</h2>
<table><thead><tr><th scope="col">No.</th><th scope="col">Notebook</th>
<th scope="col">Question</th><th scope="col">Time</th><th scope="col">Editions</th></tr></thead>
<tbody>{rows}</tbody></table>"""
    return page("Reading order", body, 0, [("All notebooks", "index.html"),
                                           ("Teacher's guide", "guide.html")])


def guide_page() -> str:
    import mistune

    body = mistune.html(GUIDE.read_text(encoding="utf-8"))
    return page("Teacher's guide", body, 0, [("All notebooks", "index.html"),
                                             ("Teacher's guide", "guide.html")])


def build_site(jobs: int = 2) -> dict:
    """Build the whole site; return what was built (pages, figures, seconds)."""
    import nbformat

    start = time.perf_counter()
    executed = execute_editions(jobs)
    entries = [e for e in catalogue.available()]
    staging = build.BUILD / ".site-staging"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "assets").mkdir(parents=True)
    shutil.copyfile(_plotly_js(), staging / "assets" / "plotly.min.js")
    (staging / "assets" / "site.css").write_text(CSS.lstrip(), encoding="utf-8")
    report: dict = {"pages": [], "figures": 0}
    for edition in EDITIONS:
        (staging / edition).mkdir()
        for entry in entries:
            source = executed[edition][entry.filename]
            nb = nbformat.read(source, as_version=4)
            body, figures = render_body(nb, f"{entry.number}-{edition}")
            target = staging / edition / entry.page
            target.write_text(page(_title(nb), body, 1, _nav(entry, edition, entries), edition),
                              encoding="utf-8")
            report["pages"].append({"page": f"{edition}/{entry.page}",
                                    "figures": figures})
            report["figures"] += figures
    (staging / "index.html").write_text(index_page(entries), encoding="utf-8")
    (staging / "guide.html").write_text(guide_page(), encoding="utf-8")
    (staging / "site.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    build.replace_dir(staging, SITE)
    report["seconds"] = round(time.perf_counter() - start, 2)
    return report


def build_cli(jobs: int = 2) -> None:
    report = build_site(jobs)
    print(f"built {len(report['pages'])} pages with {report['figures']} charts into "
          f"{SITE} in {report['seconds']} s")
