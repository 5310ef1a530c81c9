"""Checks for notebook parameters.

Each check raises :class:`~beyond_utopia.errors.ParameterError` with a message that
names the parameter and the values it allows, so a papermill run with a bad value
stops at the parameters cell with a sentence, not a traceback from a chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from beyond_utopia.errors import QUOTE_MAX, ParameterError, quote
from beyond_utopia.formats import missing

EDITIONS = ("student", "teacher")


def _fmt(values: Iterable[object], limit: int | None = None) -> str:
    """The values, quoted; with ``limit``, cut to about that many characters (bad values
    a reader typed may be long; the allowed values are the collection's own)."""
    text = ", ".join(quote(v) for v in values)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def choice(name: str, value: object, allowed: Sequence[object]) -> object:
    """Return ``value`` if it is one of ``allowed`` (``True`` is not taken for ``1``)."""
    if not any(type(value) is type(a) and value == a for a in allowed):
        raise ParameterError(name, value, f"allowed values: {_fmt(allowed)}")
    return value


def choices(name: str, values: object, allowed: Sequence[str]) -> list[str]:
    """Return ``values`` (a list of strings, or ``None`` for all) checked against ``allowed``."""
    if values is None:
        return list(allowed)
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise ParameterError(name, values,
                             f"give a list drawn from: {_fmt(allowed)} (or None for all)")
    unknown = [v for v in values if v not in allowed]
    if unknown or not values:
        what = f"unknown {_fmt(unknown, QUOTE_MAX)}; " if unknown else "the list is empty; "
        raise ParameterError(name, values, what + f"allowed values: {_fmt(allowed)}")
    return list(dict.fromkeys(values))


def flag(name: str, value: object) -> bool:
    """Return ``value`` if it is ``True`` or ``False``."""
    if not isinstance(value, bool):
        raise ParameterError(name, value, "allowed values: True, False")
    return value


def edition(value: object) -> str:
    """Check the ``edition`` parameter every notebook has."""
    return str(choice("edition", value, EDITIONS))


def span(years: Iterable[object]) -> tuple[int, int]:
    """The first and the last of ``years`` (missing values skipped): the period the data
    cover, for :func:`year_range` and :func:`year`."""
    values = [int(y) for y in years if not missing(y)]  # type: ignore[call-overload]
    if not values:
        raise ValueError("no years to take a span from")
    return min(values), max(values)


def year(name: str, value: object, first: int, last: int, default: int | None = None) -> int:
    """Check one whole year within ``first``..``last``; ``None`` means ``default``
    (``last`` unless given): the data's own latest year, so a row added to a table
    shows without editing the notebook."""
    if value is None:
        return int(last if default is None else default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(name, value, f"give a whole year from {first} to {last}, "
                             "or None for the latest in the data")
    if not first <= value <= last:
        raise ParameterError(name, value, f"the data cover {first} to {last}")
    return int(value)


def year_range(start_name: str, start: object, end_name: str, end: object,
               first: int, last: int) -> tuple[int, int]:
    """Check a period of whole years that must lie within ``first``..``last``.

    ``None`` for ``start`` means ``first`` and for ``end`` means ``last``: the period
    follows the data (pass the data's own span, e.g. ``params.span(frame["year"])``),
    so a year added to a table shows without editing the notebook.
    """
    checked = []
    for name, value, default, word in ((start_name, start, first, "first"),
                                       (end_name, end, last, "latest")):
        if value is None:
            checked.append(int(default))
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(name, value, f"give a whole year from {first} to {last}, "
                                 f"or None for the {word} in the data")
        if not first <= value <= last:
            raise ParameterError(name, value, f"the data cover {first} to {last}")
        checked.append(int(value))
    lo, hi = checked
    if lo > hi:
        raise ParameterError(start_name, start,
                             f"{start_name} must not be after {end_name} ({hi}); "
                             f"both from {first} to {last}")
    return lo, hi


def number(name: str, value: object, low: float, high: float) -> float:
    """Check a number within ``low``..``high``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ParameterError(name, value, f"give a number from {low} to {high}")
    return float(value)
