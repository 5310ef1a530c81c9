"""Topic logic for notebooks 00, 01, 02, 04 and 06."""

from __future__ import annotations

import pandas as pd
import pytest

from beyond_utopia import data, dates, formats, style
from beyond_utopia.errors import ParameterError
from beyond_utopia.topics import film, journey, law, start, timeline


def test_haversine_known_distances():
    assert journey.haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert journey.haversine_km(10, 20, 10, 20) == 0
    # Seoul to Bangkok, about 3,720 km
    assert journey.haversine_km(37.57, 126.98, 13.75, 100.50) == pytest.approx(3720, rel=0.01)


def test_units():
    assert journey.convert(1.609344, "miles") == pytest.approx(1)
    assert journey.to_km(1, "miles") == pytest.approx(1.609344)
    with pytest.raises(ParameterError, match="'km', 'miles'"):
        journey.check_unit("mi")


def test_legs_and_totals():
    legs = journey.legs()
    assert list(legs["leg"]) == journey.leg_numbers() == list(range(2, 9))
    assert journey.first_leg_into(legs, "Thailand") == 6
    assert journey.total_km(legs, 6) == pytest.approx(legs.loc[legs["leg"] <= 6, "km"].sum())
    assert journey.total_km(legs) > journey.total_km(legs, 6) > 3000


@pytest.mark.parametrize("bad", [[1], [9], 3, "3", [True], ["3"]])
def test_check_legs_rejects(bad):
    with pytest.raises(ParameterError, match="highlight_legs"):
        journey.check_legs("highlight_legs", bad)


def test_check_legs_accepts():
    assert journey.check_legs("h", None) == []
    assert journey.check_legs("h", [5, 3, 3]) == [3, 5]


def test_quoted_distances_in_km():
    q = journey.quoted_distances()
    miles = q[q["unit"] == "miles"].iloc[0]
    assert miles["km"] == pytest.approx(miles["value"] * 1.609344)


def test_fee_labels():
    row = {"low": None, "high": 2000, "currency": "USD"}
    assert journey.fee_label(row) == "less than $2,000"
    assert journey.fee_label({"low": 5, "high": None, "currency": "KRW"}) == "more than 5 KRW"
    assert journey.fee_label({"low": 1, "high": 2, "currency": "USD"}) == "$1 to $2"
    big = {"low": 20_000_000, "high": 30_000_000, "currency": "KRW"}
    assert journey.fee_label(big) == "20 million to 30 million KRW"
    assert journey.fee_label({"low": 3_500_000, "high": 3_500_000, "currency": "KRW"}) == \
        "3.5 million KRW"


def test_countries_crossed_leave_out_start_and_destination():
    points = journey.waypoints()
    crossed = journey.countries_crossed(points)
    assert crossed == ["China", "Vietnam", "Laos", "Thailand"]
    assert points["country"].iloc[0] not in crossed and points["country"].iloc[-1] not in crossed


def test_ground_km_leaves_out_flights():
    legs = journey.legs()
    flown = legs.loc[legs["mode"] == "flight", "km"].sum()
    assert journey.ground_km(legs) == pytest.approx(journey.total_km(legs) - flown)


def test_close_waypoints_get_their_numbers_on_opposite_sides():
    sides = journey._label_sides(journey.waypoints())
    assert sides[0] != sides[1]  # the first two waypoints are 1 degree apart
    assert len(set(sides[2:6])) > 1


def _texts(fig) -> str:
    return " ".join([a.text or "" for a in fig.layout.annotations]
                    + [str(t) for tr in fig.data for t in (tr.text or []) if t])


def test_route_map_labels_every_leg_with_its_mode_and_states_a_finding():
    points, legs = journey.waypoints(), journey.legs()
    chart = journey.route_map(points, legs, "km", [3])
    fig, texts = chart.figure, _texts(chart.figure)
    for leg in legs.itertuples():
        assert f"Leg {leg.leg}:" in texts
    assert "<b>Leg 3:" in texts  # the highlighted leg
    ground = journey.ground_km(legs)
    assert fig.layout.title.text.startswith(f"At least {int(ground // 100 * 100):,} km")
    assert "China, Vietnam, Laos and Thailand" in chart.description
    miles = journey.route_map(points, legs, "miles").figure.layout.title.text
    assert " miles over land" in miles


