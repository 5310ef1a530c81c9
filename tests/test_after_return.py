"""Notebook 05's topic: the path after a return, and women's share beside the estimates from
China (South Korea's reception is notebook 08's: tests/test_reception.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from beyond_utopia import classroom, data, style
from beyond_utopia.errors import ParameterError
from beyond_utopia.topics import after_return, arrivals


@pytest.fixture(scope="module")
def frame():
    return arrivals.table()


def test_anonymous_reports_can_be_left_out():
    every = after_return.process()
    named = after_return.process(include_anonymous=False)
    assert (named["anonymous"] == "no").all()
    assert len(named) == (every["anonymous"] == "no").sum() < len(every)
    assert list(every["order"]) == sorted(every["order"])


def test_the_steps_come_in_order_with_their_places_and_sources():
    steps = after_return.stages(after_return.process())
    assert list(steps["stage"]) == list(after_return.STAGES)
    punished = steps.set_index("stage").loc["punished"]
    assert "political prison camp (kwanliso)" in punished["places"]
    assert punished["sources"] >= 3 and punished["anonymous"] >= 1
    plain = after_return.stages(after_return.process(False))
    assert (plain["anonymous"] == 0).all()


def test_the_period_defaults_to_the_years_the_ministry_counts_by_sex(frame):
    years = arrivals.yearly(frame).index
    assert after_return.check_period(frame, None, None) == (years.min(), years.max())
    assert after_return.check_period(frame, 2010, None) == (2010, years.max())


@pytest.mark.parametrize("start,end,name,words", [
    (1990, None, "start_year", "the data cover"),
    (None, 2099, "end_year", "the data cover"),
    ("2010", None, "start_year", "whole year"),
    (2020, 2010, "start_year", "must not be after"),
    (True, None, "start_year", "whole year"),
])
def test_a_bad_period_names_the_parameter(frame, start, end, name, words):
    with pytest.raises(ParameterError, match=rf"parameter '{name}'.*{words}"):
        after_return.check_period(frame, start, end)


def test_womens_share_adds_up_from_the_yearly_rows(frame):
    share = after_return.women_share(frame, 2002, 2011)
    rows = arrivals.yearly(frame, 2002, 2011)
    assert share["total"] == rows["total"].sum() and share["women"] == rows["female"].sum()
    yearly = arrivals.women_share(frame).loc[2002:2011]
    assert share["low"] == pytest.approx(yearly.min())
    assert share["high_year"] == yearly.idxmax()
    assert min(yearly) <= share["share"] <= max(yearly)
    assert after_return.women_share(frame, 2021, 2021)["men_years"] == [2021]


def test_worded_keeps_the_sources_wording():
    assert after_return.worded(50, "close to") == "close to 50%"
    assert after_return.worded(15, None) == "15%"
    assert after_return.worded(30, "up to nearly", "") == "up to nearly 30"


@pytest.fixture(scope="module")
def charts(frame):
    sources = data.load("sources")
    return {
        "path": after_return.path_chart(after_return.process(), sources),
        "shares": after_return.shares_chart(frame, data.load("women_estimates"), 2002, 2025,
                                            sources),
    }


def test_every_chart_states_its_finding_briefly_with_a_caption_and_a_table(charts):
    for chart in charts.values():
        title = chart.figure.layout.title.text.replace("<br>", " ")
        assert len(title) <= style.TITLE_MAX, title
        assert chart.figure.layout.title.subtitle.text
        assert chart.caption.startswith("Figure:") and len(chart.description) > 80
        assert chart.table is not None and len(chart.table)
    def title(name):
        return charts[name].figure.layout.title.text.replace("<br>", " ")

    assert "6 steps" in title("path") and "Women were 75%" in title("shares")


def test_the_path_draws_one_box_per_step_dashed_where_anonymous(charts):
    fig = charts["path"].figure
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(boxes) == len(after_return.STAGES)
    assert sum(b.line.dash == "dash" for b in boxes) == 3
    plain = after_return.path_chart(after_return.process(False))
    assert all(s.line.dash == "solid" for s in plain.figure.layout.shapes)


def test_every_share_is_labelled_with_its_group(charts):
    fig = charts["shares"].figure
    notes = " ".join(a.text for a in fig.layout.annotations)
    estimates = data.load("women_estimates")
    for of in estimates.loc[estimates["unit"] == "percent", "share_of"]:
        assert of.split()[0] in notes
    assert {t.name for t in fig.data} >= {"count", "estimate (NGO)", "one anonymous source"}


def test_markup_in_a_table_is_shown_as_text():
    rows = after_return.process().copy()
    rows.loc[0, "key_point"] = "<script>alert(1)</script>"
    fig = after_return.path_chart(rows).figure
    text = " ".join(a.text for a in fig.layout.annotations)
    assert "<script>" not in text and "&lt;script&gt;" in text
    est = data.load("women_estimates")
    est.loc[0, "measure"] = "<b>bold</b>"
    fig = after_return.shares_chart(arrivals.table(), est, 2002, 2025).figure
    assert "&lt;b&gt;bold" in " ".join(a.text for a in fig.layout.annotations)


def test_the_teacher_notes_fill_every_placeholder():
    values = classroom.solution_values("05")
    assert values["n_steps"] == len(after_return.STAGES)
    for name in ["Section 1", "Section 2", "Section 3", "Notes",
                 *(f"Exercise {i}" for i in range(1, 7))]:
        text = classroom.section("05", name, values)
        assert "{" not in text.replace("{'", ""), name
    assert float(values["share_all"]) == pytest.approx(
        after_return.women_share(arrivals.table(), values["first"], values["last"])["share"],
        abs=0.05)


def test_the_tables_keep_unverified_figures_marked():
    son = data.load("son_accounts")
    assert not son["statement"].str.contains(r"\b(?:19|20)\d\d\b.*caught", regex=True).any()
    steps = data.load("return_process")
    daily = steps[steps["source_id"].str.startswith("dailynk")]
    assert (daily["anonymous"] == "yes").all()


def test_the_frames_are_copies():
    rows = after_return.process()
    rows.loc[0, "stage"] = "changed"
    assert after_return.process().loc[0, "stage"] != "changed"
    assert isinstance(after_return.stages(after_return.process()), pd.DataFrame)
