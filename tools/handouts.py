"""Printed handouts: per notebook, a student worksheet and a teacher answer key, as PDF.

``python -m tools.handouts`` (``make handouts``; ``make handouts NB=03`` for some) runs the
student edition of each notebook (``--stored``: uses the stored notebooks as they are),
writes a print page for each handout and prints it to PDF with the system Chromium
through Playwright, offline:

- ``build/handouts/student/NN-slug-worksheet.pdf``: the title, the question the notebook
  answers, its content note, the key charts (code cells tagged ``key-chart``; every chart
  if none is tagged) drawn by the vendored plotly.js with their finding titles, and the
  no-code exercises (Markdown cells tagged ``exercise-no-code``) with ruled room to write;
- ``build/handouts/teacher/NN-slug-answer-key.pdf``: every exercise with its answer, the
  ``## Exercise k`` section of ``teacher/NN.md`` with today's numbers filled in.

An exercise's number ``k`` is read from its cell ("Exercise 2"), else counted in order.
The print standard: A4, 11 pt text, charts the width of the text (about 17 cm) with
every label inside the figure, sources named, the page number and the notebook on every
page, nothing that needs a screen (no hover, no links to follow).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools import build, render

OUT = build.BUILD / "handouts"
ASSETS = Path(__file__).resolve().parent / "assets"
NO_CODE = "exercise-no-code"
KEY_CHART = "key-chart"
#: Width of a printed chart in CSS pixels: A4's 210 mm less 2 × 20 mm margins, at 96 dpi.
CHART_WIDTH = 640
#: A printed page's text box in CSS pixels at 96 dpi: A4 less the margins of print_pdf
#: (20 mm left and right, 18 mm top and bottom).
PAGE_BOX = {"width": 643, "height": 986}
LINES_PER_ANSWER = 7


@dataclass(frozen=True)
class Exercise:
    number: int
    question: str  # Markdown
    answer: str  # Markdown, from teacher/NN.md
    no_code: bool


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _section_items(nb: Any, heading: str) -> list[str]:
    """The numbered items of a ``## heading`` section of the notebook's Markdown."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        m = re.search(rf"^##\s+{heading}\s*$(.*?)(?=^#{{1,2}}\s|\Z)", cell.source, re.M | re.S)
        if m:
            return [re.sub(r"\s+", " ", item).strip() for item in
                    re.findall(r"^\d+\.\s+(.*?)(?=^\d+\.\s|\Z)", m.group(1), re.M | re.S)]
    return []


def _questions(nb: Any) -> dict[int, tuple[str, bool]]:
    """Each exercise's question, by number: the cells tagged ``exercise-no-code``, cells
    that open with "Exercise k", else the items of an ``## Exercises`` list."""
    found: dict[int, tuple[str, bool]] = {}
    tagged = [c for c in nb.cells if c.cell_type == "markdown" and NO_CODE in _tags(c)]
    for i, cell in enumerate(tagged, 1):
        m = re.search(r"Exercise\s+(\d+)", cell.source)
        found[int(m.group(1)) if m else i] = (cell.source.strip(), True)
    for cell in nb.cells:
        m = re.match(r"\s*(?:#+\s*|\*\*)\s*Exercise\s+(\d+)", cell.source)
        if cell.cell_type == "markdown" and m and int(m.group(1)) not in found:
            found[int(m.group(1))] = (cell.source.strip(), False)
    if not found:
        for k, item in enumerate(_section_items(nb, "Exercises"), 1):
            found[k] = (f"**Exercise {k}.** {item}", False)
    return found


def exercises(nb: Any, number: str) -> list[Exercise]:
    """The notebook's exercises with their answers from ``teacher/NN.md``."""
    from beyond_utopia import classroom

    questions = _questions(nb)
    sections = classroom._sections(number)
    answered = {int(m.group(1)) for name in sections
                if (m := re.fullmatch(r"Exercise\s+(\d+)", name))}
    values = classroom.solution_values(number) if answered else {}
    out = []
    for k in sorted(set(questions) | answered):
        question, no_code = questions.get(k, (f"**Exercise {k}** (its question is in the "
                                               "notebook).", False))
        answer = (classroom.section(number, f"Exercise {k}", values) if k in answered
                  else f"*teacher/{number}.md has no section \"Exercise {k}\".*")
        out.append(Exercise(k, question, answer, no_code))
    return out


