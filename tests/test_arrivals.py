"""The analysis behind notebook 03, on the real table and on edge cases."""

from __future__ import annotations

import pandas as pd
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
    assert arrivals.check_period(frame, None, None) == (1998, 2025)
    assert arrivals.check_period(frame, 2010, None) == (2010, 2025)
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
    assert not hasattr(arrivals, "first_year_women_outnumber_men")  # a name gave an answer away
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
    assert latest["matches"]
    assert (cmp.loc[cmp["as_of"] >= "2022", "difference"].abs() <= 1).all()


def test_the_cumulative_check_compares_men_and_women_too(frame):
    """End of 2017: the totals agree, but men and women each differ by one (issue 12)."""
    cmp = arrivals.compare_cumulative(frame, data.load("cumulative")).set_index("as_of")
    row = cmp.loc["2017-12-31"]
    assert row["difference"] == 0 and not row["matches"]
    assert (row["men_difference"], row["women_difference"]) == (1, -1)
    assert pd.isna(cmp.loc["2018-12-31", "men_difference"])  # no split published
    chart = arrivals.cumulative_chart(cmp.reset_index())
    title = chart.figure.layout.title.text
    assert title.startswith(f"{int(cmp['matches'].sum())} of {len(cmp)} published totals")
    assert "2017 announced: men +1, women -1, all +0" in chart.description
    assert "agree exactly" not in chart.description


def test_reported_figures_are_drawn_as_differences_from_the_final(frame):
    rows = arrivals.reported_differences(data.load("arrivals_reported"), frame)
    assert "final" not in set(rows["status"])
    final = arrivals.yearly(frame)["total"]
    assert (rows["difference"] == rows["total"] - [final[y] for y in rows["year"]]).all()
    chart = arrivals.reported_chart(data.load("arrivals_reported"), frame, 1998, 2025)
    worst = rows.loc[rows["difference"].abs().idxmax()]
    title = chart.figure.layout.title.text.replace("<br>", " ")
    assert f"at most {abs(worst['difference'])} people" in title
    ys = [y for trace in chart.figure.data for y in trace.y]
    assert max(abs(y) for y in ys) == abs(worst["difference"])  # a scale of people, not 3,000


def test_arrivals_titles_state_the_finding(frame):
    def title(start, end, breakdown="total"):
        rows = arrivals.series(frame, start, end)
        rows = rows if breakdown == "total" else rows[rows["kind"] == "final"]
        return arrivals.headline(rows, breakdown, start, end)

    assert title(1998, 2025) == "Arrivals fell from 1,047 in 2019 to 63 in 2021"
    assert title(2010, 2020) == "Arrivals fell from 1,047 in 2019 to 229 in 2020"
    assert title(2002, 2004) == "Arrivals rose from 1,142 in 2002 to 1,898 in 2004"
    assert title(2019, 2019) == "1,047 people arrived in 2019"
    assert title(2002, 2025, "share") == (
        "Women were more than half of arrivals in every year but 2021 and 2022")
    assert title(2010, 2020, "sex") == "More women than men arrived in every year from 2010 to 2020"
    assert title(2021, 2021, "sex") == "Men were at least as many as women in 2021"


def test_turning_points_come_from_the_timeline_and_the_eras():
    from beyond_utopia.topics import timeline

    tp = arrivals.turning_points().set_index("label")
    events = timeline.table()
    assert events["description"].str.contains("taking power in December 2011").any()
    assert 2011.4 < tp.loc["Kim Jong Un takes power", "start"] < 2011.5  # the end of 2011
    closed = tp.loc["Border closed"]
    assert 2019.5 < closed["start"] < 2019.6 and 2023.1 < closed["end"] < 2023.2


def test_the_arrivals_chart_labels_its_turning_points(frame):
    chart = arrivals.arrivals_chart(frame, 1998, 2025, "total", arrivals.turning_points())
    texts = [a.text for a in chart.figure.layout.annotations]
    assert "Kim Jong Un takes power" in texts and "Border<br>closed" in texts
    assert {"1,047", "63", "2,914", "223"} <= set(texts)  # the bars the title and text name
    plain = arrivals.arrivals_chart(frame, 1998, 2025, "total", None)
    assert "Kim Jong Un takes power" not in [a.text for a in plain.figure.layout.annotations]
    share = arrivals.arrivals_chart(frame, 2002, 2025, "share", arrivals.turning_points())
    share_texts = [a.text for a in share.figure.layout.annotations]
    assert "Border<br>closed" in share_texts and "Kim Jong Un takes power" not in share_texts


def test_solution_values_fill_the_teacher_notes():
    from beyond_utopia import classroom

    values = arrivals.solution_values()
    for name in classroom._sections("03"):
        classroom.section("03", name, values)
    assert (values["drop_year"], values["pct_year"]) == (2012, 2020)
    assert values["avg_fall"] == "49" and values["share_before_2012"] == "66.0"


def test_an_edited_table_changes_the_results(data_copy: DataCopy):
    rows = data_copy.rows("arrivals.csv")
    rows[-1].update(male="1000", female="2000", total="3000")
    data_copy.write_rows("arrivals.csv", rows)
    frame = arrivals.table()
    assert arrivals.peak(frame) == (2025, 3000)


def test_a_year_added_to_the_table_shows_by_default(data_copy: DataCopy):
    """Period parameters default to None: the data's own span, so a new year needs no edit
    of the notebook (issue 17)."""
    rows = data_copy.rows("arrivals.csv")
    rows.append({**rows[-1], "year": "2026", "male": "20", "female": "180", "total": "200"})
    data_copy.write_rows("arrivals.csv", rows)
    frame = arrivals.table()
    assert arrivals.check_period(frame, None, None) == (1998, 2026)
    chart = arrivals.arrivals_chart(frame, *arrivals.check_period(frame, None, None))
    assert chart.caption == "Figure: arrivals per year, 1998–2026."
    assert "in 2026, 200 people arrived" in chart.description
