"""The two sites on a desktop (1280 px), in the system Chromium: every page of both sites
loaded once, and every browser check made on that load (tests/site_visit.py).

Every request that is not for the loopback server is blocked and counted: the pages must
make none.
"""

from __future__ import annotations

import pytest

from . import site_visit
from .site_visit import DESKTOP, FIRST_LOAD_BYTES

pytestmark = pytest.mark.browser

(visits, test_axe_finds_no_wcag_21_aa_violation_on_any_page,
 test_the_longest_student_page_is_a_fraction_of_its_old_height,
 test_every_chart_reads_on_this_screen) = site_visit.screen_tests(DESKTOP, least_pages=20)


def test_every_page_loads_draws_every_chart_and_stays_offline(visits, site):
    seen = visits["pages"]
    assert len(seen) == len(site["report"]["pages"]) + 1  # and the root index
    assert site_visit.load_problems(visits) == {}
    assert {p: s["h1"] for p, s in seen.items() if s["h1"] != 1} == {}
    assert visits["blocked"] == [], f"requests left the machine: {visits['blocked'][:5]}"
    assert sum(s["figures"] for s in seen.values()) == site["report"]["figures"] > 0


def test_first_load_is_light_and_every_chart_still_draws(visits):
    loads = {p: s["first_load"] for p, s in visits["pages"].items() if "first_load" in s}
    # every request counted: the page and its style sheet, and plotly.js where it has charts
    counted = {p: load["requests"] for p, load in loads.items()
               if load["requests"] < (3 if visits["pages"][p]["figures"] else 2)}
    assert len(loads) >= 7 and counted == {}, counted
    heavy = {p: load["bytes"] for p, load in loads.items() if load["bytes"] > FIRST_LOAD_BYTES}
    assert heavy == {}, f"first load over {FIRST_LOAD_BYTES:,} bytes: {heavy}"
    assert any(visits["pages"][p]["drawn"] for p in loads)
