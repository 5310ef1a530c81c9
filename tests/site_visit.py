"""One visit per page and screen width, and every check a reader's browser makes on it.

A desktop (1280 px) visits every page of both sites; a phone (390 px) every student page.
Each page is loaded once per width, and on that one load the visit records what every
browser check reads (tests/test_site_desktop.py and tests/test_site_phone.py judge it):

- the response, script errors, requests that left the machine, the one ``<h1>``;
- every chart drawn by the site's own plotly.js;
- axe-core's WCAG 2.1 A and AA rules;
- the page's height (issue 15: the longest student page is a third of its old height);
- each chart of a student page measured as VISION.md asks (legend, toolbar, text inside
  the figure, a direct label), with the mouse on it as a reader's would be;
- on the desktop, what each student page fetches on its first load. Every page is a first
  load: each browser context here routes every request (to block those that would leave
  the machine), and routing turns Chromium's cache off ("Enabling routing disables http
  cache", Playwright's documentation of ``route``), so every file a page needs is fetched
  and counted, in one browser tab for all pages.

Loading each page once for all of these, instead of once per check (a student page was
loaded five times on a desktop), takes the browser tests from 127 page loads to 45.

What a visit saw is kept under build/screenshots/ for a person to look at: axe-WIDTH.json,
page-heights-WIDTH.json, first-load.json, chart-NN-k-WIDTH.png, chart-checks-NN-WIDTH.json
and, on the desktop, a full screenshot of each student page.
"""

from __future__ import annotations

import json

import pytest

from beyond_utopia import catalogue
from beyond_utopia.paths import NOTEBOOK_DIR

from .browser_support import DRAWN, SHOTS, context, pages, shot_name
from .conftest import stored_charts

DESKTOP, PHONE = 1280, 390
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: The most a student page may transfer on its first load (HTML, style, plotly.js, ...).
FIRST_LOAD_BYTES = 1_500_000
#: The longest student page before the reading view (page 04, measured in Chromium).
HEIGHT_BEFORE = {DESKTOP: 18_629, PHONE: 44_787}
#: The longest student page may be at most this share of it: a third (issue 15).
HEIGHT_SHARE = {DESKTOP: 1 / 3, PHONE: 1 / 3}

LEGEND_SHARE = 0.05
SLACK = 1.5  # px: sub-pixel rounding of text boxes

#: The notebooks whose stored outputs hold charts.
ENTRIES = [e for e in catalogue.available() if stored_charts(NOTEBOOK_DIR / e.filename)]

MEASURE = """(chart) => {
  const box = r => { const b = r.getBoundingClientRect();
                     return {x: b.left, y: b.top, w: b.width, h: b.height}; };
  const visible = e => { const s = getComputedStyle(e);
      return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0; };
  const fig = box(chart);
  const plots = [...chart.querySelectorAll('rect.nsewdrag')].map(box);
  const legend = chart.querySelector('g.legend');
  const bar = chart.querySelector('.modebar');
  const titles = [...chart.querySelectorAll('text.gtitle, text.gtitle-subtitle')]
      .filter(t => t.textContent.trim()).map(box);
  const texts = [...chart.querySelectorAll('svg.main-svg text')]
      .filter(t => t.textContent.trim() && !t.closest('.hoverlayer') && visible(t))
      .map(t => ({text: t.textContent.trim().slice(0, 60), ...box(t)}));
  const labels = [...chart.querySelectorAll('g.annotation text, g.textpoint text, text.bartext')]
      .filter(t => t.textContent.trim()).length;
  return {fig, plots, legend: legend ? box(legend) : null,
          modebar: bar && visible(bar) && bar.children.length ? box(bar) : null,
          titles, texts, labels};
}"""

#: The chart has no toolbar, or its toolbar has begun to show (plotly fades it in on hover).
TOOLBAR_SHOWN = """(chart) => { const bar = chart.querySelector('.modebar');
  return !bar || !bar.children.length || parseFloat(getComputedStyle(bar).opacity) > 0; }"""

#: axe-core's rules on the page as it is now; its violations only.
AXE_RUN = "async (options) => (await axe.run(document, options)).violations"


