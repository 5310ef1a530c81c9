"""Arrivals of North Korean defectors in South Korea: the analysis behind notebook 03.

Every function takes the validated ``arrivals`` table (see :func:`table`) and returns
numbers or tables; none of them prints. The ministry's grouped rows (up to 1998;
1999-2001) are kept as periods: functions that need single years say so and use only
the yearly rows, and functions that sum over time count the grouped rows whole.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from beyond_utopia import data, params
from beyond_utopia.data import parse_period
from beyond_utopia.formats import esc, fmt, missing
from beyond_utopia.style import (
    ACTOR_COLOURS,
    CATEGORY_SYMBOLS,
    MUTED,
    SERIES_COLOURS,
    WHITE,
    Chart,
    base_figure,
    join,
    publishers,
)
from beyond_utopia.topics.timeline import fractional_year

BREAKDOWNS = ("total", "sex", "share")


def table() -> pd.DataFrame:
    """``arrivals.csv`` with three derived columns: ``first_year`` (None for ``..1998``),
    ``last_year`` and ``grouped`` (True for the ministry's grouped rows), sorted by time."""
    frame = data.load("arrivals")
    periods = [parse_period(y) for y in frame["year"]]
    frame["first_year"] = [p[0] for p in periods]
    frame["last_year"] = [p[1] for p in periods]
    frame["first_year"] = frame["first_year"].astype("Int64")
    frame["last_year"] = frame["last_year"].astype("Int64")
    frame["grouped"] = frame["first_year"].isna() | (frame["first_year"] != frame["last_year"])
    return frame.sort_values("last_year", kind="stable").reset_index(drop=True)


def yearly(frame: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """The single-year rows, optionally limited to ``start``..``end``, indexed by year."""
    rows = frame[~frame["grouped"]].copy()
    rows["year"] = rows["last_year"].astype(int)
    if start is not None:
        rows = rows[rows["year"] >= start]
    if end is not None:
        rows = rows[rows["year"] <= end]
    return rows.set_index("year")[["male", "female", "total", "source_id"]]


def early_reports() -> pd.DataFrame:
    """Single-year totals reported at the time for years the ministry's table groups.

    The ministry's final table groups the years up to 2001; Yonhap reported single
    years at the time (1998: 71; 1999-2001 adding up to the grouped row). They come
    from ``arrivals_reported.csv`` (status ``contemporary``), totals only, indexed by year.
    """
    rep = data.load("arrivals_reported")
    rep = rep[(rep["status"] == "contemporary") & rep["year"].str.fullmatch(r"\d{4}")]
    rep = rep.assign(year=rep["year"].astype(int))
    first_final = int(yearly(table()).index.min())
    rep = rep[rep["year"] < first_final].drop_duplicates("year", keep="first")
    return rep.set_index("year")[["total", "source_id"]].sort_index()


def series(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Yearly rows for ``start``..``end``: the ministry's final figures, preceded where asked
    by the single years reported at the time (column ``kind``: ``final`` or ``reported``)."""

    final = yearly(frame, start, end).assign(kind="final")
    early = early_reports()
    early = early[(early.index >= start) & (early.index <= end)].assign(kind="reported")
    early["male"] = pd.array([None] * len(early), dtype="Int64")
    early["female"] = pd.array([None] * len(early), dtype="Int64")
    return pd.concat([early[final.columns], final]).sort_index()


def year_span(frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year with a single-year figure (final or reported at the time)."""
    years = list(yearly(frame).index) + list(early_reports().index)
    return int(min(years)), int(max(years))


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check the ``start_year`` / ``end_year`` parameters against the years with figures."""
    first, last = year_span(frame)
    return params.year_range("start_year", start_year, "end_year", end_year, first, last)


def check_breakdown(breakdown: object) -> str:
    """Check the ``breakdown`` parameter: ``total``, ``sex`` or ``share``."""
    return str(params.choice("breakdown", breakdown, BREAKDOWNS))


def women_share(frame: pd.DataFrame) -> pd.DataFrame:
    """Women's share of each year's arrivals, in percent (a float Series indexed by year)."""
    rows = yearly(frame)
    return (rows["female"] / rows["total"] * 100).astype(float)


def change(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change for the single years: columns ``total``, ``change``, ``percent``.

    The first single year has no change (the row before it is a grouped period).
    """
    rows = yearly(frame)[["total"]].copy()
    previous = rows["total"].shift(1)
    consecutive = rows.index.to_series().diff() == 1
    rows["change"] = (rows["total"] - previous).where(consecutive)
    rows["percent"] = (rows["change"] / previous * 100).astype(float).where(consecutive)
    return rows


def peak(frame: pd.DataFrame) -> tuple[int, int]:
    """The single year with the most arrivals and its total."""
    rows = yearly(frame)
    year = int(rows["total"].idxmax())
    return year, int(rows.loc[year, "total"])


def lowest(frame: pd.DataFrame, start: int | None = None) -> tuple[int, int]:
    """The single year (from ``start`` on) with the fewest arrivals and its total."""
    rows = yearly(frame, start=start)
    year = int(rows["total"].idxmin())
    return year, int(rows.loc[year, "total"])


def years_men_outnumber_women(frame: pd.DataFrame, since: int | None = None) -> list[int]:
    """Single years in which more men than women arrived."""
    rows = yearly(frame, start=since)
    return [int(y) for y in rows.index[rows["male"] > rows["female"]]]


def first_year_women_outnumber_men(frame: pd.DataFrame) -> str:
    """The first row (a year or a grouped period) in which more women than men arrived."""
    for _, row in frame.iterrows():
        if row["female"] > row["male"]:
            return str(row["year"])
    raise ValueError("women never outnumber men in this table")


def total_between(frame: pd.DataFrame, first: int | None = None, last: int | None = None) -> int:
    """All arrivals from ``first`` to ``last`` (``None``: no bound), grouped rows counted whole.

    A grouped row that straddles a bound cannot be split without inventing yearly
    figures, so asking for such a bound raises ``ValueError``.
    """
    total = 0
    for _, row in frame.iterrows():
        lo = None if missing(row["first_year"]) else int(row["first_year"])
        hi = int(row["last_year"])
        if (first is not None and hi < first) or (last is not None and lo is not None
                                                  and lo > last):
            continue  # wholly outside
        starts_inside = first is None or (lo is not None and lo >= first)
        ends_inside = last is None or hi <= last
        if not (starts_inside and ends_inside):
            raise ValueError(f"the ministry's row {row['year']} straddles the period "
                             f"{first or '..'}-{last or '..'}; it cannot be split into years")
        total += int(row["total"])
    return total


def running_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative arrivals at the end of each row (grouped rows counted whole)."""
    out = frame[["year", "last_year", "male", "female", "total"]].copy()
    for col in ("male", "female", "total"):
        out[col] = out[col].cumsum()
    return out.set_index("last_year")


def compare_cumulative(frame: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Set the ministry's published cumulative totals beside the running sum of the table.

    Returns one row per published total, with the computed sum at the end of that year
    and the difference (published minus computed) for men, women and all.
    """

    sums = running_total(frame)
    rows = []
    for _, pub in published.sort_values(["as_of", "status"]).iterrows():
        year = int(pub["as_of"].year)
        if pub["as_of"].month != 12 or pub["as_of"].day != 31 or year not in sums.index:
            continue
        computed = sums.loc[year]
        rows.append({
            "as_of": pub["as_of"].date().isoformat(), "status": pub["status"],
            "published": int(pub["total"]), "computed": int(computed["total"]),
            "difference": int(pub["total"]) - int(computed["total"]),
            "published_women": pub["female"], "computed_women": int(computed["female"]),
            "source_id": pub["source_id"],
        })
    return pd.DataFrame(rows)


# Figures
# ----------------------------------------------------------------------

def arrivals_chart(frame: pd.DataFrame, start: int, end: int, breakdown: str = "total",
                   events: pd.DataFrame | None = None,
                   sources: pd.DataFrame | None = None) -> Chart:
    """Arrivals per year from ``start`` to ``end``: total, by sex, or women's share.

    Years that the ministry's final table groups (before 2002) are drawn from the totals
    reported at the time, hatched and named as such; they have no split by sex.
    ``events`` (rows of the timeline table) are drawn as markers along the top of the
    chart, with their title, date and source in the hover text.
    """

    rows = series(frame, start, end)
    publisher = publishers(sources)
    fig = base_figure("North Korean defectors arriving in South Korea, per year",
                xaxis=dict(title="Year of arrival", dtick=2 if end - start > 12 else 1),
                hovermode="closest")
    final = rows[rows["kind"] == "final"]
    early = rows[rows["kind"] == "reported"]
    years = [int(y) for y in final.index]
    src = [esc(publisher.get(s, s)) for s in final["source_id"]]
    if breakdown == "share":
        share = (final["female"] / final["total"] * 100).astype(float).round(1)
        fig.add_bar(x=years, y=list(share), name="Women's share",
                    marker_color=SERIES_COLOURS["share"], customdata=src,
                    hovertemplate="%{x}: %{y:.1f}% women<br>Source: %{customdata}"
                                  "<extra></extra>")
        fig.add_hline(y=50, line=dict(color=MUTED, dash="dot", width=1),
                      annotation_text="half", annotation_position="top left")
        fig.update_yaxes(title="Women, % of arrivals", range=[0, 100], ticksuffix="%")
    elif breakdown == "sex":
        for col, name in (("female", "Women"), ("male", "Men")):
            fig.add_bar(x=years, y=[int(v) for v in final[col]], name=name,
                        marker_color=SERIES_COLOURS[col], customdata=src,
                        hovertemplate="%{x}: %{y:,} " + name.lower() +
                                      "<br>Source: %{customdata}<extra></extra>")
        fig.update_layout(barmode="stack")
        fig.update_yaxes(title="People", tickformat=",")
    else:
        fig.add_bar(x=years, y=[int(v) for v in final["total"]], name="Ministry's final figure",
                    marker_color=SERIES_COLOURS["total"], customdata=src,
                    hovertemplate="%{x}: %{y:,} people<br>Source: %{customdata}"
                                  "<extra></extra>")
        fig.update_yaxes(title="People", tickformat=",")
    if len(early) and breakdown == "total":
        esrc = [esc(publisher.get(s, s)) for s in early["source_id"]]
        fig.add_bar(x=[int(y) for y in early.index], y=[int(v) for v in early["total"]],
                    name="Reported at the time (the ministry's table groups these years)",
                    marker=dict(color=WHITE, line=dict(color=SERIES_COLOURS["total"], width=1.5),
                                pattern=dict(shape="/", fgcolor=SERIES_COLOURS["total"])),
                    customdata=esrc,
                    hovertemplate="%{x}: %{y:,} people, as reported at the time"
                                  "<br>Source: %{customdata}<extra></extra>")
    if events is not None and len(events):
        _event_markers(fig, events, start, end, publisher)
    fig.update_xaxes(range=[start - 0.6, end + 0.6])
    label = {"total": "", "sex": ", by sex", "share": ", women's share"}[breakdown]
    return Chart(fig, caption=f"Figure: arrivals per year, {start}–{end}{label}.",
                 description=describe_arrivals(rows, breakdown, start, end),
                 table=rows.reset_index()[["year", "kind", "male", "female", "total",
                                           "source_id"]])


def describe_arrivals(rows: pd.DataFrame, breakdown: str, start: int, end: int) -> str:
    """A text description of an arrivals chart, written from its data."""
    final = rows[rows["kind"] == "final"]
    early = rows[rows["kind"] == "reported"]
    kind = {"total": "arrivals", "sex": "arrivals of women and men, stacked",
            "share": "women's share of arrivals"}[breakdown]
    text = f"A bar chart of {kind} in each year from {start} to {end}."
    if len(early) and breakdown == "total":
        text += (f" The bars for {join(list(early.index))} are hatched: totals reported at "
                 "the time, for years the ministry's final table groups together.")
    elif len(early):
        text += (f" {join(list(early.index))} have no split by sex and are not drawn.")
    if len(final):
        top = int(final["total"].idxmax())
        low = int(final["total"].idxmin())
        last = int(final.index.max())
        text += (f" Among the ministry's yearly figures shown, the highest is {top} with "
                 f"{fmt(final.loc[top, 'total'])} people and the lowest {low} with "
                 f"{fmt(final.loc[low, 'total'])}; in {last}, {fmt(final.loc[last, 'total'])} "
                 "people arrived.")
    if breakdown in ("sex", "share") and len(final):
        share = (final["female"] / final["total"] * 100).astype(float)
        hi, lo = int(share.idxmax()), int(share.idxmin())
        men = [int(y) for y in final.index[final["male"] > final["female"]]]
        text += (f" Women's share is highest in {hi} ({share.loc[hi]:.1f}%) and lowest in "
                 f"{lo} ({share.loc[lo]:.1f}%)")
        text += (f"; men outnumber women in {join(men)}." if men else
                 "; women outnumber men in every year shown.")
    return text


def _event_markers(fig: go.Figure, events: pd.DataFrame, start: int, end: int,
                   publisher: dict[str, str]) -> None:
    """Timeline events as markers along the top edge of a chart whose x axis is years."""

    shown = events[(events["year"] >= start) & (events["year"] <= end)]
    for category, group in shown.groupby("category", sort=True):
        xs = [fractional_year(d) for d in group["date"]]
        text = [f"{esc(d)}: {esc(t)}<br>{esc(a)}<br>Source: {esc(publisher.get(s, s))}"
                for d, t, a, s in zip(group["date"], group["title"], group["actor"],
                                      group["source_id"], strict=True)]
        fig.add_scatter(
            x=xs, y=[1.0] * len(xs), yaxis="y2", mode="markers", name=f"Event: {category}",
            marker=dict(symbol=CATEGORY_SYMBOLS.get(category, "circle"), size=11,
                        color=[ACTOR_COLOURS.get(a, ACTOR_COLOURS["Other"])
                               for a in group["actor"]],
                        line=dict(width=1, color=WHITE)),
            text=text, hovertemplate="%{text}<extra></extra>")
    fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1.05], visible=False,
                                  fixedrange=True))


