"""What a reader sees of the two offline sites, as built and in a real browser.

Every request that is not for the loopback server is blocked and counted: the pages must
make none. Screenshots of the last run are kept under build/screenshots/.
"""

from __future__ import annotations

import html as html_mod
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import build

from .browser_support import SHOTS, check_page, context, pages


def _text(html_page: str) -> str:
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", html_page)).split())


def _read(site, page_path: str) -> str:
    return (site["root"] / page_path).read_text(encoding="utf-8")


def re_sentences(text: str) -> list[str]:
    """The prose sentences of a Markdown text, without code blocks or emphasis marks."""
    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    prose = re.sub(r"\*\*|`|(?<!\w)\*|\*(?!\w)", "", prose)
    prose = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", prose)
    sentences = []
    for line in prose.splitlines():
        line = re.sub(r"^\s*(>\s*)?(\d+\.|-)\s+", "", line)
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line)]
    return [s for s in sentences if len(s) > 60]


# --------------------------------------------------------------------------- two sites


def test_the_two_sites_are_built_side_by_side_each_with_its_index(site):
    root = site["root"]
    for edition in ("student", "teacher"):
        for name in ("index.html", "assets/site.css", "assets/plotly-basic.min.js",
                     "assets/plotly-basic.LICENSE"):
            assert (root / edition / name).exists(), f"{edition}/{name}"
    assert (root / "teacher" / "guide.html").exists()
    assert not (root / "student" / "guide.html").exists()
    for entry in pages(site, "teacher"):
        if re.match(r"teacher/\d\d-", entry["page"]):
            number = Path(entry["page"]).name[:2]
            assert (root / "teacher" / f"answers-{number}.html").exists(), number


def _links(page_html: str) -> list[str]:
    return re.findall(r"(?:href|src)=\"([^\"]+)\"", page_html)


def test_no_student_page_links_to_a_teacher_page(site):
    root = site["root"] / "student"
    files = sorted(root.rglob("*.html"))
    assert len(files) >= 7
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "Teacher edition of this notebook" not in text, path.name
        for words in re.findall(r"<a\b[^>]*>(.*?)</a>", text, re.S):
            assert "teacher" not in words.lower(), f"{path.name}: a link to {words!r}"
        for link in _links(text):
            if re.match(r"[a-z]+:", link) or link.startswith("#"):
                continue  # the web, or the page itself
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_relative_to(root.resolve()), f"{path.name} links out: {link}"
            assert target.exists(), f"{path.name}: broken link {link}"


