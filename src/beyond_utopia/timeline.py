"""The timeline of repatriation policy and the response to it (notebook 04 and others)."""

from __future__ import annotations

from typing import Any

from beyond_utopia import data, params
from beyond_utopia.data import parse_partial_date
from beyond_utopia.errors import ParameterError


def fractional_year(date: str) -> float:
    """A partial ISO date as a position on a years axis (``2023-10-09`` -> 2023.77)."""
    first, precision = parse_partial_date(date)
    if precision == "year":
        return first.year + 0.5
    start = first.replace(month=1, day=1)
    day = (first - start).days + (15 if precision == "month" else 0)
    return round(first.year + day / 365.25, 3)


def table() -> Any:
    """``timeline.csv`` sorted by date, with ``start`` (first day), ``precision`` and ``year``."""
    frame = data.load("timeline")
    parsed = [parse_partial_date(d) for d in frame["date"]]
    frame["precision"] = [p[1] for p in parsed]
    frame["year"] = [p[0].year for p in parsed]
    import pandas as pd

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


def select(frame: Any, start: int | None = None, end: int | None = None,
           actors: list[str] | None = None, categories: list[str] | None = None) -> Any:
    """Events from ``start`` to ``end`` (years, inclusive) by the given actors and categories."""
    keep = frame["year"].between(start if start is not None else -9999,
                                 end if end is not None else 9999)
    if actors is not None:
        keep &= frame["actor"].isin(actors)
    if categories is not None:
        keep &= frame["category"].isin(categories)
    return frame[keep].reset_index(drop=True)


def eras() -> Any:
    """``eras.csv`` with ``start_date`` and ``end_date`` (first and last day) for shading."""
    import calendar

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


def year_span(frame: Any) -> tuple[int, int]:
    """The first and last year of the events."""
    return int(frame["year"].min()), int(frame["year"].max())


def require_events(events: Any, period: tuple[int, int], actors: list[str],
                   categories: list[str]) -> Any:
    """Stop with a clear message when the chosen parameters leave no event to show."""
    if len(events) == 0:
        raise ParameterError(
            "actors", actors, f"no event in {period[0]}–{period[1]} matches these actors and "
            f"the categories {categories}; widen the period, the actors or the categories")
    return events
