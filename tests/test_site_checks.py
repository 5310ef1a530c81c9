"""The browser checks of tests/site_visit.py, on made-up measures and on a made-up page:
each one can fail."""

from __future__ import annotations

import pytest

from .browser_support import Quiet, served
from .site_visit import (
    DESKTOP,
    HEIGHT_BEFORE,
    PHONE,
    _visit,
    axe_context,
    axe_problems,
    chart_problems,
    judge,
    load_problems,
    longest_page_problem,
)


def test_each_chart_check_can_fail():
    fig = {"x": 0, "y": 0, "w": 400, "h": 300}
    plot = {"x": 50, "y": 60, "w": 300, "h": 200}
    good = {"fig": fig, "plots": [plot], "legend": {"x": 50, "y": 270, "w": 300, "h": 20},
            "modebar": None, "titles": [{"x": 5, "y": 5, "w": 200, "h": 20}],
            "texts": [{"text": "a", "x": 10, "y": 10, "w": 50, "h": 10}], "labels": 1}
    assert judge(good) == []
    bad = dict(good, legend={"x": 250, "y": 60, "w": 100, "h": 100},
               modebar={"x": 150, "y": 0, "w": 150, "h": 25},
               texts=[{"text": "long title", "x": 10, "y": 10, "w": 450, "h": 10}], labels=0)
    failed = judge(bad)
    assert len(failed) == 4 and failed[0].startswith("legend covers 17%"), failed


def _visits(width: int, **student: object) -> dict:
    page = {"figures": 2, "drawn": 2, "height": 1000, "violations": [],
            "chart_checks": [{"chart": 1, "title": "T", "failed": []}], **student}
    return {"width": width, "pages": {"index.html": {"height": 50_000, "violations": []},
                                      "student/03-arrivals.html": page}}


def test_the_page_checks_pass_on_good_measures_and_fail_on_bad_ones():
    good = _visits(DESKTOP)
    assert axe_problems(good) == [] and chart_problems(good, "03") == []
    assert longest_page_problem(good) is None  # the root index is no student page
    tall = _visits(PHONE, height=HEIGHT_BEFORE[PHONE] // 2)
    assert "student/03-arrivals.html is 22,393 px tall at 390 px" in longest_page_problem(tall)
    undrawn = _visits(DESKTOP, drawn=1, chart_checks=[
        {"chart": 1, "title": "T", "failed": ["no direct label"]}])
    assert chart_problems(undrawn, "03") == [
        "03: 1 of 2 charts drew", "03 chart 1 ('T') at 1280 px: no direct label"]
    assert chart_problems(_visits(DESKTOP, figures=0), "03") == [
        "03: the stored notebook has charts, the page none"]
    assert chart_problems(good, "04") == ["04: the student site has no page for this notebook"]
    flagged = _visits(DESKTOP, violations=[{"rule": "color-contrast", "impact": "serious",
                                            "count": 2, "nodes": [["p"]]}])
    assert axe_problems(flagged) == [
        "student/03-arrivals.html: color-contrast (serious) x2 [['p']]"]


def test_a_page_that_did_not_load_whole_is_named():
    page = {"ok": True, "charts": 2, "drawn": 2, "figures": 2, "errors": []}
    assert load_problems({"pages": {"a.html": page}}) == {}
    for bad in ({"ok": False}, {"drawn": 1}, {"charts": 1}, {"errors": ["TypeError"]}):
        assert list(load_problems({"pages": {"a.html": dict(page, **bad)}})) == ["a.html"], bad


#: A page with two WCAG 2.1 A faults (an image with no text alternative, a page with no
#: language), and a style sheet it loads.
_FAULTY = ("<!doctype html><title>t</title><link rel=stylesheet href=s.css>"
           "<main><h1>t</h1><img src=x.png></main>")


class _Cached(Quiet):
    """Serves a folder, telling the browser that it may keep each file for an hour."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()


@pytest.mark.browser
def test_axe_and_the_first_load_as_the_visits_run_them(browser, tmp_path):
    """axe-core, as the visits add it to every page, finds the faults of a faulty page; and
    in a context of the visits a page loaded again fetches every file again (no cache: its
    count is a first load's), though the server says the files may be kept for an hour."""
    for name, text in {"page.html": _FAULTY, "s.css": "h1 {color: #000}", "x.png": ""}.items():
        (tmp_path / name).write_text(text)
    entry = {"page": "page.html", "figures": 0}
    with served(tmp_path, _Cached) as url:
        ctx, blocked = axe_context(browser, url, DESKTOP)
        page = ctx.new_page()
        try:
            first = _visit(page, url, entry, DESKTOP, first_load=True)
            again = _visit(page, url, entry, DESKTOP, first_load=True)
        finally:
            ctx.close()
    assert {"image-alt", "html-has-lang"} <= {v["rule"] for v in first["violations"]}, first
    assert again["violations"] == first["violations"] and blocked == []
    assert first["first_load"]["requests"] == again["first_load"]["requests"] == 3, again
    assert again["first_load"]["bytes"] == first["first_load"]["bytes"] > len(_FAULTY)
