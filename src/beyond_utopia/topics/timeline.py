"""The timeline of repatriation policy and the response to it (notebook 04 and others)."""

from __future__ import annotations

import calendar

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.data import parse_partial_date
from beyond_utopia.errors import ParameterError
from beyond_utopia.formats import bound_label, esc, fmt, value_range
from beyond_utopia.style import (
    ACTOR_COLOURS,
    CATEGORY_SYMBOLS,
    ERA_FILL,
    GREY,
    SERIES_COLOURS,
    WHITE,
    Chart,
    base_figure,
    publishers,
    range_trace,
    short,
)


def fractional_year(date: str) -> float:
    """A partial ISO date as a position on a years axis (``2023-10-09`` -> 2023.77)."""
    first, precision = parse_partial_date(date)
    if precision == "year":
        return first.year + 0.5
    start = first.replace(month=1, day=1)
    day = (first - start).days + (15 if precision == "month" else 0)
    return round(first.year + day / 365.25, 3)


def table() -> pd.DataFrame:
    """``timeline.csv`` sorted by date, with ``start`` (first day), ``precision`` and ``year``."""
    frame = data.load("timeline")
    parsed = [parse_partial_date(d) for d in frame["date"]]
    frame["precision"] = [p[1] for p in parsed]
    frame["year"] = [p[0].year for p in parsed]

    frame["start"] = pd.to_datetime([p[0] for p in parsed])
    return frame.sort_values(["start", "title"], kind="stable").reset_index(drop=True)