def cumulative_chart(comparison: pd.DataFrame) -> Chart:
    """The ministry's published cumulative totals against the running sum of the table."""
    fig = base_figure("Published cumulative totals against the sum of the yearly figures",
                xaxis=dict(title="Total up to the end of"), hovermode="x unified")
    labels = [f"{r.as_of[:4]} ({r.status})" for r in comparison.itertuples()]
    fig.add_bar(x=labels, y=list(comparison["published"]), name="Published by the ministry",
                marker_color=SERIES_COLOURS["published"])
    fig.add_bar(x=labels, y=list(comparison["computed"]), name="Sum of arrivals.csv",
                marker_color=SERIES_COLOURS["computed"])
    fig.update_yaxes(title="People", tickformat=",")
    agree = comparison[comparison["difference"] == 0]
    differ = comparison[comparison["difference"] != 0]
    desc = (f"Paired bars for {len(comparison)} published totals. {len(agree)} agree exactly "
            "with the sum of the yearly figures")
    if len(differ):
        desc += "; " + "; ".join(f"{r.as_of[:4]} ({r.status}) differs by {r.difference:+,}"
                                 for r in differ.itertuples())
    return Chart(fig, caption="Figure: does the table add up to what the ministry published?",
                 description=desc + ".", table=comparison)