def test_distances_chart_has_direct_labels_and_no_dark_text_on_bars():
    quoted = journey.quoted_distances()
    chart = journey.distances_chart(quoted, {"to Thailand": 3000.0, "to Seoul": 8000.0})
    film = quoted[quoted["scope"] == "the film's journey"]
    assert f"{film['km'].max():,.0f} km" in chart.figure.layout.title.text
    for trace in chart.figure.data:
        assert trace.textposition == "outside"  # value labels sit beside the bars
    texts = _texts(chart.figure)
    assert "straight line to Thailand: 3,000 km" in texts and "to Seoul: 8,000 km" in texts


def test_fees_chart_draws_no_trend_and_labels_every_bound():
    fees = data.load("broker_fees")
    chart = journey.fees_chart(fees)
    fig = chart.figure
    assert all(len(tr.x) <= 2 for tr in fig.data)  # one report per trace: no line across
    assert len(fig.data) == len(fees)
    texts = _texts(fig)
    for r in fees.itertuples():
        lo, hi = formats.bounds(r.low, r.high)
        if hi is None:
            assert "more than" in texts
        if lo is None:
            assert "less than" in texts
    low, high = formats.value_range(fees[fees["currency"] == "USD"])
    assert f"${low:,}" in fig.layout.title.text and f"${high:,}" in fig.layout.title.text


def test_the_pastors_rescue_cost_is_his_own_figure_repeated_not_confirmed():
    fees = data.load("broker_fees")
    cost = journey.rescue_summary(fees)
    assert (cost["before"], cost["after"], cost["ratio"]) == (3000, 20000, 6.7)
    assert (cost["before_reports"], cost["after_reports"]) == (1, 2)
    text = journey.rescue_markdown(fees)
    assert "**\\$3,000**" in text and "6.7 times" in text and "repeat it" in text
    one = fees[~fees["source_id"].eq("churchleaders")]
    assert "repeat it" not in journey.rescue_markdown(one)


def test_journey_solution_values_fill_the_teacher_notes():
    from beyond_utopia import classroom

    values = journey.solution_values()
    for name in classroom._sections("02"):
        classroom.section("02", name, values)
    assert values["n_crossed"] == 4 and values["foot_legs"] == "2, 4 and 5"


def test_outlines_are_shipped_and_cover_the_route():
    geo = journey.outlines()
    lon0, lon1, lat0, lat1 = geo["bbox"]
    for p in journey.waypoints().itertuples():
        assert lon0 <= p.longitude <= lon1 and lat0 <= p.latitude <= lat1
    assert {"China", "North Korea", "Laos", "Thailand", "Vietnam"} <= set(geo["countries"])


def test_film_conflicts_and_dates():
    facts = data.load("film_facts")
    c = film.conflicts(facts)
    assert {"runtime", "the family's name", "premiere date"} <= set(c["topic"])
    assert "director" not in set(c["topic"]) and "distributor" not in set(c["topic"])
    ms = data.load("film_milestones")
    assert film.days_between(ms, "World premiere", "Audience Award") == 6
    assert film.months_between(ms, "World premiere", "Shortlisted") == 11
    assert film.milestones_title(ms) == ("From its Sundance premiere to the Oscar shortlist "
                                         "took 11 months")
    with pytest.raises(KeyError, match="no milestone"):
        film.date_of(ms, "Palme d'Or")
    with pytest.raises(ParameterError, match="milestone_kinds"):
        film.check_kinds("milestone_kinds", ["gala"])


