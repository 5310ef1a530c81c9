"""Two static sites, offline, one for students and one for teachers.

``python -m tools.build site`` (``make site``; ``make site NB=04`` for some notebooks):

1. both editions are executed with papermill into ``build/notebooks/student/`` and
   ``build/notebooks/teacher/``; the stored notebooks are never written. With the data
   unchanged, the student edition is byte for byte the stored notebook that strict
   nbval checked (tests/test_notebooks.py); after a teacher edits a table, the site
   shows the edit at once. ``--stored`` takes the student edition from the stored
   notebooks instead (the tests do, since strict nbval proves them current);
2. every notebook becomes a reading page (``tools/render.py``): the story, its charts
   and tables, without setup code, injected parameters or empty cells;
3. ``build/site/student/``: the student pages, an index, the glossary. It never links to
   a teacher page, so a teacher can publish this folder alone to a class;
4. ``build/site/teacher/``: the teacher editions, the teacher's guide, an answer key per
   notebook, an index, the glossary;
5. each site has its own ``assets/``: the style sheet and the vendored plotly.js basic
   bundle (scatter, bar, pie; 1.2 MB instead of the full 4.8 MB), with its licence.

Everything is built in a staging folder and swapped in whole, so an interrupted build
leaves the last good site. Pages use relative links only, so the sites work both
served and opened from disk.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from beyond_utopia import catalogue
from beyond_utopia.paths import NOTEBOOK_DIR, TEACHER_DIR
from tools import build, handouts, render

SITE = build.BUILD / "site"
EXECUTED = build.BUILD / "notebooks"
EDITIONS = ("student", "teacher")
GUIDE = TEACHER_DIR / "guide.md"
GLOSSARY = NOTEBOOK_DIR / "glossary.md"
ASSETS = Path(__file__).resolve().parent / "assets"
PLOTLY_BASIC = ASSETS / "plotly-basic.min.js"
#: Files every site ships in its ``assets/`` folder.
SITE_ASSETS = ("site.css", "plotly-basic.min.js", "plotly-basic.LICENSE")
NAME = "Beyond Utopia, explained"

# Opens every chart's data table, reference table and folded section before printing, so a
# printed page shows them all; and
# marks each table region that scrolls sideways, so its cue shows.
PAGE_JS = ("window.addEventListener('beforeprint',function(){"
           "document.querySelectorAll('details.bu-data,details.bu-ref,details.bu-section')"
           ".forEach(function(d){d.open=true;});});"
           "function buCues(){document.querySelectorAll('.bu-tablebox').forEach(function(b){"
           "var t=b.querySelector('.bu-table');b.classList.toggle('bu-scrolls',"
           "t.scrollWidth>t.clientWidth+1);});}"
           "window.addEventListener('DOMContentLoaded',buCues);"
           "window.addEventListener('resize',buCues);document.addEventListener('toggle',buCues,true);")


def _plotly_js() -> Path:
    """The full plotly.js that plotly.py ships (used only for a trace type the basic
    bundle lacks)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def page(title: str, body: str, nav: list[tuple[str, str]], edition: str | None = None,
         plotly: str | None = "plotly-basic.min.js", up: str = "") -> str:
    """A whole page around ``body``; ``up`` leads from the page to its site's root."""
    links = " ".join(f"<a href=\"{html.escape(href)}\">{html.escape(text)}</a>"
                     for text, href in nav)
    badge = (f"<p><span class=\"edition {edition}\">{edition.capitalize()} edition</span></p>"
             if edition else "")
    script = (f"<script src=\"{up}assets/{plotly}\"></script>\n<script>{render.CHART_JS}</script>"
              if plotly else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · {NAME}</title>
<link rel="stylesheet" href="{up}assets/site.css">
{script}
<script>{PAGE_JS}</script>
</head>
<body>
<a class="skip" href="#content">Skip to the content</a>
<header><nav aria-label="Collection">{links}</nav></header>
<main id="content">
{badge}{body}
</main>
<footer><p>{NAME}. Every figure names its source; the data and their sources are in the
collection's <code>data/</code> folder. Text and data: CC BY 4.0. Charts drawn with plotly.js
(MIT licence, <a href="{up}assets/plotly-basic.LICENSE">its licence</a>).</p></footer>
</body>
</html>
"""


def runs_to_text() -> str:
    """The date the data runs to, in words: ``4 February 2026``, ``February 2026``."""
    from beyond_utopia import data

    value = data.runs_to()
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
    return (f"{day.day} " if len(parts) > 2 else "") + day.strftime("%B %Y")


def _nav(edition: str, entries: list, entry: Any = None) -> list[tuple[str, str]]:
    nav = [("All notebooks", "index.html")]
    if edition == "teacher":
        nav.append(("Teacher's guide", "guide.html"))
    if GLOSSARY.exists():
        nav.append(("Glossary", "glossary.html"))
    if entry is not None:
        i = entries.index(entry)
        if i > 0:
            nav.append((f"Previous: {entries[i - 1].title}", entries[i - 1].page))
        if i + 1 < len(entries):
            nav.append((f"Next: {entries[i + 1].title}", entries[i + 1].page))
        if edition == "teacher":
            nav.append(("Answer key", answer_key_page(entry)))
            nav.append(("Student edition of this notebook", f"../student/{entry.page}"))
    return nav


def answer_key_page(entry: Any) -> str:
    return f"answers-{entry.number}.html"


def execute_editions(jobs: int = 2, names: tuple[str, ...] = (), stored: bool = False,
                     ) -> dict[str, dict[str, Path]]:
    """Run the notebooks in both editions into ``build/notebooks/<edition>/`` (with
    ``stored``, the student edition is copied from the stored notebooks)."""
    staging = build.BUILD / ".notebooks-staging"
    if staging.exists():
        shutil.rmtree(staging)
    paths = build.notebook_paths(names)
    jobs_list = []
    for edition in EDITIONS:
        (staging / edition).mkdir(parents=True)
        for p in paths:
            if stored and edition == "student":
                shutil.copyfile(p, staging / edition / p.name)
            else:
                jobs_list.append((p, staging / edition / p.name, {"edition": edition}))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda job: build.execute(*job), jobs_list))
    build.replace_dir(staging, EXECUTED)
    return {e: {p.name: EXECUTED / e / p.name for p in paths} for e in EDITIONS}


def index_page(edition: str, entries: list) -> str:
    items = []
    for e in entries:
        extra = (f" · <a href=\"{answer_key_page(e)}\">answer key</a>"
                 if edition == "teacher" else "")
        items.append(
            f"<li><a href=\"{e.page}\">{e.number} {html.escape(e.title)}</a>"
            f" <span class=\"bu-meta\">({e.minutes} min){extra}</span>"
            f"<span class=\"q\">{html.escape(e.question)}</span></li>")
    if edition == "teacher":
        intro = ("<p>The teacher editions: each notebook with its teaching notes beside each "
                 "section, and the solutions. Start with the <a href=\"guide.html\">teacher's "
                 "guide</a>. The student site (folder <code>student/</code>) has no link to "
                 "these pages: publish only that folder to a class.</p>")
    else:
        intro = ("<p>Notebooks, with sourced data, that explain the documentary "
                 "<em>Beyond Utopia</em> (Madeleine Gavin, 2023) and China's forced return of "
                 "North Koreans who escape across its border. Read them in order.</p>")
    glossary = (" The <a href=\"glossary.html\">glossary</a> explains the terms they use."
                if GLOSSARY.exists() else "")
    body = f"""<h1>{NAME}{' · teacher edition' if edition == 'teacher' else ''}</h1>
{intro}
<p class="bu-meta">The data run to <strong>{html.escape(runs_to_text())}</strong>.{glossary}</p>
<blockquote><p><strong>Content note.</strong> The collection deals with people who risk their
lives to leave North Korea: hiding, detention, forced return, human trafficking and families
kept apart.</p></blockquote>
<h2>Reading order</h2>
<ol class="bu-notebooks" aria-label="Notebooks in reading order">{''.join(items)}</ol>"""
    return page("Reading order", body, _nav(edition, entries), plotly=None)


def markdown_page(edition: str, entries: list, title: str, text: str) -> str:
    body = render.link_glossary(render.wrap_tables(render.markdown(text)))
    return page(title, body, _nav(edition, entries), plotly=None)


def _copy_assets(folder: Path, full_plotly: bool) -> None:
    (folder / "assets").mkdir(parents=True)
    for name in SITE_ASSETS:
        shutil.copyfile(ASSETS / name, folder / "assets" / name)
    if full_plotly:
        shutil.copyfile(_plotly_js(), folder / "assets" / "plotly.min.js")


def build_site(jobs: int = 2, names: tuple[str, ...] = (), stored: bool = False) -> dict:
    """Build both sites; return what was built (pages, figures, seconds)."""
    import nbformat

    start = time.perf_counter()
    executed = execute_editions(jobs, names, stored)
    entries = [e for e in catalogue.available()
               if not names or any(e.filename.startswith(n) for n in names)]
    staging = build.BUILD / ".site-staging"
    if staging.exists():
        shutil.rmtree(staging)
    report: dict = {"pages": [], "figures": 0, "full_plotly": []}
    for edition in EDITIONS:
        folder = staging / edition
        folder.mkdir(parents=True)
        for entry in entries:
            nb = nbformat.read(executed[edition][entry.filename], as_version=4)
            body, r = render.render(nb, f"{entry.number}-{edition}")
            plotly = "plotly-basic.min.js" if r.figures else None
            if r.traces - render.BASIC_TRACES:  # a trace the basic bundle cannot draw
                plotly = "plotly.min.js"
                report["full_plotly"].append(f"{edition}/{entry.page}")
            (folder / entry.page).write_text(
                page(render.title(nb), body, _nav(edition, entries, entry), edition, plotly),
                encoding="utf-8")
            report["pages"].append({"page": f"{edition}/{entry.page}", "figures": r.figures,
                                    "edition": edition})
            report["figures"] += r.figures
            if edition == "teacher":
                key = answer_key_page(entry)
                (folder / key).write_text(page(
                    f"Answer key: {render.title(nb)}", handouts.answer_key_body(entry, nb),
                    _nav(edition, entries, entry), plotly=None), encoding="utf-8")
                report["pages"].append({"page": f"teacher/{key}", "figures": 0,
                                        "edition": edition})
        _copy_assets(folder, any(p.startswith(edition) for p in report["full_plotly"]))
        specials = [("index.html", index_page(edition, entries))]
        if GLOSSARY.exists():
            specials.append(("glossary.html", markdown_page(
                edition, entries, "Glossary", GLOSSARY.read_text(encoding="utf-8"))))
        if edition == "teacher":
            specials.append(("guide.html", markdown_page(
                edition, entries, "Teacher's guide", GUIDE.read_text(encoding="utf-8"))))
        for name, text in specials:
            (folder / name).write_text(text, encoding="utf-8")
            report["pages"].append({"page": f"{edition}/{name}", "figures": 0,
                                    "edition": edition})
    (staging / "index.html").write_text(root_page(), encoding="utf-8")
    (staging / "site.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    build.replace_dir(staging, SITE)
    report["seconds"] = round(time.perf_counter() - start, 2)
    return report


def root_page() -> str:
    """The folder's own index: where the two sites are (not part of either site)."""
    body = f"""<h1>{NAME}: two sites</h1>
<ul>
<li><a href="student/index.html">The student site</a>: the notebooks to read, with
exercises and no solutions. Publish the folder <code>student/</code> alone to a class.</li>
<li><a href="teacher/index.html">The teacher site</a>: the teacher's guide, the teacher
editions and the answer keys. Keep it for teachers.</li>
</ul>"""
    return page("Two sites", body, [("Student site", "student/index.html"),
                                    ("Teacher site", "teacher/index.html")],
                plotly=None, up="student/")


def build_cli(jobs: int = 2, names: tuple[str, ...] = (), stored: bool = False) -> None:
    report = build_site(jobs, names, stored)
    print(f"built {len(report['pages'])} pages with {report['figures']} charts in "
          f"{report['seconds']} s:\n  student site: {SITE / 'student' / 'index.html'}\n"
          f"  teacher site: {SITE / 'teacher' / 'index.html'}")
    for p in report["full_plotly"]:
        print(f"  note: {p} uses a trace type the plotly.js basic bundle lacks; it loads "
              "the full plotly.js")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.site",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 03 04")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stored", action="store_true",
                        help="take the student edition from the stored notebooks")
    args = parser.parse_args(argv)
    build_cli(args.jobs, tuple(args.names), args.stored)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
