"""The returns, estimates and UN votes behind notebooks 04 and 05."""

from __future__ import annotations

from typing import Any

from beyond_utopia.formats import bound_label


def reports_by_number(returns: Any, date: str) -> list[tuple[str, list[str]]]:
    """For one return, each way its number was stated and who stated it that way."""
    rows = returns[returns["date"] == date]
    groups: dict[str, list[str]] = {}
    for r in rows.itertuples():
        groups.setdefault(bound_label(r.low, r.high), []).append(r.reported_by)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


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