def test_film_story_quotes_are_short_attributed_and_sourced():
    story = data.load("film_story")
    sources = set(data.load("sources")["source_id"])
    assert set(story["source_id"]) <= sources
    quoted = story[story["quote"].notna()]
    assert len(quoted) >= 20
    for r in quoted.itertuples():
        assert film.sentences(r.quote) <= 2, r.quote
        assert isinstance(r.speaker, str) and r.speaker, r.quote
    assert story[story["quote"].isna()]["speaker"].isna().all()
    # every strand of the story is told, and only the story and the after part have strands
    assert set(story[story["part"] == "story"]["thread"]) == set(film.THREADS)
    assert set(story[story["part"] == "after"]["thread"]) == {"people", "reception"}
    assert story[~story["part"].isin(["story", "after"])]["thread"].isna().all()


def test_film_sentences_and_speakers():
    assert film.sentences("Saving people is my No. 1 priority. But it is hard") == 2
    assert film.sentences("One. Two! Three?") == 3
    assert film.sentences("no full stop at all") == 1
    story = data.load("film_story")
    who = film.speakers(story)
    assert who.index[0] == "Madeleine Gavin" and who.sum() == story["quote"].notna().sum()


def test_film_story_markdown_escapes_markup():
    rows = data.load("film_story").head(1).copy()
    rows.loc[rows.index[0], "text"] = "<script>alert(1)</script> & more"
    rows.loc[rows.index[0], "quote"] = "<b>loud</b>"
    rows.loc[rows.index[0], "speaker"] = "<i>someone</i>"
    text = film.story_markdown(rows, data.load("sources"))
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;loud" in text
    assert "&lt;i&gt;someone" in text and "*Source: " in text


def test_film_charts_state_their_finding_on_a_phone():
    from beyond_utopia.style import SUBTITLE_LINE, TITLE_LINE, TITLE_MAX

    sources = data.load("sources")
    ms = data.load("film_milestones")
    for chart in (film.milestones_chart(ms, sources),):
        layout = chart.figure.layout
        title = layout.title.text.replace("<br>", " ")
        assert len(title) <= TITLE_MAX, title
        assert all(len(line) <= TITLE_LINE for line in layout.title.text.split("<br>"))
        assert all(len(line) <= SUBTITLE_LINE
                   for line in layout.title.subtitle.text.split("<br>"))
        assert layout.showlegend is False and len(layout.annotations) >= 1
        assert len(chart.description) > 80 and chart.table is not None
    labels = [a.text for a in film.milestones_chart(ms).figure.layout.annotations]
    assert {"Premiere", "Oscar shortlist", "No Oscar nomination"} <= set(labels)
    awards = ms[ms["kind"] == "award"]
    assert "awards" in film.milestones_chart(awards).figure.layout.title.text


def test_film_teacher_notes_fill_and_give_nothing_away():
    """Every section of the teacher notes fills from the data, and no exercise's answer
    (a long text or a number of 100 or more) is printed above its question."""
    import re

    import nbformat

    from beyond_utopia import classroom
    from beyond_utopia.paths import NOTEBOOK_DIR

    values = film.solution_values()
    sections = classroom._sections("01")
    assert {f"Section {k}" for k in range(1, 6)} | {"Notes"} <= set(sections)
    for name in sections:
        classroom.section("01", name, values)
    nb = nbformat.read(NOTEBOOK_DIR / "01-the-film.ipynb", as_version=4)
    seen = ""
    for cell in nb.cells:
        m = re.search(r"### Exercise (\d+)", cell.source) if cell.cell_type == "markdown" else None
        if m:
            body = sections[f"Exercise {m.group(1)}"]
            for key in re.findall(r"{(\w+)}", body):
                value = str(values[key])
                if len(value) >= 20 or (value.isdigit() and int(value) >= 100):
                    assert value not in seen, (m.group(0), key)
        seen += cell.source + "".join(
            str(v) for out in cell.get("outputs", []) for v in out.get("data", {}).values())


