"""Printed handouts: a student worksheet and a teacher answer key, as PDF, offline."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest

from beyond_utopia import catalogue, classroom
from beyond_utopia.paths import NOTEBOOK_DIR
from tools import build, handouts, render


def _pdf_text(path, page: int | None = None) -> str:
    """The PDF's text (of one page), its white space made single spaces."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: install it with `apt-get install poppler-utils`")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"],
                                   check=True, capture_output=True, text=True).stdout.split())


def test_exercises_pair_each_question_with_its_answer():
    for path in build.notebook_paths():
        number = path.name[:2]
        nb = nbformat.read(path, as_version=4)
        found = handouts.exercises(nb, number)
        sections = [s for s in classroom._sections(number) if s.startswith("Exercise")]
        assert [f"Exercise {ex.number}" for ex in found] == sorted(
            sections, key=lambda s: int(s.split()[1])) or not sections, number
        for ex in found:
            assert ex.question.strip() and ex.answer.strip(), (number, ex.number)
            assert "has no section" not in ex.answer, (number, ex.number)


def test_a_tagged_cell_is_a_no_code_question_and_a_tagged_chart_is_the_key_chart():
    nb = nbformat.v4.new_notebook()
    question = nbformat.v4.new_markdown_cell("### Exercise 2 (no code)\n\nRead the chart.")
    question.metadata["tags"] = ["exercise-no-code"]
    chart = nbformat.v4.new_code_cell("show(chart)")
    chart.metadata["tags"] = ["key-chart"]
    fig = {render.PLOTLY_MIME: {"data": [{"type": "bar"}], "layout": {}}}
    chart.outputs = [nbformat.v4.new_output("display_data", fig),
                     nbformat.v4.new_output("display_data", {"text/markdown": "**Fig 2.** x"})]
    other = nbformat.v4.new_code_cell("show(other)")
    other.outputs = [nbformat.v4.new_output("display_data", fig)]
    nb.cells = [other, question, chart]
    questions = handouts._questions(nb)
    assert questions == {2: (question.source, True)}
    charts = handouts.key_charts(nb)
    assert len(charts) == 1 and charts[0][1] == "Fig 2."


@pytest.mark.browser
def test_one_handout_prints_with_its_title_charts_and_answers(browser, tmp_path):
    entry = max(catalogue.available(), key=lambda e: len(handouts.key_charts(_nb(e))))
    records = handouts.build_handouts([entry.number], stored=True, browser=browser,
                                      out=tmp_path)
    pdfs = {r["pdf"].parent.name: r for r in records}
    assert set(pdfs) == {"student", "teacher"}
    nb = _nb(entry)
    title = render.title(nb)
    worksheet, key = _pdf_text(pdfs["student"]["pdf"]), _pdf_text(pdfs["teacher"]["pdf"])
    assert title in worksheet and title in key
    assert pdfs["student"]["charts"] == len(handouts.key_charts(nb)) > 0
    assert "Name:" in worksheet and "answer key" in key.lower()
    for ex in handouts.exercises(nb, entry.number):
        words = " ".join(re_words(render.markdown(ex.answer))[:6])
        assert words in key, (ex.number, words)
        assert words not in worksheet, (ex.number, words)
    out = build.BUILD / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for r in records:
        shutil.copyfile(r["pdf"], out / r["pdf"].name)


def _nb(entry):
    return nbformat.read(NOTEBOOK_DIR / entry.filename, as_version=4)


def re_words(fragment: str) -> list[str]:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).split()


def test_a_printed_chart_keeps_its_own_height_up_to_a_page():
    """A tall chart (notebook 05's diagram, 989 px) is not squeezed into a fixed height,
    where its boxes overlapped; only what a page cannot hold is."""
    import json
    import re

    def height(spec: dict) -> int:
        html = handouts._print_figure(spec, "f")
        fig = json.loads(re.search(r"\}\)\((.*)\);</script>", html).group(1))
        return fig["layout"]["height"]

    assert height({"data": [], "layout": {"height": 900}}) == 900
    assert height({"data": [], "layout": {}}) == 420
    assert height({"data": [], "layout": {"height": 5000}}) == handouts.PRINT_MAX_HEIGHT


def test_a_worksheet_whose_first_chart_needs_a_page_of_its_own_starts_with_its_questions(
        browser, tmp_path):
    """A first chart taller than what page 1 has left under the title moved to page 2 and
    left page 1 all but empty (notebooks 04 and 05). Such a worksheet starts with its
    questions and says that the charts follow; one whose first chart fits keeps it first."""
    def first_height(entry) -> int:
        charts = handouts.key_charts(_nb(entry))
        return int(charts[0][0]["layout"].get("height") or 420) if charts else 0

    with_charts = [e for e in catalogue.available() if first_height(e)]
    tall, short = max(with_charts, key=first_height), min(with_charts, key=first_height)
    assert first_height(tall) > handouts.PAGE_BOX["height"] * 0.75 > first_height(short)
    pages = {}
    for entry in (tall, short):
        src = tmp_path / f"{entry.number}.html"
        src.write_text(handouts.worksheet_html(entry, _nb(entry)), encoding="utf-8")
        pdf = tmp_path / f"{entry.number}.pdf"
        handouts.print_pdf(browser, src, pdf, "footer")
        pages[entry.number] = _pdf_text(pdf, page=1), _pdf_text(pdf)
    first_page, whole = pages[tall.number]
    assert "Questions" in first_page and "Read the charts" not in first_page
    assert "The charts these questions ask about are on the pages after them." in first_page
    assert whole.index("Questions") < whole.index("Read the charts")
    first_page, whole = pages[short.number]
    assert "Read the charts" in first_page and "pages after them" not in whole
