"""A light first load and short pages: what a student's browser fetches for each student
page (with an empty cache), and how tall each page is on a desktop and on a phone."""

from __future__ import annotations

import json

import pytest

from .browser_support import SHOTS, WIDTHS, check_page, context, pages

pytestmark = pytest.mark.browser

#: The most a student page may transfer on its first load (HTML, style, plotly.js, ...).
FIRST_LOAD_BYTES = 1_500_000
#: The longest student page before the reading view (page 04, measured in Chromium).
HEIGHT_BEFORE = {1280: 18_629, 390: 44_787}
#: The longest student page may be at most this share of it: a third (issue 15).
HEIGHT_SHARE = {1280: 1 / 3, 390: 1 / 3}


def test_first_load_is_light_and_every_chart_still_draws(browser, site):
    measured = {}
    for entry in pages(site, "student"):
        ctx, blocked = context(browser, site["url"])  # a new context: an empty cache
        page = ctx.new_page()
        sizes: dict[str, int] = {}

        def done(request, sizes=sizes):
            s = request.sizes()
            sizes[request.url] = s["responseBodySize"] + s["responseHeadersSize"]

        page.on("requestfinished", done)
        page.goto(site["url"] + entry["page"])
        page.wait_for_load_state("networkidle")
        check_page(page, entry["figures"])
        ctx.close()
        assert blocked == []
        measured[entry["page"]] = {"bytes": sum(sizes.values()), "requests": len(sizes),
                                   "charts": entry["figures"]}
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "first-load.json").write_text(json.dumps(measured, indent=1))
    heavy = {p: m["bytes"] for p, m in measured.items() if m["bytes"] > FIRST_LOAD_BYTES}
    assert heavy == {}, f"first load over {FIRST_LOAD_BYTES:,} bytes: {heavy}"
    assert any(m["charts"] for m in measured.values())


@pytest.mark.parametrize("width", WIDTHS)
def test_the_longest_student_page_is_a_fraction_of_its_old_height(browser, site, width):
    ctx, _ = context(browser, site["url"], width=width)
    page = ctx.new_page()
    heights = {}
    for entry in pages(site, "student"):
        page.goto(site["url"] + entry["page"])
        page.wait_for_load_state("load")
        check_page(page, entry["figures"])
        heights[entry["page"]] = page.evaluate("document.documentElement.scrollHeight")
    ctx.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"page-heights-{width}.json").write_text(json.dumps(heights, indent=1))
    longest = max(heights, key=heights.get)
    limit = HEIGHT_BEFORE[width] * HEIGHT_SHARE[width]
    assert heights[longest] <= limit, (
        f"{longest} is {heights[longest]:,} px tall at {width} px (limit {limit:,.0f})")
