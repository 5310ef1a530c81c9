"""Checks for notebook parameters.

Each check raises :class:`~beyond_utopia.errors.ParameterError` with a message that
names the parameter and the values it allows, so a papermill run with a bad value
stops at the parameters cell with a sentence, not a traceback from a chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from beyond_utopia.errors import ParameterError

EDITIONS = ("student", "teacher")


def _fmt(values: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in values)


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
        what = f"unknown {_fmt(unknown)}; " if unknown else "the list is empty; "
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


def year_range(start_name: str, start: object, end_name: str, end: object,
               first: int, last: int) -> tuple[int, int]:
    """Check a period of whole years that must lie within ``first``..``last``."""
    for name, value in ((start_name, start), (end_name, end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(name, value, f"give a whole year from {first} to {last}")
        if not first <= value <= last:
            raise ParameterError(name, value, f"the data cover {first} to {last}")
    if start > end:  # type: ignore[operator]
        raise ParameterError(start_name, start,
                             f"{start_name} must not be after {end_name} ({end}); "
                             f"both from {first} to {last}")
    return int(start), int(end)  # type: ignore[arg-type]


def number(name: str, value: object, low: float, high: float) -> float:
    """Check a number within ``low``..``high``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ParameterError(name, value, f"give a number from {low} to {high}")
    return float(value)