def test_policy_helpers():
    assert formats.bound_label(500, None) == "more than 500"
    assert formats.bound_label(None, 600) == "up to 600"
    assert formats.bound_label(50, 60) == "50 to 60"
    assert formats.bound_label(600, 600) == "600"
    returns = data.load("returns")
    numbers = [*returns["low"].dropna(), *returns["high"].dropna()]
    assert formats.value_range(returns) == (min(numbers), max(numbers)) == (28, 600)
    votes = data.load("un_votes")
    assert law.first_without_vote(votes) == 2012
    assert law.first_non_refoulement(votes) == 2008
    share = law.share_in_favour(votes)
    assert share.loc[2005] == pytest.approx(88 / (88 + 21) * 100)


def test_reports_by_number_groups_the_same_return():
    returns = data.load("returns")
    groups = dict(timeline.reports_by_number(returns, "2023-10-09"))
    assert "more than 500" in groups and "600" in groups
    assert sum(len(v) for v in groups.values()) == (returns["date"] == "2023-10-09").sum()


def test_timeline_selection_and_eras():
    tl = timeline.table()
    assert tl["start"].is_monotonic_increasing
    sel = timeline.select(tl, 2023, 2023, ["China"], ["repatriation"])
    assert len(sel) and set(sel["year"]) == {2023} and set(sel["actor"]) == {"China"}
    eras = timeline.eras()
    closed = eras[eras["name"] == "Border closed"].iloc[0]
    assert (closed["start_date"], closed["end_date"]) == ("2020-01-01", "2023-08-31")
    assert dates.fractional_year("2023") == 2023.5
    with pytest.raises(ParameterError, match="no event"):
        timeline.require_events(sel.iloc[0:0], (2023, 2023), ["China"], ["film"])


# notebooks 00, 04 and 06: periods, turning points, titles that state the finding
# ----------------------------------------------------------------------------------

def _title(chart) -> str:
    import html

    return html.unescape(chart.figure.layout.title.text.replace("<br>", " "))


def test_period_defaults_follow_the_data(data_copy):
    tl = timeline.table()
    first, last = timeline.year_span(tl)
    assert timeline.check_period(tl, None, None) == (first, last)
    assert timeline.check_period(tl, 2000, None) == (2000, last)
    source = data_copy.rows("sources.csv")[0]["source_id"]
    data_copy.append("timeline.csv", {"date": f"{last + 1}-01-10", "title": "A later event",
                                      "actor": "Other", "category": "report",
                                      "description": "Added for a test.", "source_id": source})
    assert timeline.check_period(timeline.table(), None, None) == (first, last + 1)
    votes = law.votes()
    assert law.check_period(votes, None, None) == (int(votes["year"].min()),
                                                   int(votes["year"].max()))
    with pytest.raises(ParameterError, match="start_year"):
        law.check_period(votes, 1990, None)


def test_every_turning_point_is_in_the_timeline():
    keys = timeline.key_events(timeline.table())
    assert len(keys) == len(timeline.KEY_EVENTS)
    closed, reopened = timeline.border_dates(timeline.table())
    assert closed < reopened


def test_between_counts_a_month_only_when_it_lies_wholly_inside():
    frame = pd.DataFrame({"date": ["2021-07", "2023-08", "2023-08-29", "2020"]})
    inside = timeline.between(frame, "2020-01", "2023-08-27")
    assert list(inside["date"]) == ["2021-07", "2020"]
    assert list(timeline.between(frame, "2023-08-27")["date"]) == ["2023-08-29"]


def test_the_timeline_chart_states_its_finding_and_labels_its_turning_points():
    tl, returns = timeline.table(), data.load("returns")
    chart = timeline.timeline_chart(tl, timeline.eras(), returns=returns)
    first_china = tl[tl["actor"] == "China"]["year"].min()
    assert f"dates to {first_china}" in _title(chart)
    texts = [a.text for a in chart.figure.layout.annotations]
    assert sum("<b>" in t for t in texts) == len(timeline.KEY_EVENTS)
    assert any("Shaded" in t for t in texts)
    # a period after the first record does not claim to know when the policy began
    recent = timeline.select(tl, 2020, None)
    chart = timeline.timeline_chart(recent, timeline.eras(), period=(2020, 2025),
                                    returns=returns)
    assert "dates to" not in _title(chart) and "2020–2025" in _title(chart)


