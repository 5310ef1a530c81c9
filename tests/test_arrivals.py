"""The analysis behind notebook 03, on the real table and on edge cases."""

from __future__ import annotations

import pytest

from beyond_utopia import data, formats
from beyond_utopia.errors import ParameterError
from beyond_utopia.topics import arrivals

from .conftest import DataCopy


@pytest.fixture
def frame():
    return arrivals.table()


def test_grouped_rows_are_periods(frame):
    first = frame.iloc[0]
    assert first["year"] == "..1998" and first["grouped"]
    assert formats.missing(first["first_year"]) and first["last_year"] == 1998
    second = frame.iloc[1]
    assert (second["first_year"], second["last_year"], second["grouped"]) == (1999, 2001, True)
    assert not frame.iloc[2]["grouped"]


def test_yearly_uses_single_years_only(frame):
    yearly = arrivals.yearly(frame)
    assert yearly.index.min() == 2002 and yearly.index.is_monotonic_increasing
    assert list(arrivals.yearly(frame, 2024, 2025).index) == [2024, 2025]
    assert arrivals.yearly(frame, 1999, 2001).empty


def test_early_reports_add_up_to_the_grouped_row(frame):
    early = arrivals.early_reports()
    assert list(early.index) == [1998, 1999, 2000, 2001]
    grouped = int(frame.loc[frame["year"] == "1999-2001", "total"].iloc[0])
    assert early.loc[1999:2001, "total"].sum() == grouped


def test_series_marks_reported_years(frame):
    s = arrivals.series(frame, 2000, 2003)
    assert list(s.index) == [2000, 2001, 2002, 2003]
    assert list(s["kind"]) == ["reported", "reported", "final", "final"]


def test_period_parameters(frame):
    assert arrivals.year_span(frame) == (1998, 2025)
    assert arrivals.check_period(frame, 1998, 2025) == (1998, 2025)
    with pytest.raises(ParameterError, match="start_year"):
        arrivals.check_period(frame, 1997, 2025)
    with pytest.raises(ParameterError, match="breakdown.*'share'"):
        arrivals.check_breakdown("women")


def test_peak_and_lowest(frame):
    assert arrivals.peak(frame) == (2009, 2914)
    assert arrivals.lowest(frame) == (2021, 63)
    assert arrivals.lowest(frame, start=2023) == (2023, 196)


def test_change_starts_at_the_first_single_year(frame):
    ch = arrivals.change(frame)
    assert ch["change"].isna().iloc[0]  # 2002 follows a grouped row
    assert ch.loc[2012, "change"] == 1502 - 2706
    assert ch.loc[2020, "percent"] == pytest.approx((229 - 1047) / 1047 * 100)


def test_women_and_men(frame):
    assert arrivals.first_year_women_outnumber_men(frame) == "2002"
    assert arrivals.years_men_outnumber_women(frame) == [2021, 2022]
    assert arrivals.women_share(frame).loc[2024] == pytest.approx(210 / 236 * 100)


def test_total_between_counts_grouped_rows_whole(frame):
    assert arrivals.total_between(frame) == int(frame["total"].sum())
    assert arrivals.total_between(frame, 1999, 2001) == 1043
    assert arrivals.total_between(frame, None, 1998) == 947
    assert arrivals.total_between(frame, 2025, 2025) == 223
    assert arrivals.total_between(frame, 2030, None) == 0


@pytest.mark.parametrize("first,last", [(1998, 2011), (2000, 2010), (None, 2000)])
def test_total_between_refuses_to_split_a_grouped_row(frame, first, last):
    with pytest.raises(ValueError, match="cannot be split"):
        arrivals.total_between(frame, first, last)


def test_running_total_matches_the_ministrys_latest_cumulative(frame):
    cmp = arrivals.compare_cumulative(frame, data.load("cumulative"))
    latest = cmp[cmp["status"] != "provisional"].iloc[-1]
    assert latest["difference"] == 0 and latest["computed"] == int(frame["total"].sum())
    assert (cmp.loc[cmp["as_of"] >= "2022", "difference"].abs() <= 1).all()


def test_an_edited_table_changes_the_results(data_copy: DataCopy):
    rows = data_copy.rows("arrivals.csv")
    rows[-1].update(male="1000", female="2000", total="3000")
    data_copy.write_rows("arrivals.csv", rows)
    frame = arrivals.table()
    assert arrivals.peak(frame) == (2025, 3000)
