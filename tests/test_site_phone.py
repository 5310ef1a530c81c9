"""The student site on a phone (390 px), in the system Chromium: every student page loaded
once, and every browser check made on that load (tests/site_visit.py)."""

from __future__ import annotations

import pytest

from . import site_visit
from .site_visit import ENTRIES, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def visits(browser, site):
    pytest.importorskip("axe_playwright_python")
    return site_visit.visit_all(browser, site, PHONE)


def test_every_student_page_loads_and_draws_every_chart(visits, site):
    seen = visits["pages"]
    student = [p for p in site["report"]["pages"] if p["edition"] == "student"]
    assert len(seen) == len(student) + 1 >= 8  # and the root index
    assert {p: (s["ok"], s["charts"], s["drawn"]) for p, s in seen.items()
            if not (s["ok"] and s["charts"] == s["drawn"] == s["figures"])} == {}
    assert {p: s["errors"] for p, s in seen.items() if s["errors"]} == {}
    assert visits["blocked"] == []


def test_axe_finds_no_wcag_21_aa_violation_on_any_page(visits):
    assert site_visit.axe_problems(visits) == []


def test_the_longest_student_page_is_a_fraction_of_its_old_height(visits):
    assert site_visit.longest_page_problem(visits) is None


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.number)
def test_every_chart_reads_on_this_screen(visits, entry):
    assert site_visit.chart_problems(visits, entry.number) == []