def test_reports_and_estimates_charts_state_their_finding():
    returns = data.load("returns")
    date, top = timeline.most_reported(returns)
    chart = timeline.returns_chart(returns)
    assert f"{len(top)} reports" in _title(chart)
    assert formats.span_label(top) in _title(chart)
    # every report is labelled on the chart with who gave the number
    labels = chart.figure.data[-1].text
    assert len(labels) == len(returns) and all(":" in t for t in labels)
    est = timeline.estimates_chart(data.load("china_estimates"))
    assert "-fold" in _title(est) and est.figure.layout.yaxis.type == "log"
    assert "log scale" in est.figure.layout.yaxis.title.text


def test_the_returns_chart_takes_returns_dated_to_the_year(data_copy):
    source = data_copy.rows("sources.csv")[0]["source_id"]
    for date, low, high in (("2024", "212", "212"), ("2024", "270", ""), ("2025-09", "28", "")):
        data_copy.append("returns.csv", {"date": date, "low": low, "high": high,
                                         "reported_by": "Human Rights Watch",
                                         "description": "Added for a test.",
                                         "source_id": source})
    returns = data.load("returns")
    chart = timeline.returns_chart(returns)
    n2024 = int((returns["date"] == "2024").sum())
    heads = chart.figure.data[0].text
    assert "<b>2024</b>" in heads and heads.index("<b>2024</b>") < heads.index("<b>Sep 2025</b>")
    assert n2024 >= 2 and f"2024: {n2024} reports, " in chart.description
    timeline.timeline_chart(timeline.table(), timeline.eras(), returns=data.load("returns"))


def test_votes_title_states_the_finding():
    def frame(rows):
        return pd.DataFrame(rows, columns=["year", "method", "yes", "no"])

    quiet = frame([(2010, "recorded vote", 100, 20), (2011, "without a vote", None, None),
                   (2012, "unverified", None, None), (2013, "without a vote", None, None)])
    assert law.votes_title(quiet) == ("Adopted every year 2010–2013; without a vote in every "
                                      "verified year since 2011")
    counted = frame([(2005, "recorded vote", 84, 22), (2007, "recorded vote", 90, 20)])
    assert law.votes_title(counted) == ("Passed in all 2 recorded votes, 2005–2007; in favour "
                                        "rose from 84 to 90")


@pytest.mark.parametrize("body", law.BODIES)
@pytest.mark.parametrize("period", [(2005, 2025), (2005, 2011), (2012, 2025), (2014, 2014)])
def test_votes_chart_titles_fit_a_phone_and_shade_the_years_without_a_vote(body, period):
    votes = law.votes()
    rows = votes[votes["year"].between(*period)]
    if not len(rows[rows["body"] == body]):
        return
    chart = law.votes_chart(rows, body=body)
    assert len(_title(chart)) <= style.TITLE_MAX
    quiet = rows[(rows["body"] == body) & (rows["method"] == "without a vote")]
    bands = [s for s in chart.figure.layout.shapes if s.type == "rect"]
    assert len(bands) >= len(law.runs(list(quiet["year"])))
    assert all(t.type == "bar" for t in chart.figure.data)  # no marks at a made-up height


def test_runs_and_committee_gain():
    assert law.runs([2016, 2012, 2013, 2017]) == [(2012, 2013), (2016, 2017)]
    gain = law.committee_gain(law.votes())
    assert gain.loc[2005] == 88 - 84
    assert len(law.sur_place(data.load("law"))) >= 0