def _enum(field: str) -> list[str]:
    fields = data.resource("timeline")["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def actors() -> list[str]:
    """The actors the timeline allows, in the schema's order (the colour map's order too)."""
    return _enum("actor")


def categories() -> list[str]:
    """The event categories the timeline allows, in the schema's order."""
    return _enum("category")


def check_categories(name: str, values: object) -> list[str]:
    """Check a parameter that lists event categories (``None`` means all)."""
    return params.choices(name, values, categories())


def check_actors(name: str, values: object) -> list[str]:
    """Check a parameter that lists actors (``None`` means all)."""
    return params.choices(name, values, actors())


def select(frame: pd.DataFrame, start: int | None = None, end: int | None = None,
           actors: list[str] | None = None, categories: list[str] | None = None) -> pd.DataFrame:
    """Events from ``start`` to ``end`` (years, inclusive) by the given actors and categories."""
    keep = frame["year"].between(start if start is not None else -9999,
                                 end if end is not None else 9999)
    if actors is not None:
        keep &= frame["actor"].isin(actors)
    if categories is not None:
        keep &= frame["category"].isin(categories)
    return frame[keep].reset_index(drop=True)


def eras() -> pd.DataFrame:
    """``eras.csv`` with ``start_date`` and ``end_date`` (first and last day) for shading."""
    frame = data.load("eras")
    starts, ends = [], []
    for s, e in zip(frame["start"], frame["end"], strict=True):
        starts.append(parse_partial_date(s)[0].isoformat())
        last, precision = parse_partial_date(e)
        if precision == "year":
            last = last.replace(month=12, day=31)
        elif precision == "month":
            last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        ends.append(last.isoformat())
    frame["start_date"] = starts
    frame["end_date"] = ends
    return frame


def year_span(frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year of the events."""
    return int(frame["year"].min()), int(frame["year"].max())


def require_events(events: pd.DataFrame, period: tuple[int, int], actors: list[str],
                   categories: list[str]) -> pd.DataFrame:
    """Stop with a clear message when the chosen parameters leave no event to show."""
    if len(events) == 0:
        raise ParameterError(
            "actors", actors, f"no event in {period[0]}–{period[1]} matches these actors and "
            f"the categories {categories}; widen the period, the actors or the categories")
    return events


def reports_by_number(returns: pd.DataFrame, date: str) -> list[tuple[str, list[str]]]:
    """For one return, each way its number was stated and who stated it that way."""
    rows = returns[returns["date"] == date]
    groups: dict[str, list[str]] = {}
    for r in rows.itertuples():
        groups.setdefault(bound_label(r.low, r.high), []).append(r.reported_by)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


# Figures
# ----------------------------------------------------------------------

def timeline_chart(events: pd.DataFrame, eras: pd.DataFrame | None = None,
                   sources: pd.DataFrame | None = None,
                   actors: list[str] | None = None,
                   period: tuple[int, int] | None = None) -> Chart:
    """Events on a time axis, one row per actor, with shaded eras; hover names the source.

    ``period`` (first and last year) sets the axis and the caption; by default, the
    events' own span."""

    publisher = publishers(sources)
    order = [a for a in (actors or _enum("actor")) if a in set(events["actor"])]
    fig = base_figure("Repatriation policy and the response to it",
                xaxis=dict(title="Date", type="date"), hovermode="closest",
                height=230 + 55 * max(len(order), 1))
    for actor in order:
        group = events[events["actor"] == actor]
        fig.add_scatter(
            x=[d.date().isoformat() for d in group["start"]], y=[actor] * len(group),
            mode="markers", name=actor,
            marker=dict(color=ACTOR_COLOURS.get(actor, ACTOR_COLOURS["Other"]), size=12,
                        symbol=[CATEGORY_SYMBOLS.get(c, "circle") for c in group["category"]],
                        line=dict(width=1, color=WHITE)),
            customdata=[[esc(d), esc(t), esc(c), esc(publisher.get(s, s))]
                        for d, t, c, s in zip(group["date"], group["title"], group["category"],
                                              group["source_id"], strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}"
                          "<br>Source: %{customdata[3]}<extra></extra>")
    for category in [c for c in CATEGORY_SYMBOLS if c in set(events["category"])]:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=f"shape: {category}",
                        marker=dict(symbol=CATEGORY_SYMBOLS[category], size=10,
                                    color=GREY))
    if eras is not None:
        for i, era in enumerate(eras.itertuples()):
            fig.add_vrect(x0=era.start_date, x1=era.end_date, fillcolor=ERA_FILL, opacity=0.6,
                          layer="below", line_width=0, annotation_text=esc(era.name),
                          annotation_position="top left" if i % 2 == 0 else "bottom left",
                          annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    counts = events["actor"].value_counts()
    first, last = events["date"].min(), events["date"].max()
    desc = (f"A timeline of {len(events)} events from {first} to {last}, one row per actor: "
            + ", ".join(f"{a} {counts[a]}" for a in order) + ". Marker shapes show the kind "
            "of event.")
    if eras is not None and len(eras):
        desc += " Shaded periods: " + "; ".join(f"{e.name} ({e.start} to {e.end})"
                                                for e in eras.itertuples()) + "."
    lo, hi = period or (int(first[:4]), int(last[:4]))
    if period:
        fig.update_xaxes(range=[f"{lo}-01-01", f"{hi}-12-31"])
    return Chart(fig, caption=f"Figure: the timeline, {lo}–{hi}.", description=desc,
                 table=events[["date", "actor", "category", "title", "source_id"]])


def returns_chart(returns: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Each organisation's number for each reported return, side by side."""
    publisher = publishers(sources)
    rows = returns.sort_values(["date", "reported_by"]).reset_index(drop=True)
    labels = [f"{d} · {esc(short(r))}" for d, r in zip(rows["date"], rows["reported_by"],
                                                        strict=True)]
    fig = base_figure("How many people were returned? Each report's number",
                xaxis=dict(title="People returned, as reported", tickformat=","),
                hovermode="closest", height=120 + 24 * len(rows))
    for kind, symbol, name in (("range", "line-ns", "reported as a number or range"),
                               ("low", "triangle-right", "reported as 'more than'"),
                               ("high", "triangle-left", "reported as 'as many as'")):
        if kind == "range":
            pick = rows["low"].notna() & rows["high"].notna()
        elif kind == "low":
            pick = rows["low"].notna() & rows["high"].isna()
        else:
            pick = rows["low"].isna() & rows["high"].notna()
        sub = rows[pick]
        if not len(sub):
            continue
        xs = [int(v) for v in (sub["high"] if kind == "high" else sub["low"])]
        extra = {}
        if kind == "range":
            extra = dict(error_x=dict(type="data", symmetric=False, array=[
                int(h) - int(lo) for lo, h in zip(sub["low"], sub["high"], strict=True)],
                arrayminus=[0] * len(sub), color=SERIES_COLOURS["total"], thickness=2))
        fig.add_scatter(
            x=xs, y=[labels[i] for i in sub.index], mode="markers", name=name,
            marker=dict(symbol=symbol if kind != "range" else "circle", size=11,
                        color=SERIES_COLOURS["total"] if kind == "range"
                        else SERIES_COLOURS["published"]),
            customdata=[[esc(r.reported_by), esc(r.description), esc(publisher.get(r.source_id,
                                                                                   r.source_id))]
                        for r in sub.itertuples()],
            hovertemplate="%{x:,}: %{customdata[0]}<br>%{customdata[1]}"
                          "<br>Source: %{customdata[2]}<extra></extra>", **extra)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), title=None,
                     automargin=True)
    parts = []
    for date, group in rows.groupby("date", sort=True):
        low, high = value_range(group)
        parts.append(f"{date}: {len(group)} report{'s' if len(group) > 1 else ''}, "
                     + (f"{low:,}" if low == high else f"{low:,} to {high:,}"))
    return Chart(fig, caption="Figure: forced returns from China as different organisations "
                 "reported them.",
                 description="A chart with one row per report. " + "; ".join(parts) + ".",
                 table=rows[["date", "low", "high", "reported_by", "source_id"]])


def estimates_chart(estimates: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Estimates of North Koreans hiding in China, as ranges on a logarithmic axis."""
    publisher = publishers(sources)
    rows = estimates.sort_values(["year", "estimator"]).reset_index(drop=True)
    fig = base_figure("How many North Koreans were hiding in China? Estimates by year",
                xaxis=dict(title="Year of the estimate"), hovermode="closest")
    for i, r in enumerate(rows.itertuples()):
        hover = (f"{r.year}: {bound_label(r.low, r.high)}<br>{esc(short(r.estimator, 70))}"
                 f"<br>Source: {esc(publisher.get(r.source_id, r.source_id))}")
        # side by side when several share a year
        range_trace(fig, r.year + (i % 3 - 1) * 0.18, r.low, r.high, hover)
    fig.update_yaxes(type="log", title="People (logarithmic scale)", tickformat=",")
    low, high = value_range(rows)
    desc = (f"A range chart of {len(rows)} estimates from {rows['year'].min()} to "
            f"{rows['year'].max()}, on a logarithmic scale. They run from {low:,} to "
            f"{high:,}; the largest is {high / low:.0f} times the smallest.")
    return Chart(fig, caption="Figure: estimates of North Koreans hiding in China.",
                 description=desc, table=rows[["year", "low", "high", "estimator", "source_id"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    china = select(table(), actors=["China"], categories=["statement"])
    returns = data.load("returns")
    oct9 = returns[returns["date"] == "2023-10-09"]
    oct9_min, oct9_max = value_range(oct9)
    est = data.load("china_estimates")
    est_min, est_max = value_range(est)
    partial = est[est["basis"].str.contains("Yanbian")]
    return {
        "china_first_year": china["date"].iloc[0][:4], "china_first_title": china["title"].iloc[0],
        "china_count": len(china), "oct9_reports": len(oct9),
        "oct9_min": fmt(oct9_min), "oct9_max": fmt(oct9_max),
        "est_max": fmt(est_max), "est_min": fmt(est_min),
        "est_ratio": f"{est_max / est_min:.0f}",
        "partial_estimator": partial["estimator"].iloc[0],
    }