def discussion(nb: Any, number: str) -> list[tuple[str, str]]:
    """The discussion questions, each with the answer the teacher notes give (the numbered
    list after "Answers to the discussion questions" in ``## Notes``), or ``""``."""
    from beyond_utopia import classroom

    answers: list[str] = []
    if "Notes" in classroom._sections(number):
        notes = classroom.section(number, "Notes", classroom.solution_values(number))
        m = re.search(r"Answers to the discussion questions\.?\**\s*(.*?)(?=\n\*\*|\Z)", notes,
                      re.S)
        if m:
            answers = [re.sub(r"\s+", " ", a).strip() for a in
                       re.findall(r"^\d+\.\s+(.*?)(?=^\d+\.\s|\Z)", m.group(1), re.M | re.S)]
    questions = _section_items(nb, "Discussion questions")
    return [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions)]


def key_charts(nb: Any) -> list[tuple[dict, str]]:
    """The charts to print: (figure, caption) of cells tagged ``key-chart``, else all."""
    def charts(cells):
        found = []
        for cell in cells:
            outs = cell.get("outputs", [])
            for i, out in enumerate(outs):
                spec = out.get("data", {}).get(render.PLOTLY_MIME)
                if spec is None:
                    continue
                nxt = outs[i + 1].get("data", {}).get("text/markdown", "") if i + 1 < len(
                    outs) else ""
                lead = re.match(r"\s*\*\*(.+?)\*\*", render._text(nxt))
                found.append((spec, lead.group(1) if lead else ""))
        return found

    code = [c for c in nb.cells if c.cell_type == "code"]
    return charts([c for c in code if KEY_CHART in _tags(c)]) or charts(code)


def content_note(nb: Any) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(
                "> **Content note.**"):
            return cell.source.strip()
    return ""


def _plain_links(fragment: str) -> str:
    """Links a reader cannot follow on paper: their text only (web links keep the address)."""
    return re.sub(r"<a href=\"(?!https?:)[^\"]*\">(.*?)</a>", r"\1", fragment, flags=re.S)


def _md(text: str) -> str:
    return _plain_links(render.wrap_tables(render.markdown(text), fold=False))


#: The tallest a printed chart may be (px at 96 dpi): what an A4 page holds inside its
#: margins. A chart keeps its own height up to it: a squeezed diagram's boxes overlap.
PRINT_MAX_HEIGHT = 960


def _print_figure(spec: dict, div_id: str) -> str:
    layout = dict(spec.get("layout", {}))
    layout.update(width=CHART_WIDTH, autosize=False,
                  height=min(int(layout.get("height") or 420), PRINT_MAX_HEIGHT))
    fig = {"data": spec.get("data", []), "layout": layout}
    return (f"<div id=\"{div_id}\" class=\"chart\"></div><script>(function(f){{"
            f"Plotly.newPlot(\"{div_id}\",f.data,f.layout,{{staticPlot:true}});}})"
            f"({render.safe_json(fig)});</script>")


def _document(title: str, body: str) -> str:
    css = (ASSETS / "print.css").read_text(encoding="utf-8")
    plotly = (ASSETS / "plotly-basic.min.js").resolve().as_uri()
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{css}</style>"
            f"<script src=\"{plotly}\"></script></head><body>{body}</body></html>")


def _head(entry: Any, nb: Any, kind: str) -> str:
    return (f"<p class=\"kicker\">Beyond Utopia, explained · notebook {entry.number} · {kind}"
            f"</p><h1>{html.escape(render.title(nb))}</h1>"
            f"<p class=\"question\">{html.escape(entry.question)}</p>")