@pytest.mark.parametrize("period", [None, (1957, 1990), (2020, 2025), (2023, 2023)])
def test_timeline_titles_fit_a_phone(period):
    tl = timeline.table()
    events = tl if period is None else timeline.select(tl, *period)
    chart = timeline.timeline_chart(events, timeline.eras(), period=period,
                                    returns=data.load("returns"))
    assert len(_title(chart)) <= style.TITLE_MAX


@pytest.mark.parametrize("period", [None, (1957, 1990)])
def test_a_wide_timeline_labels_in_longer_lines_and_is_shorter(period):
    tl = timeline.table()
    events = tl if period is None else timeline.select(tl, *period)
    fig = timeline.timeline_chart(events, timeline.eras(), period=period).figure
    wide = fig.layout.meta["wide"]["layout"]
    narrow = [a.text for a in fig.layout.annotations]
    labels = [a["text"] for a in wide["annotations"]]
    assert len(labels) == len(narrow) and len(wide["shapes"]) == len(fig.layout.shapes)
    assert sum(t.count("<br>") for t in labels) < sum(t.count("<br>") for t in narrow)
    assert [t.replace("<br>", " ") for t in labels] == [t.replace("<br>", " ") for t in narrow]
    assert wide["height"] < fig.layout.height
    assert ("yaxis2" in wide) == (period is None) and wide["yaxis"]["range"]


def test_partial_dates_end_the_day_before_the_day_after():
    assert dates.day_after("2023-08") == dates.parse_partial_date("2023-09")[0]
    assert dates.day_after("2024-02-29").isoformat() == "2024-03-01"
    assert dates.day_after("2023-12").isoformat() == "2024-01-01"
    assert dates.day_after("1998").isoformat() == "1999-01-01"
    assert dates.iso_date(dates.fractional_year("2023-10-09")) == "2023-10-09"


def test_labels_spread_without_overlap():
    pos = style.spread([1.0, 1.1, 1.2, 9.9], [1.0, 1.0, 1.0, 1.0], 0, 10)
    assert all(b - a >= 1.0 - 1e-9 for a, b in zip(pos, pos[1:], strict=False))
    assert pos[0] >= 0.5 and pos[-1] <= 9.5
    assert style.wrap("<b>a very long title indeed</b>", 12).count("<br>") >= 2
    assert "<b>" not in style.wrap("<b>x</b>", 40)


def test_dates_and_spans_for_readers():
    assert formats.date_label("1986") == "1986"
    assert formats.date_label("2020-01") == "Jan 2020"
    assert formats.date_label("2023-10-09", long=True) == "9 October 2023"
    frame = pd.DataFrame({"low": [500, 600, None], "high": [None, None, 600]})
    assert formats.span_label(frame) == "500 to more than 600"
    assert start.runs_to() == formats.date_label(data.runs_to(), long=True)
    assert start.starting_articles() == list(dict.fromkeys(data.load("claims")["article_id"]))


def test_a_wide_screen_gets_the_title_in_fewer_lines_above_the_same_plot():
    fig = style.base_figure("", height=500, margin=dict(b=40))
    title = "Arrivals fell from 1,047 in 2019 to 63 in 2021, and rose again after 2023"
    subtitle = ("People per year, by the year they reached South Korea; source: the Ministry "
                "of Unification's yearly count, as published")
    style.fit_title(fig, title, subtitle)
    wide = fig.layout.meta["wide"]["layout"]
    assert fig.layout.title.text.count("<br>") == 1 and "<br>" not in wide["title"]["text"]
    assert wide["title"]["subtitle"]["text"].count("<br>") < \
        fig.layout.title.subtitle.text.count("<br>")
    narrow_plot = fig.layout.height - fig.layout.margin.t
    assert wide["height"] - wide["margin"]["t"] == narrow_plot
    assert wide["margin"]["t"] < fig.layout.margin.t
    # the first line of each title starts 12 px from the top of its own figure
    assert (1 - fig.layout.title.y) * fig.layout.height == pytest.approx(12 + 22)
    assert (1 - wide["title"]["y"]) * wide["height"] == pytest.approx(12)
