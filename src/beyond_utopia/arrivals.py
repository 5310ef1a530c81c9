"""Arrivals of North Korean defectors in South Korea: the analysis behind notebook 03.

Every function takes the validated ``arrivals`` table (see :func:`table`) and returns
numbers or tables; none of them prints. The ministry's grouped rows (up to 1998;
1999-2001) are kept as periods: functions that need single years say so and use only
the yearly rows, and functions that sum over time count the grouped rows whole.
"""

from __future__ import annotations

from typing import Any

from beyond_utopia import data, params
from beyond_utopia.data import parse_period
from beyond_utopia.formats import missing

BREAKDOWNS = ("total", "sex", "share")


def table() -> Any:
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


def yearly(frame: Any, start: int | None = None, end: int | None = None) -> Any:
    """The single-year rows, optionally limited to ``start``..``end``, indexed by year."""
    rows = frame[~frame["grouped"]].copy()
    rows["year"] = rows["last_year"].astype(int)
    if start is not None:
        rows = rows[rows["year"] >= start]
    if end is not None:
        rows = rows[rows["year"] <= end]
    return rows.set_index("year")[["male", "female", "total", "source_id"]]


def early_reports() -> Any:
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


def series(frame: Any, start: int, end: int) -> Any:
    """Yearly rows for ``start``..``end``: the ministry's final figures, preceded where asked
    by the single years reported at the time (column ``kind``: ``final`` or ``reported``)."""
    import pandas as pd

    final = yearly(frame, start, end).assign(kind="final")
    early = early_reports()
    early = early[(early.index >= start) & (early.index <= end)].assign(kind="reported")
    early["male"] = pd.array([None] * len(early), dtype="Int64")
    early["female"] = pd.array([None] * len(early), dtype="Int64")
    return pd.concat([early[final.columns], final]).sort_index()


def year_span(frame: Any) -> tuple[int, int]:
    """The first and last year with a single-year figure (final or reported at the time)."""
    years = list(yearly(frame).index) + list(early_reports().index)
    return int(min(years)), int(max(years))


def check_period(frame: Any, start_year: object, end_year: object) -> tuple[int, int]:
    """Check the ``start_year`` / ``end_year`` parameters against the years with figures."""
    first, last = year_span(frame)
    return params.year_range("start_year", start_year, "end_year", end_year, first, last)


def check_breakdown(breakdown: object) -> str:
    """Check the ``breakdown`` parameter: ``total``, ``sex`` or ``share``."""
    return str(params.choice("breakdown", breakdown, BREAKDOWNS))


def women_share(frame: Any) -> Any:
    """Women's share of each year's arrivals, in percent (a float Series indexed by year)."""
    rows = yearly(frame)
    return (rows["female"] / rows["total"] * 100).astype(float)


def change(frame: Any) -> Any:
    """Year-on-year change for the single years: columns ``total``, ``change``, ``percent``.

    The first single year has no change (the row before it is a grouped period).
    """
    rows = yearly(frame)[["total"]].copy()
    previous = rows["total"].shift(1)
    consecutive = rows.index.to_series().diff() == 1
    rows["change"] = (rows["total"] - previous).where(consecutive)
    rows["percent"] = (rows["change"] / previous * 100).astype(float).where(consecutive)
    return rows


def peak(frame: Any) -> tuple[int, int]:
    """The single year with the most arrivals and its total."""
    rows = yearly(frame)
    year = int(rows["total"].idxmax())
    return year, int(rows.loc[year, "total"])


def lowest(frame: Any, start: int | None = None) -> tuple[int, int]:
    """The single year (from ``start`` on) with the fewest arrivals and its total."""
    rows = yearly(frame, start=start)
    year = int(rows["total"].idxmin())
    return year, int(rows.loc[year, "total"])


def years_men_outnumber_women(frame: Any, since: int | None = None) -> list[int]:
    """Single years in which more men than women arrived."""
    rows = yearly(frame, start=since)
    return [int(y) for y in rows.index[rows["male"] > rows["female"]]]


def first_year_women_outnumber_men(frame: Any) -> str:
    """The first row (a year or a grouped period) in which more women than men arrived."""
    for _, row in frame.iterrows():
        if row["female"] > row["male"]:
            return str(row["year"])
    raise ValueError("women never outnumber men in this table")


def total_between(frame: Any, first: int | None = None, last: int | None = None) -> int:
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


def running_total(frame: Any) -> Any:
    """Cumulative arrivals at the end of each row (grouped rows counted whole)."""
    out = frame[["year", "last_year", "male", "female", "total"]].copy()
    for col in ("male", "female", "total"):
        out[col] = out[col].cumsum()
    return out.set_index("last_year")


def compare_cumulative(frame: Any, published: Any) -> Any:
    """Set the ministry's published cumulative totals beside the running sum of the table.

    Returns one row per published total, with the computed sum at the end of that year
    and the difference (published minus computed) for men, women and all.
    """
    import pandas as pd

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