def worksheet_html(entry: Any, nb: Any) -> str:
    parts = [_head(entry, nb, "student worksheet"),
             "<p class=\"who\">Name: <span></span> Class: <span></span> Date: <span></span></p>"]
    note = content_note(nb)
    if note:
        parts.append(_md(note))
    charts = key_charts(nb)
    figures = [f"<figure>{_print_figure(spec, f'chart{i}')}"
               + (f"<figcaption>{_md(caption)}</figcaption>" if caption else "") + "</figure>"
               for i, (spec, caption) in enumerate(charts, 1)]
    if figures:
        parts.append("<div class=\"charts\"><h2>Read the charts</h2>" + "".join(figures)
                     + "</div>")
    no_code = [ex for ex in exercises(nb, entry.number) if ex.no_code]
    lines = "<div class=\"lines\">" + "<div></div>" * LINES_PER_ANSWER + "</div>"
    questions = []
    if no_code:
        questions = ["<h2>Questions</h2>"] + [
            f"<section class=\"q\">{_md(ex.question)}{lines}</section>" for ex in no_code]
    elif items := [q for q, _ in discussion(nb, entry.number)]:
        questions = ["<h2>Discussion questions</h2>"] + [
            f"<section class=\"q\">{_md(f'{k}. {q}')}{lines}</section>"
            for k, q in enumerate(items, 1)]
    if questions and figures:  # shown only where the charts follow (QUESTIONS_FIRST)
        questions.insert(1, "<p class=\"charts-after\">The charts these questions ask about "
                            "are on the pages after them.</p>")
    if questions:
        parts.append("<div class=\"questions\">" + "".join(questions) + "</div>")
    return _document(f"{render.title(nb)}: worksheet", "\n".join(parts))


#: In print, a worksheet whose first chart would not fit on page 1 (it moves to page 2 and
#: leaves the first page all but empty) starts with its questions, and the charts follow.
QUESTIONS_FIRST = """(box) => {
  const charts = document.querySelector('.charts');
  const questions = document.querySelector('.questions');
  const first = charts && charts.querySelector('figure');
  if (!first || !questions || first.getBoundingClientRect().bottom + scrollY <= box) return false;
  charts.before(questions);
  document.body.classList.add('questions-first');
  return true;
}"""


def answer_key_body(entry: Any, nb: Any, printed: bool = False) -> str:
    """Every exercise of a notebook with its answer (also the teacher site's page)."""
    fmt = _md if printed else (lambda t: render.link_glossary(
        render.wrap_tables(render.markdown(t), fold=False)))
    parts = [_head(entry, nb, "answer key for the teacher") if printed else
             f"<h1>Answer key: {html.escape(render.title(nb))}</h1>"
             f"<p class=\"bu-meta\">Notebook {entry.number} · {html.escape(entry.question)}</p>"]
    for ex in exercises(nb, entry.number):
        kind = "no code" if ex.no_code else "in the notebook"
        parts.append(f"<section class=\"q bu-exercise\"><h2 class=\"tier\">Exercise {ex.number}"
                     f" ({kind})</h2>{fmt(ex.question)}<div class=\"answer bu-answer\">"
                     f"<h3>Answer</h3>{fmt(ex.answer)}</div></section>")
    talk = [(q, a) for q, a in discussion(nb, entry.number) if a]
    if talk:
        parts.append("<h2>Discussion questions</h2>")
        parts += [f"<section class=\"q bu-exercise\">{fmt(f'{k}. {q}')}<div class=\"answer "
                  f"bu-answer\"><h3>Answer</h3>{fmt(a)}</div></section>"
                  for k, (q, a) in enumerate(talk, 1)]
    if len(parts) == 1:
        parts.append("<p>This notebook has no exercises.</p>")
    return "\n".join(parts)


def answer_key_html(entry: Any, nb: Any) -> str:
    return _document(f"{render.title(nb)}: answer key", answer_key_body(entry, nb, True))


