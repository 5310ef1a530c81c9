"""Topic logic for notebooks 01, 02, 04 and 05."""

from __future__ import annotations

import pytest

from beyond_utopia import data, formats
from beyond_utopia.errors import ParameterError
from beyond_utopia.topics import film, journey, law, timeline


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
    assert "runtime" in set(c["topic"]) and "director" not in set(c["topic"])
    ms = data.load("film_milestones")
    assert film.days_between(ms, "World premiere", "Audience Award") == 6
    assert film.dates_of(ms, "Independent Lens") == ["2024-01-08", "2024-01-09"]
    with pytest.raises(ParameterError, match="milestone_kinds"):
        film.check_kinds("milestone_kinds", ["gala"])


def test_policy_helpers():
    assert formats.bound_label(500, None) == "more than 500"
    assert formats.bound_label(None, 600) == "up to 600"
    assert formats.bound_label(50, 60) == "50 to 60"
    assert formats.bound_label(600, 600) == "600"
    assert formats.value_range(data.load("returns")) == (40, 600)
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
    assert timeline.fractional_year("2023") == 2023.5
    with pytest.raises(ParameterError, match="no event"):
        timeline.require_events(sel.iloc[0:0], (2023, 2023), ["China"], ["film"])
