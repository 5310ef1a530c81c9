"""Every chart of every student page, on a desktop (1280 px) and a phone (390 px), drawn by
the site's plotly.js in the system Chromium, to the standard in VISION.md:

- the legend covers at most 5% of the plot area;
- the toolbar (plotly's modebar), when it shows, is not over the title or subtitle (the
  mouse is on the chart, so a toolbar that shows on hover is showing);
- no text runs outside the figure;
- at least one direct label is drawn (an annotation, or a text trace's label).

Each chart's screenshot is kept as build/screenshots/chart-NN-k-WIDTH.png, and every
measure in build/screenshots/chart-checks-NN-WIDTH.json.
"""

from __future__ import annotations

import json

import pytest

from beyond_utopia import catalogue
from beyond_utopia.paths import NOTEBOOK_DIR

from .browser_support import SHOTS, WIDTHS, check_page, context, pages
from .conftest import stored_charts

pytestmark = pytest.mark.browser

LEGEND_SHARE = 0.05
SLACK = 1.5  # px: sub-pixel rounding of text boxes

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


ENTRIES = [e for e in catalogue.available() if stored_charts(NOTEBOOK_DIR / e.filename)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.number)
def test_every_chart_reads_on_this_screen(browser, site, entry, width):
    path = f"student/{entry.page}"
    figures = next(p["figures"] for p in pages(site) if p["page"] == path)
    assert figures, f"{entry.number}: the stored notebook has charts, the page none"
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = context(browser, site["url"], width=width, height=900)
    page = ctx.new_page()
    page.goto(site["url"] + path)
    page.wait_for_load_state("load")
    check_page(page, figures)
    report, problems = [], []
    charts = page.locator(".js-plotly-plot")
    for k in range(charts.count()):
        chart = charts.nth(k)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(150)  # the toolbar fades in on hover
        m = chart.evaluate(MEASURE)
        page.mouse.move(0, 0)
        chart.screenshot(path=str(SHOTS / f"chart-{entry.number}-{k + 1}-{width}.png"))
        title = next((t["text"] for t in m["texts"]
                      if any(abs(t["y"] - s["y"]) < 1 for s in m["titles"])), "")
        failed = judge(m)
        plot_area = sum(p["w"] * p["h"] for p in m["plots"]) or 1.0
        legend_size = (m["legend"]["w"] * m["legend"]["h"] / plot_area) if m["legend"] else 0
        report.append({"chart": k + 1, "title": title, "failed": failed,
                       "legend_area_to_plot_area": round(legend_size, 2), **m})
        problems += [f"{entry.number} chart {k + 1} ({title!r}) at {width} px: {f}"
                     for f in failed]
    (SHOTS / f"chart-checks-{entry.number}-{width}.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False))
    ctx.close()
    assert blocked == []
    assert problems == [], "\n".join(problems)


def test_each_check_can_fail():
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