def _notebooks(names: Sequence[str], stored: bool, jobs: int, out: Path) -> dict[str, Path]:
    paths = build.notebook_paths(names)
    if stored:
        return {p.name: p for p in paths}
    folder = out / ".notebooks"
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda p: build.execute(p, folder / p.name, {"edition": "student"}),
                      paths))
    return {p.name: folder / p.name for p in paths}


def print_pdf(browser: Any, source: Path, target: Path, footer: str) -> int:
    """Print one handout page to PDF, offline; return the number of charts drawn."""
    ctx = browser.new_context(viewport={"width": 794, "height": 1123})
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
              else r.abort())
    page = ctx.new_page()
    page.goto(source.as_uri())
    page.wait_for_load_state("load")
    charts = page.locator(".chart").count()
    if charts:
        page.wait_for_function(f"document.querySelectorAll('.chart svg.main-svg').length >= "
                               f"{charts}", timeout=30_000)
    page.emulate_media(media="print")
    page.set_viewport_size(PAGE_BOX)  # the text wraps as on paper
    page.evaluate(QUESTIONS_FIRST, PAGE_BOX["height"])
    target.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(target), format="A4", print_background=True,
             margin={"top": "18mm", "bottom": "18mm", "left": "20mm", "right": "20mm"},
             display_header_footer=True, header_template="<span></span>",
             footer_template=("<div style=\"font:9px Arial,sans-serif;color:#444;width:100%;"
                              f"padding:0 20mm;text-align:right\">{html.escape(footer)} · page "
                              "<span class=\"pageNumber\"></span> of "
                              "<span class=\"totalPages\"></span></div>"))
    ctx.close()
    return charts


def build_handouts(names: Sequence[str] = (), stored: bool = False, jobs: int = 2,
                   browser: Any = None, out: Path | None = None) -> list[dict]:
    """Write every handout into ``out`` (``build/handouts/``); return one record per PDF
    (path, charts)."""
    import nbformat

    from beyond_utopia import catalogue

    out = out or OUT
    sources = _notebooks(names, stored, jobs, out)
    pages = out / ".html"
    pages.mkdir(parents=True, exist_ok=True)
    jobs_list = []
    for entry in catalogue.available():
        if entry.filename not in sources:
            continue
        nb = nbformat.read(sources[entry.filename], as_version=4)
        stem = f"{entry.number}-{entry.slug}"
        footer = f"Beyond Utopia, explained · {entry.number} {entry.title}"
        for kind, folder, text in (("worksheet", "student", worksheet_html(entry, nb)),
                                   ("answer-key", "teacher", answer_key_html(entry, nb))):
            src = pages / f"{stem}-{kind}.html"
            src.write_text(text, encoding="utf-8")
            jobs_list.append((src, out / folder / f"{stem}-{kind}.pdf", footer))
    done = []
    with _browser(browser) as b:
        for src, target, footer in jobs_list:
            done.append({"pdf": target, "charts": print_pdf(b, src, target, footer)})
    return done


class _browser:
    """The given browser, or the system Chromium for the length of a ``with`` block."""

    def __init__(self, given: Any):
        self.given, self._pw, self._b = given, None, None

    def __enter__(self) -> Any:
        if self.given is not None:
            return self.given
        from playwright.sync_api import sync_playwright

        from tools.chromium import ARGS, executable

        self._pw = sync_playwright().start()
        self._b = self._pw.chromium.launch(executable_path=executable(), args=ARGS)
        return self._b

    def __exit__(self, *exc: object) -> None:
        if self._b is not None:
            self._b.close()
            self._pw.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.handouts",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 03")
    parser.add_argument("--stored", action="store_true",
                        help="use the stored notebooks instead of running them")
    args = parser.parse_args(argv)
    if (OUT / ".html").exists():
        shutil.rmtree(OUT / ".html")
    for record in build_handouts(args.names, args.stored):
        print(f"{record['pdf'].relative_to(build.BUILD.parent)} ({record['charts']} charts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
