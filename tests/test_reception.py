"""Notebook 08's topic: how South Korea receives those who reach it (the law and its steps,
Hanawon, settlement money, the large group arrivals)."""

from __future__ import annotations

import json

import pytest

from beyond_utopia import classroom, data, style
from beyond_utopia.errors import ParameterError
from beyond_utopia.paths import NOTEBOOK_DIR
from beyond_utopia.topics import reception


@pytest.fixture(scope="module")
def settlement():
    return data.load("settlement_support")


def test_settlement_money_joins_adjacent_years_and_hides_a_proposal_on_request(settlement):
    seg = reception.money(settlement)
    six = seg[seg["value"] == 6_000_000].iloc[0]
    assert (six["first_year"], six["last_year"]) == (2007, 2012)
    assert "proposed" in set(seg["status"])
    assert "proposed" not in set(reception.money(settlement, False)["status"])
    assert reception.years_label(None, 2004) == "until 2004"
    assert reception.years_label(2019, 2022) == "2019–2022"


def test_the_years_without_a_figure_are_found_and_joined_into_spans(settlement):
    gaps = reception.gap_years(reception.money(settlement))
    assert 2014 in gaps and 2013 not in gaps and 2019 not in gaps
    assert reception.gap_spans([1999, 2000, 2001, 2005, 2014]) == [
        (1999, 2001), (2005, 2005), (2014, 2014)]
    assert reception.gap_spans([]) == []


def test_hanawon_lengths_show_every_source(settlement):
    rows = reception.hanawon_lengths(settlement)
    assert len(rows) >= 4 and rows["source_id"].nunique() >= 4
    assert {"weeks", "hours"} <= set(rows["unit"])


def test_events_pick_the_rows_named_or_of_a_category():
    timeline = data.load("timeline")
    rows = reception.events(timeline, ("Hanawon",), "South Korea", "law")
    assert (rows["actor"] == "South Korea").all()
    assert rows["title"].str.contains("Hanawon").any() and (rows["category"] == "law").any()
    assert list(rows["date"]) == sorted(rows["date"])
    groups = reception.events(timeline, reception.GROUP_WORDS)
    assert {"South Korea", "North Korea", "United Nations"} <= set(groups["actor"])


def test_a_measure_must_have_exactly_one_row(settlement):
    assert reception.value_of(settlement, "Hanawon places at one time")["value"] > 0
    with pytest.raises(KeyError, match="0 rows"):
        reception.value_of(settlement, "no such measure")


def test_the_largest_group_keeps_every_reported_number():
    big = reception.largest_group(data.load("group_arrivals"))
    assert big["year"] == "2004" and big["reports"] == 3
    assert big["numbers"] == ["468", "nearly 460"]
    text = reception.groups_markdown(data.load("group_arrivals"))
    assert "468 and nearly 460" in text


def test_the_prose_is_written_from_the_tables(settlement):
    law = reception.events(data.load("timeline"), ("Hanawon", "settlement money"),
                           "South Korea", "law")
    text = reception.protection_markdown(settlement, law)
    assert "**1997**" in text and "8 July 1999" in text
    money = reception.money_markdown(settlement)
    assert "In 2024, the basic settlement money for one person was 10 million won" in money
    assert "budget proposal set 15 million won for 2025" in money
    assert "budget proposal" not in reception.money_markdown(settlement, False)
    changed = settlement.copy()
    changed.loc[changed["measure"] == "Hanawon places at one time", "value"] = 999
    assert "999 places" in reception.protection_markdown(changed, law)


def test_show_proposed_must_be_true_or_false():
    assert reception.check_show_proposed(False) is False
    with pytest.raises(ParameterError, match="show_proposed.*True, False"):
        reception.check_show_proposed("False")


def test_the_money_chart_states_its_finding_and_shades_the_years_without_a_figure(settlement):
    chart = reception.money_chart(settlement, True, data.load("sources"))
    fig = chart.figure
    title = fig.layout.title.text.replace("<br>", " ")
    assert len(title) <= style.TITLE_MAX and "from 6 million won" in title
    assert chart.caption.startswith("Figure:") and len(chart.description) > 80
    assert len(fig.layout.shapes) >= 3
    assert "no figure found" in {t.name for t in fig.data}
    assert "15 (proposed)" in " ".join(a.text for a in fig.layout.annotations)
    hidden = reception.money_chart(settlement, False).figure
    assert "(proposed)" not in " ".join(a.text for a in hidden.layout.annotations)


def test_the_unverified_proposal_stays_marked(settlement):
    assert set(settlement.loc[settlement["source_id"] == "sbs-2024-budget", "status"]) == \
        {"proposed"}


def test_the_teacher_notes_fill_every_placeholder():
    values = classroom.solution_values("08")
    for name in ["Section 1", "Section 2", "Section 3", "Notes",
                 *(f"Exercise {i}" for i in range(1, 6))]:
        text = classroom.section("08", name, values)
        assert "{" not in text, name
    assert values["n_gap_years"] == len(reception.gap_years(reception.money(
        data.load("settlement_support"))))


def test_the_gap_exercise_asks_about_years_the_chart_has_no_figure_for():
    """Exercise 2 quotes a classmate on the years from the last figure before the last gap
    to the gap's end: those years must still be what the data says."""
    values = classroom.solution_values("08")
    (path,) = NOTEBOOK_DIR.glob("08-*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    question = next("".join(c["source"]) for c in cells
                    if "".join(c["source"]).startswith("**Exercise 2"))
    end = values["gap_span"].split("–")[-1]
    assert f"from {values['gap_before_years']} to {end}" in question
