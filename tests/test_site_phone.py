"""The student site on a phone (390 px), in the system Chromium: every student page loaded
once, and every browser check made on that load (tests/site_visit.py)."""

from __future__ import annotations

import pytest

from . import site_visit
from .site_visit import PHONE

pytestmark = pytest.mark.browser

(visits, test_axe_finds_no_wcag_21_aa_violation_on_any_page,
 test_the_longest_student_page_is_a_fraction_of_its_old_height,
 test_every_chart_reads_on_this_screen) = site_visit.screen_tests(PHONE, least_pages=8)


def test_every_student_page_loads_and_draws_every_chart(visits, site):
    student = [p for p in site["report"]["pages"] if p["edition"] == "student"]
    assert len(visits["pages"]) == len(student) + 1 >= 8  # and the root index
    assert site_visit.load_problems(visits) == {}
    assert visits["blocked"] == []