def test_every_link_within_the_sites_resolves(site):
    for path in sorted(site["root"].rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        ids = set(re.findall(r"id=\"([^\"]+)\"", text))
        for link in _links(text):
            if re.match(r"[a-z]+:", link):
                continue
            if link.startswith("#"):
                assert link[1:] in ids, f"{path.name}: no {link}"
                continue
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_relative_to(site["root"].resolve()) and target.exists(), (
                f"{path.relative_to(site['root'])}: broken link {link}")


def test_both_indexes_state_the_date_the_data_runs_to(site):
    from tools.site import runs_to_text

    when = runs_to_text()
    for edition in ("student", "teacher"):
        assert f"The data run to <strong>{when}</strong>" in _read(site, f"{edition}/index.html")
    assert "teacher" not in _text(_read(site, "student/index.html")).lower()


def test_the_glossary_is_on_both_sites_and_its_links_resolve(site):
    from tools.site import GLOSSARY

    if not GLOSSARY.exists():
        pytest.skip("notebooks/glossary.md does not exist yet")
    for edition in ("student", "teacher"):
        glossary = _read(site, f"{edition}/glossary.html")
        ids = set(re.findall(r"id=\"([^\"]+)\"", glossary))
        for path in sorted((site["root"] / edition).glob("*.html")):
            text = path.read_text(encoding="utf-8")
            assert "glossary.md" not in text, f"{path.name}: a link to glossary.md is left"
            for anchor in re.findall(r"href=\"glossary\.html#([^\"]+)\"", text):
                assert anchor in ids, f"{edition}/{path.name}: glossary has no #{anchor}"


# --------------------------------------------------------------------------- reading view


def test_student_pages_show_no_plumbing(site):
    """No setup or prose-writing code, no injected parameters, no empty teacher cell; the
    code that stays (charts, tables, parameters) is folded."""
    import nbformat

    from tools import render
    from tools.site import EXECUTED

    for entry in pages(site, "student"):
        if not re.match(r"student/\d\d-", entry["page"]):
            continue
        text = _read(site, entry["page"])
        nb = nbformat.read(EXECUTED / "student" / Path(entry["page"]).with_suffix(".ipynb").name,
                           as_version=4)
        shown = [html_mod.unescape(b) for b in re.findall(r"<pre><code>(.*?)</code></pre>",
                                                          text, re.S)]
        for cell in nb.cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            hidden = (render.input_hidden(cell) or render.removed(cell)
                      or render.writes_prose(cell) or not cell.outputs)
            if hidden and "parameters" not in cell.metadata.get("tags", []):
                assert cell.source not in shown, f"{entry['page']}: {cell.source[:80]}"
        assert not any("# Parameters\n" in b for b in shown), entry["page"]
        assert text.count("<pre><code>") == text.count("<details class=\"bu-code\">")


def test_long_tables_show_key_rows_with_the_rest_one_click_away(site):
    from tools import render

    found = 0
    for entry in pages(site, "student"):
        text = _read(site, entry["page"])
        for box in re.findall(r"<div class=\"bu-tablebox\">.*?</table></div></div>", text,
                              re.S):
            rows = len(re.findall(r"<tbody\b.*?</tbody>", box, re.S) and
                       re.findall(r"<tr\b", re.search(r"<tbody\b.*?</tbody>", box, re.S)
                                  .group(0)))
            hidden = box.count("<tr class=\"bu-more\"")
            assert "role=\"region\"" in box and "tabindex=\"0\"" in box and "aria-label=" in box
            if rows > render.LONG_TABLE:
                found += 1
                assert hidden == rows - render.KEEP_ROWS and f"Show all {rows} rows" in box
            else:
                assert hidden == 0
    assert found >= 1


def test_the_student_edition_gives_no_solution_away(site):
    from beyond_utopia import classroom
    from tools.pack import given_text

    given = given_text()  # the data students are given: quoting it gives nothing away
    for entry in pages(site, "student"):
        if not re.match(r"student/\d\d-", entry["page"]):
            continue
        number = Path(entry["page"]).name[:2]
        student = _text(_read(site, entry["page"]))
        teacher = _text(_read(site, entry["page"].replace("student/", "teacher/")))
        key = _text(_read(site, f"teacher/answers-{number}.html"))
        assert "Solution 1." not in student and "Teaching notes" not in student
        values = classroom.solution_values(number)
        for name in classroom._sections(number):
            text = classroom.section(number, name, values)
            for sentence in re_sentences(text):
                if sentence in given:
                    continue
                assert sentence not in student, (entry["page"], sentence)
                where = key if name.startswith("Exercise") else teacher
                assert sentence in where or sentence in teacher, (entry["page"], sentence)


# --------------------------------------------------------------------------- in a browser

@pytest.mark.browser
def test_a_page_opened_from_disk_draws_its_charts(browser, site):
    entry = max(pages(site, "student"), key=lambda p: p["figures"])
    ctx, blocked = context(browser, "file://")
    page = ctx.new_page()
    page.goto((site["root"] / entry["page"]).resolve().as_uri())
    check_page(page, entry["figures"])
    ctx.close()
    assert blocked == []


@pytest.mark.browser
def test_a_long_table_opens_in_one_click_and_a_wide_one_says_it_scrolls(browser, site):
    entry = next(p for p in pages(site, "student") if "bu-more" in _read(site, p["page"]))
    ctx, _ = context(browser, site["url"], width=390)
    page = ctx.new_page()
    page.goto(site["url"] + entry["page"])
    page.wait_for_load_state("load")
    box = page.locator(".bu-tablebox:has(details.bu-all)").first
    hidden = box.locator("tr.bu-more").first
    assert hidden.is_hidden()
    box.locator("details.bu-all summary").click()
    assert hidden.is_visible()
    scrolling = page.locator(".bu-tablebox.bu-scrolls")
    assert scrolling.count() >= 1
    assert scrolling.first.locator(".bu-cue").is_visible()
    region = scrolling.first.locator(".bu-table")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())
    ctx.close()


@pytest.mark.browser
def test_a_teacher_row_reaches_the_site_after_one_command_and_stays_text(browser, tmp_path,
                                                                        data_copy):
    """Add a row to a copy of timeline.csv, build the sites of notebook 04 on it, read it."""
    from .test_robustness import SCRIPT_TITLE, _add_teacher_rows

    _add_teacher_rows(data_copy)
    out = tmp_path / "build"
    env = dict(os.environ, BEYOND_UTOPIA_BUILD=str(out))
    subprocess.run([sys.executable, "-m", "tools.site", "04"], env=env, check=True,
                   cwd=build.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600)
    for edition in ("student", "teacher"):
        text = (out / "site" / edition / "04-repatriation-timeline.html").read_text()
        assert "A teacher&#x27;s own event" in text or "A teacher's own event" in text
        assert "<script>alert" not in text and "<img src=x" not in text
    ctx, blocked = context(browser, "file://")
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((out / "site" / "student" / "04-repatriation-timeline.html").as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert SCRIPT_TITLE.split("</script>")[0] in page.inner_text("main")  # shown as text
    page.wait_for_timeout(300)
    ctx.close()
    assert dialogs == [] and blocked == []


@pytest.mark.browser
def test_pages_print_with_their_charts(browser, site):
    entry = max(pages(site, "student"), key=lambda p: p["figures"])
    ctx, blocked = context(browser, site["url"])
    page = ctx.new_page()
    page.goto(site["url"] + entry["page"])
    page.wait_for_load_state("load")
    check_page(page, entry["figures"])
    page.emulate_media(media="print")
    assert page.locator("header nav").is_hidden()
    for i in range(entry["figures"]):
        box = page.locator(".js-plotly-plot").nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, f"chart {i} in print"
    pdf = SHOTS / ("print-" + entry["page"].replace("/", "-").replace(".html", ".pdf"))
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 50_000
    ctx.close()
    assert blocked == []
