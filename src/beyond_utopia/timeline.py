"""The timeline of repatriation policy and the response to it (notebook 04 and others)."""

from __future__ import annotations

from typing import Any

from beyond_utopia import data
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
