"""Partial ISO dates (``2023``, ``2023-10``, ``2023-10-09``), as the tables write them: parsed
to their first day, and placed on a years axis."""

from __future__ import annotations

import datetime as dt
import re

from beyond_utopia.errors import quote

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; return its first day and precision."""
    m = PARTIAL_DATE.match(text)
    if not m:
        raise ValueError(f"{quote(text)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    try:
        first = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{quote(text)} is not a calendar date ({exc})") from None
    return first, "day" if day else "month" if month else "year"


def fractional_year(date: str) -> float:
    """A partial date as a position on a years axis (``2023-10-09`` -> 2023.77): a year
    alone sits in its middle, a month in the middle of the month."""
    first, precision = parse_partial_date(date)
    if precision == "year":
        return first.year + 0.5
    start = first.replace(month=1, day=1)
    day = (first - start).days + (15 if precision == "month" else 0)
    return round(first.year + day / 365.25, 3)


def iso_date(year: float) -> str:
    """A fractional year back to an ISO date (for plotting)."""
    return (dt.date(int(year), 1, 1) + dt.timedelta(days=round(year % 1 * 365.25))).isoformat()


def day_after(date: str) -> dt.date:
    """The day after a partial date's last day (``2023-08``: 1 September 2023)."""
    first, precision = parse_partial_date(date)
    if precision == "day":
        return first + dt.timedelta(days=1)
    if precision == "month":
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first.replace(year=first.year + 1)