STATUS_SYMBOLS = {
    "final": "square", "provisional": "circle-open", "contemporary": "diamond-open",
    "earlier-release": "triangle-up-open", "later-report": "x-thin-open",
    "corrected": "star-open", "misprint": "cross-thin-open",
}


def reported_chart(reported: pd.DataFrame, start: int, end: int,
                   sources: pd.DataFrame | None = None) -> Chart:
    """Every published total for each year beside the ministry's final figure."""

    publisher = publishers(sources)
    rows = reported.copy()
    rows["last_year"] = [parse_period(y)[1] for y in rows["year"]]
    rows["single"] = rows["year"].str.fullmatch(r"\d{4}")
    rows = rows[rows["single"] & (rows["last_year"] >= start) & (rows["last_year"] <= end)]
    fig = base_figure("Arrivals as published over time: first figures, revisions and final figures",
                xaxis=dict(title="Year of arrival", dtick=2 if end - start > 12 else 1),
                hovermode="closest")
    for status in STATUS_SYMBOLS:
        group = rows[rows["status"] == status]
        if not len(group):
            continue
        fig.add_scatter(
            x=[int(y) for y in group["last_year"]], y=[int(v) for v in group["total"]],
            mode="markers", name=status.replace("-", " "),
            marker=dict(symbol=STATUS_SYMBOLS[status], size=10 if status != "final" else 8,
                        color=SERIES_COLOURS["total"] if status == "final"
                        else SERIES_COLOURS["published"], line=dict(width=1.5)),
            customdata=[esc(publisher.get(s, s)) for s in group["source_id"]],
            hovertemplate="%{x}: %{y:,} (" + status.replace("-", " ") +
                          ")<br>Source: %{customdata}<extra></extra>")
    fig.update_yaxes(title="People", tickformat=",")
    differ = []
    for year, group in rows.groupby("last_year"):
        final = group[group["status"] == "final"]["total"]
        others = group[group["status"] != "final"]["total"]
        if len(final) and len(others) and (others != final.iloc[0]).any():
            spread = int((others - final.iloc[0]).abs().max())
            differ.append((int(year), spread))
    desc = (f"A dot plot of {len(rows)} published totals for the years {start} to {end}; "
            "squares are the ministry's final figures, open symbols other published figures.")
    if differ:
        worst = max(differ, key=lambda d: d[1])
        desc += (f" In {len(differ)} years another published figure differs from the final "
                 f"one; the largest gap is {worst[1]:,} people, for {worst[0]}.")
    return Chart(fig, caption=f"Figure: published and final figures, {start}–{end}.",
                 description=desc,
                 table=rows[["year", "status", "male", "female", "total", "source_id"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    frame = table()
    ch = change(frame).dropna(subset=["change"])
    drop_year = int(ch["change"].idxmin())
    pct_year = int(ch["percent"].idxmin())
    rise_year = int(ch["change"].idxmax())
    before = total_between(frame, 1999, 2011)
    allof = total_between(frame, 1999, None)
    men = years_men_outnumber_women(frame)
    cum = compare_cumulative(frame, data.load("cumulative"))
    row24 = cum[cum["as_of"] == "2024-12-31"].iloc[0]
    return {
        "drop_year": drop_year, "drop": fmt(-ch.loc[drop_year, "change"]),
        "drop_from": fmt(ch.loc[drop_year, "total"] - ch.loc[drop_year, "change"]),
        "drop_to": fmt(ch.loc[drop_year, "total"]),
        "pct_year": pct_year, "pct": f"{-ch.loc[pct_year, 'percent']:.1f}",
        "rise_year": rise_year, "rise": fmt(ch.loc[rise_year, "change"]),
        "first_women": first_year_women_outnumber_men(frame),
        "men_years": " and ".join(str(y) for y in men),
        "before_2012": fmt(before), "all_since_1999": fmt(allof),
        "share_before_2012": f"{before / allof * 100:.1f}",
        "last_year": int(yearly(frame).index.max()),
        "cum_2024": fmt(row24["published"]), "sum_2024": fmt(row24["computed"]),
    }
