"""The returns, estimates and UN votes behind notebooks 04 and 05."""

from __future__ import annotations

from typing import Any

from beyond_utopia.charts import _missing


def bound_label(low: object, high: object) -> str:
    """How a report states its number: ``500``, ``50 to 60``, ``more than 500``, ``up to 600``."""
    lo = None if _missing(low) else int(low)  # type: ignore[call-overload]
    hi = None if _missing(high) else int(high)  # type: ignore[call-overload]
    if lo is not None and hi is not None:
        return f"{lo:,}" if lo == hi else f"{lo:,} to {hi:,}"
    if lo is not None:
        return f"more than {lo:,}"
    return f"up to {hi:,}"


def reports_by_number(returns: Any, date: str) -> list[tuple[str, list[str]]]:
    """For one return, each way its number was stated and who stated it that way."""
    rows = returns[returns["date"] == date]
    groups: dict[str, list[str]] = {}
    for r in rows.itertuples():
        groups.setdefault(bound_label(r.low, r.high), []).append(r.reported_by)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def number_range(frame: Any) -> tuple[int, int]:
    """The smallest and largest number in the ``low`` and ``high`` columns."""
    values = [int(v) for v in list(frame["low"].dropna()) + list(frame["high"].dropna())]
    return min(values), max(values)


def first_without_vote(votes: Any, body: str = "General Assembly") -> int:
    rows = votes[(votes["body"] == body) & (votes["method"] == "without a vote")]
    return int(rows["year"].min())


def first_non_refoulement(votes: Any) -> int:
    return int(votes.loc[votes["non_refoulement"] == "yes", "year"].min())


def share_in_favour(votes: Any, body: str = "General Assembly") -> Any:
    """For each recorded vote, the share in favour of the votes cast for or against (%)."""
    rows = votes[(votes["body"] == body) & (votes["method"] == "recorded vote")].copy()
    rows["share_in_favour"] = (rows["yes"] / (rows["yes"] + rows["no"]) * 100).astype(float)
    return rows.set_index("year")["share_in_favour"]
