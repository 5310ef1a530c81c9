"""What a reader sees of the offline site, in a real browser (the system Chromium).

Every request that is not for the loopback server is blocked and counted: the pages must
make none. Screenshots of the last run are kept under build/screenshots/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import build

from .browser_support import SHOTS, check_page, context

pytestmark = pytest.mark.browser


def test_every_site_page_loads_draws_every_chart_and_stays_offline(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = context(browser, site["url"])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    pages = [{"page": "index.html", "figures": 0}, {"page": "guide.html", "figures": 0},
             *site["report"]["pages"]]
    for entry in pages:
        response = page.goto(site["url"] + entry["page"])
        assert response is not None and response.ok, entry["page"]
        page.wait_for_load_state("networkidle")
        check_page(page, entry["figures"])
        assert page.locator("h1").count() == 1, entry["page"]
        page.screenshot(path=str(SHOTS / ("site-" + entry["page"].replace("/", "-")
                                          .replace(".html", ".png"))), full_page=True)
    ctx.close()
    assert errors == [], errors
    assert blocked == [], f"requests left the machine: {blocked[:5]}"
    assert sum(p["figures"] for p in pages) == site["report"]["figures"] > 0


def test_a_page_opened_from_disk_draws_its_charts(browser, site):
    entry = next(p for p in site["report"]["pages"] if p["figures"] >= 3)
    ctx, blocked = context(browser, "file://")
    page = ctx.new_page()
    page.goto((site["root"] / entry["page"]).resolve().as_uri())
    check_page(page, entry["figures"])
    ctx.close()
    assert blocked == []


def test_the_student_edition_gives_no_solution_away(site):
    from beyond_utopia import classroom

    root = site["root"]
    for entry in site["report"]["pages"]:
        if not entry["page"].startswith("student/"):
            continue
        number = Path(entry["page"]).name[:2]
        student = (root / entry["page"]).read_text(encoding="utf-8")
        teacher = (root / entry["page"].replace("student/", "teacher/")).read_text(
            encoding="utf-8")
        assert "Solution 1." not in student and "Teaching notes" not in student
        values = classroom.solution_values(number)
        sections = classroom._sections(number)
        for name in sections:
            text = classroom.section(number, name, values)
            # every long enough sentence of the teacher notes: in the teacher page only
            for sentence in re_sentences(text):
                assert sentence not in _text(student), (entry["page"], sentence)
                assert sentence in _text(teacher), (entry["page"], sentence)


def re_sentences(text: str) -> list[str]:
    """The prose sentences of a Markdown text, without code blocks or emphasis marks."""
    import re

    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    prose = re.sub(r"\*\*|`|(?<!\w)\*|\*(?!\w)", "", prose)
    sentences = []
    for line in prose.splitlines():
        line = re.sub(r"^\s*(\d+\.|-)\s+", "", line)
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line)]
    return [s for s in sentences if len(s) > 60]


def _text(html_page: str) -> str:
    import html as html_mod
    import re

    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", html_page)).split())


def test_a_teacher_row_reaches_the_site_after_one_command_and_stays_text(browser, tmp_path,
                                                                        data_copy):
    """Add a row to a copy of timeline.csv, run the site build on it, and read the page."""
    from .test_robustness import SCRIPT_TITLE, _add_teacher_rows

    _add_teacher_rows(data_copy)
    out = tmp_path / "build"
    env = dict(os.environ, BEYOND_UTOPIA_BUILD=str(out))
    subprocess.run([sys.executable, "-m", "tools.build", "site"], env=env, check=True,
                   cwd=build.ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
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
    assert SCRIPT_TITLE.split("</script>")[0] in page.inner_text("main")  # shown as text
    page.wait_for_timeout(500)
    ctx.close()
    assert dialogs == [] and blocked == []


def test_pages_print_with_their_charts(browser, site):
    entry = next(p for p in site["report"]["pages"] if p["figures"] >= 3)
    ctx, blocked = context(browser, site["url"])
    page = ctx.new_page()
    page.goto(site["url"] + entry["page"])
    page.wait_for_load_state("networkidle")
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
