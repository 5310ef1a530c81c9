"""axe-core's WCAG 2.1 A and AA rules on every page of both sites on a desktop, and on
every student page on a phone (where tables scroll sideways), in the system Chromium."""

from __future__ import annotations

import json

import pytest

from .browser_support import SHOTS, WIDTHS, check_page, context, pages

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_21_aa_violation_on_any_page(browser, site, width):
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx, blocked = context(browser, site["url"], width=width)
    page = ctx.new_page()
    found: list[dict] = []
    checked = 0
    chosen = pages(site) if width > 600 else pages(site, "student")
    for entry in [{"page": "index.html", "figures": 0}, *chosen]:
        page.goto(site["url"] + entry["page"])
        page.wait_for_load_state("load")
        check_page(page, entry["figures"])
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                        "resultTypes": ["violations"]})
        checked += 1
        for v in result.response["violations"]:
            found.append({"page": entry["page"], "rule": v["id"], "impact": v["impact"],
                          "nodes": [n["target"] for n in v["nodes"]][:5],
                          "count": len(v["nodes"])})
    ctx.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"axe-{width}.json").write_text(json.dumps(
        {"pages": checked, "violations": found}, indent=1))
    assert blocked == []
    assert checked >= (20 if width > 600 else 7)
    assert found == [], "\n".join(f"{v['page']}: {v['rule']} ({v['impact']}) x{v['count']} "
                                  f"{v['nodes']}" for v in found)
