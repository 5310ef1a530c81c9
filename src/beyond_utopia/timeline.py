"""The timeline of repatriation policy and the response to it (notebook 04 and others)."""

from __future__ import annotations

from typing import Any

from beyond_utopia import data, params
from beyond_utopia.data import parse_partial_date


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