def _overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def judge(m: dict) -> list[str]:
    """The checks a chart fails, in words."""
    failed = []
    plot_area = sum(p["w"] * p["h"] for p in m["plots"]) or 1.0
    if m["legend"]:
        covered = sum(_overlap(m["legend"], p) for p in m["plots"]) / plot_area
        if covered > LEGEND_SHARE:
            failed.append(f"legend covers {covered:.0%} of the plot area")
    if m["modebar"] and any(_overlap(m["modebar"], t) > 0 for t in m["titles"]):
        failed.append("toolbar over the title")
    f = m["fig"]
    outside = [t["text"] for t in m["texts"]
               if t["x"] < f["x"] - SLACK or t["y"] < f["y"] - SLACK
               or t["x"] + t["w"] > f["x"] + f["w"] + SLACK
               or t["y"] + t["h"] > f["y"] + f["h"] + SLACK]
    if outside:
        failed.append(f"text outside the figure: {outside[:4]}")
    if not m["labels"]:
        failed.append("no direct label")
    return failed


def _charts(page, number: str, width: int) -> list[dict]:
    """Each chart of the page, measured with the mouse on it (the toolbar shows on hover on
    a wide screen), and its screenshot."""
    report = []
    charts = page.locator(".js-plotly-plot")
    for k in range(charts.count()):
        chart = charts.nth(k)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:  # the toolbar, where the chart has one, starts to fade in on hover
            page.wait_for_function(TOOLBAR_SHOWN, arg=chart.element_handle(), timeout=1000)
        except Exception:  # noqa: BLE001 - a toolbar that never shows is measured as hidden
            pass
        m = chart.evaluate(MEASURE)
        page.mouse.move(0, 0)
        chart.screenshot(path=str(SHOTS / f"chart-{number}-{k + 1}-{width}.png"))
        title = next((t["text"] for t in m["texts"]
                      if any(abs(t["y"] - s["y"]) < 1 for s in m["titles"])), "")
        plot_area = sum(p["w"] * p["h"] for p in m["plots"]) or 1.0
        legend_size = (m["legend"]["w"] * m["legend"]["h"] / plot_area) if m["legend"] else 0
        report.append({"chart": k + 1, "title": title, "failed": judge(m),
                       "legend_area_to_plot_area": round(legend_size, 2), **m})
    (SHOTS / f"chart-checks-{number}-{width}.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False))
    return report


def _visit(page, url: str, entry: dict, width: int, first_load: bool) -> dict:
    seen: dict = {"figures": entry["figures"], "errors": []}
    sizes: dict[str, int] = {}

    def done(request) -> None:
        s = request.sizes()
        sizes[request.url] = s["responseBodySize"] + s["responseHeadersSize"]

    def error(e) -> None:
        seen["errors"].append(str(e))

    if first_load:
        page.on("requestfinished", done)
    page.on("pageerror", error)
    try:
        _load_and_measure(page, url, entry, width, seen)
    finally:
        page.remove_listener("pageerror", error)
        if first_load:
            page.remove_listener("requestfinished", done)
    if first_load:
        seen["first_load"] = {"bytes": sum(sizes.values()), "requests": len(sizes)}
    return seen


def _load_and_measure(page, url: str, entry: dict, width: int, seen: dict) -> None:
    response = page.goto(url + entry["page"])
    seen["ok"] = response is not None and response.ok
    page.wait_for_load_state("load")
    if entry["figures"]:
        try:
            page.wait_for_function(f"{DRAWN} >= {entry['figures']}", timeout=30_000)
        except Exception:  # noqa: BLE001 - what drew is recorded; the test says what did not
            pass
    seen["charts"] = page.locator(".js-plotly-plot").count()
    seen["drawn"] = page.evaluate(DRAWN)
    seen["h1"] = page.locator("h1").count()
    seen["height"] = page.evaluate("document.documentElement.scrollHeight")
    seen["violations"] = axe_violations(page)
    student = entry["page"].startswith("student/")
    if student and width == DESKTOP:
        page.screenshot(path=str(SHOTS / shot_name("site-" + entry["page"])), full_page=True)
    if student and entry["figures"] and entry["page"][8:10].isdigit():
        seen["chart_checks"] = _charts(page, entry["page"][8:10], width)


def axe_context(browser, url: str, width: int):
    """A browser context (see browser_support.context) whose every page has axe-core: it
    goes into each page as the page is created, before the page's own scripts (one copy
    sent to the browser, where axe-playwright-python sends it again for every page)."""
    from axe_playwright_python.sync_playwright import Axe

    ctx, blocked = context(browser, url, width=width)
    ctx.add_init_script(script=Axe().axe_script)
    return ctx, blocked


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA rules on the page as it is now: each rule broken, with
    how often and where (the first five places)."""
    found = page.evaluate(AXE_RUN, {"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                    "resultTypes": ["violations"]})
    return [{"rule": v["id"], "impact": v["impact"], "count": len(v["nodes"]),
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in found]


def visit_all(browser, site: dict, width: int) -> dict:
    """Visit the pages a reader at ``width`` reads: on a desktop the root index and every
    page of both sites, on a phone the root index and the student pages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    chosen = pages(site) if width > 600 else pages(site, "student")
    shared, blocked = axe_context(browser, site["url"], width)
    page = shared.new_page()
    seen: dict[str, dict] = {}
    for entry in [{"page": "index.html", "figures": 0}, *chosen]:
        first_load = width == DESKTOP and entry["page"].startswith("student/")
        seen[entry["page"]] = _visit(page, site["url"], entry, width, first_load)
    shared.close()
    (SHOTS / f"axe-{width}.json").write_text(json.dumps(
        {"pages": len(seen), "violations": {p: s["violations"] for p, s in seen.items()
                                            if s["violations"]}}, indent=1))
    (SHOTS / f"page-heights-{width}.json").write_text(json.dumps(
        {p: s["height"] for p, s in seen.items() if p.startswith("student/")}, indent=1))
    if width == DESKTOP:
        (SHOTS / "first-load.json").write_text(json.dumps(
            {p: dict(s["first_load"], charts=s["figures"]) for p, s in seen.items()
             if "first_load" in s}, indent=1))
    return {"pages": seen, "blocked": blocked, "width": width}


# --------------------------------------------------------------------------- the checks


def axe_problems(visits: dict) -> list[str]:
    return [f"{p}: {v['rule']} ({v['impact']}) x{v['count']} {v['nodes']}"
            for p, s in visits["pages"].items() for v in s["violations"]]


def longest_page_problem(visits: dict) -> str | None:
    width = visits["width"]
    heights = {p: s["height"] for p, s in visits["pages"].items() if p.startswith("student/")}
    longest = max(heights, key=heights.get)
    limit = HEIGHT_BEFORE[width] * HEIGHT_SHARE[width]
    if heights[longest] > limit:
        return f"{longest} is {heights[longest]:,} px tall at {width} px (limit {limit:,.0f})"
    return None


def chart_problems(visits: dict, number: str) -> list[str]:
    """What fails on the charts of student page ``number``: none drawn, or a check."""
    width = visits["width"]
    path = next((p for p in visits["pages"] if p.startswith(f"student/{number}-")), None)
    if path is None:
        return [f"{number}: the student site has no page for this notebook"]
    seen = visits["pages"][path]
    if not seen["figures"]:
        return [f"{number}: the stored notebook has charts, the page none"]
    problems = [f"{number}: {seen['drawn']} of {seen['figures']} charts drew"
                ] if seen["drawn"] < seen["figures"] else []
    return problems + [f"{number} chart {c['chart']} ({c['title']!r}) at {width} px: {f}"
                       for c in seen.get("chart_checks", []) for f in c["failed"]]


def load_problems(visits: dict) -> dict[str, object]:
    """Pages that did not load whole: an error response, a chart that did not draw, a
    script error."""
    return {p: {"ok": s["ok"], "charts": s["charts"], "drawn": s["drawn"],
                "errors": s["errors"]}
            for p, s in visits["pages"].items()
            if not (s["ok"] and s["charts"] == s["drawn"] == s["figures"]) or s["errors"]}


# --------------------------------------------------------------------------- the tests


def screen_tests(width: int, least_pages: int):
    """The fixture and the tests every screen width has (one test file per width, so that
    parallel workers share them): the visits, axe, the longest page, each notebook's
    charts."""

    @pytest.fixture(scope="module")
    def visits(browser, site):
        pytest.importorskip("axe_playwright_python")
        return visit_all(browser, site, width)

    def test_axe_finds_no_wcag_21_aa_violation_on_any_page(visits):
        assert len(visits["pages"]) >= least_pages
        assert axe_problems(visits) == []

    def test_the_longest_student_page_is_a_fraction_of_its_old_height(visits):
        assert longest_page_problem(visits) is None

    @pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.number)
    def test_every_chart_reads_on_this_screen(visits, entry):
        assert chart_problems(visits, entry.number) == []

    return (visits, test_axe_finds_no_wcag_21_aa_violation_on_any_page,
            test_the_longest_student_page_is_a_fraction_of_its_old_height,
            test_every_chart_reads_on_this_screen)
