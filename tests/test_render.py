"""The reading view of a notebook (tools/render.py), on small notebooks made here."""

from __future__ import annotations

import re

import nbformat

from tools import render


def _code(source: str, outputs=(), tags=(), hidden: bool = False):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def _md_out(text: str):
    return nbformat.v4.new_output("display_data", {"text/markdown": text, "text/plain": "x"})


def _html_out(text: str):
    return nbformat.v4.new_output("execute_result", {"text/html": text}, execution_count=1)


def _table(rows: int, cols: int = 3) -> str:
    head = "".join(f"<th scope=\"col\">c{j}</th>" for j in range(cols))
    body = "".join("<tr>" + "".join(f"<td>r{i}c{j}</td>" for j in range(cols)) + "</tr>"
                   for i in range(rows))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def test_plumbing_is_hidden_and_code_that_stays_is_folded():
    fig = {render.PLOTLY_MIME: {"data": [{"type": "bar", "y": [1]}], "layout": {}}}
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        _code("edition = \"student\"  # or \"teacher\"", tags=["parameters"]),
        _code("# Parameters\nedition = \"teacher\"\n", tags=["injected-parameters"]),
        _code("from beyond_utopia import nb", tags=["hide-input"]),
        _code("import secret_setup", hidden=True),
        _code("md(f\"The total is {total}\")", [_md_out("The total is **5**.")]),
        _code("classroom.notes(edition, \"03\", \"Section 1\")"),
        _code("# Exercise 1: your code here"),
        _code("show(chart)", [nbformat.v4.new_output("display_data", fig)]),
    ]
    page, r = render.render(nb, "t")
    for plumbing in ("injected", "Parameters\nedition", "import", "md(f", "classroom.notes",
                     "secret_setup"):
        assert plumbing not in page, plumbing
    assert "The total is <strong>5</strong>." in page
    assert "# Exercise 1: your code here" in page and "bu-try" in page
    assert page.count("<details class=\"bu-code\">") == page.count("<pre><code>") == 2
    assert "show(chart)" in page and r.figures == 1 and r.traces == {"bar"}
    assert re.search(r"<h1 id=\"title\">Title</h1>", page)


def test_a_long_table_keeps_its_first_rows_and_a_short_one_stays_whole():
    nb = nbformat.v4.new_notebook()
    nb.cells = [_code("table(a)", [_html_out(_table(30))]),
                _code("table(b)", [_html_out(_table(3))])]
    page, _ = render.render(nb, "t")
    assert page.count("<tr class=\"bu-more\"") == 30 - render.KEEP_ROWS
    assert "Show all 30 rows" in page and page.count("details class=\"bu-all\"") == 1
    assert page.count("role=\"region\" tabindex=\"0\" aria-label=\"Table: c0, c1, c2") == 2


def test_text_columns_get_room_and_dates_stay_on_one_line():
    table = ("<table><thead><tr><th>date</th><th>description</th></tr></thead><tbody>"
             + "<tr><td>2023-10-09</td><td>" + "a long description " * 5 + "</td></tr>"
             + "</tbody></table>")
    out = render.wrap_tables(table)
    assert "<td class=\"bu-short\">2023-10-09</td>" in out
    assert "<td class=\"bu-text\">a long" in out


def test_chart_json_cannot_close_its_script():
    html = render.figure_html({"data": [{"type": "scatter", "name": "</script><b>x"}],
                               "layout": {}}, "f1")
    assert "</script><b>" not in html and "\\u003c/script\\u003e" in html


def test_glossary_links_point_at_the_sites_glossary_and_headings_have_github_ids():
    page = ('<a href="glossary.md#refoulement">r</a> <a href="../notebooks/glossary.md">g</a>'
            ' <a href="https://example.org/glossary.md">web</a>')
    out = render.link_glossary(page)
    assert 'href="glossary.html#refoulement"' in out and 'href="glossary.html"' in out
    assert 'href="https://example.org/glossary.md"' in out
    assert 'id="refugee-sur-place"' in render.markdown("## Refugee *sur place*")
    assert 'id="non-refoulement"' in render.markdown("### Non-refoulement")


def test_links_between_notebooks_point_at_their_pages():
    page = ('<a href="02-the-journey.ipynb">j</a> <a href="./03-arrivals.ipynb#covid">a</a>'
            ' <a href="https://example.org/02-x.ipynb">web</a>')
    out = render.link_glossary(page)
    assert 'href="02-the-journey.html"' in out and 'href="03-arrivals.html#covid"' in out
    assert 'href="https://example.org/02-x.ipynb"' in out and ".ipynb\"" not in out.replace(
        "https://example.org/02-x.ipynb", "")


def test_a_long_list_keeps_its_first_items():
    nb = nbformat.v4.new_notebook()
    items = "\n".join(f"- source {i}" for i in range(40))
    nb.cells = [_code("sources_list(x)", [_md_out(items)])]
    page, _ = render.render(nb, "t")
    assert page.count("<li class=\"bu-more\"") == 40 - render.KEEP_ROWS
    assert "sources_list" not in page  # it only writes text


def test_a_story_list_keeps_its_key_points_and_a_list_one_longer_stays_whole():
    nb = nbformat.v4.new_notebook()
    story = "<!-- key points: 2 -->\n\n" + "\n".join(f"- point {i}" for i in range(6))
    short = "<!-- key points: 2 -->\n\n" + "\n".join(f"- point {i}" for i in range(3))
    nb.cells = [_code("md(story)", [_md_out(story)]), _code("md(short)", [_md_out(short)])]
    page, _ = render.render(nb, "t")
    assert page.count("<li class=\"bu-more\"") == 4 and "Show all 6 points" in page
    assert "The first 2 of 6." in page and "Show all 3 points" not in page


def test_exercises_and_sources_fold_under_their_headings_and_open_whole():
    nb = nbformat.v4.new_notebook()
    sources = "\n".join(f"- source {i}" for i in range(12))
    nb.cells = [nbformat.v4.new_markdown_cell("## 1. The story\n\nText."),
                nbformat.v4.new_markdown_cell("## 7. Exercises\n\n### Exercise 1\n\nQ1.\n\n"
                                              "### Exercise 2\n\nQ2."),
                nbformat.v4.new_markdown_cell("## Sources used in this notebook"),
                _code("sources_list(x)", [_md_out(sources)])]
    page, _ = render.render(nb, "t")
    story, exercises, used = re.split(r"<h2\b", page)[1:]
    assert "details" not in story and "<h2 id=\"7-exercises\">" in "<h2" + exercises
    assert "<details class=\"bu-section\"><summary>Show the 2 exercises</summary>" in exercises
    assert "<summary>Show the 12 sources</summary>" in used
    assert "bu-more" not in used and "Show all" not in used and used.count("<li") == 12
    flat, _ = render.render(nb, "t", fold_tables=False)  # print: nothing folded
    assert "bu-section" not in flat


def test_a_reference_table_is_one_click_away_behind_what_it_holds():
    import pandas as pd

    from beyond_utopia.nb import table

    frame = pd.DataFrame({"a": ["<b>x</b>", "y"]})
    out = table(frame, summary="What <i>it</i> holds")._repr_html_()
    assert out.startswith("<details class=\"bu-ref\"><summary>What &lt;i&gt;it&lt;/i&gt; "
                          "holds (2 rows)</summary><table>") and out.endswith("</details>")
    assert "&lt;b&gt;x" in out and table(frame)._repr_html_().startswith("<table>")
