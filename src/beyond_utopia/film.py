"""The film and the people it follows (notebook 01)."""

from __future__ import annotations

from typing import Any

from beyond_utopia import data, params


def kinds() -> list[str]:
    """The kinds of milestone the table allows, in the schema's order."""
    fields = data.resource("film_milestones")["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == "kind")["constraints"]["enum"])


def check_kinds(name: str, values: object) -> list[str]:
    return params.choices(name, values, kinds())


def facts_about(facts: Any, topics: list[str]) -> Any:
    """The facts on the given topics, in the order of ``topics``."""
    rows = facts[facts["topic"].isin(topics)].copy()
    rows["_order"] = [topics.index(t) for t in rows["topic"]]
    return rows.sort_values("_order", kind="stable").drop(columns="_order")


#: Topics on which several rows are complementary, not contradictory.
COMPLEMENTARY = {"distributor", "the footage", "the pastor's work"}


def conflicts(facts: Any) -> Any:
    """The topics on which sources give different values (every row of those topics)."""
    counts = facts.groupby("topic")["value"].nunique()
    topics = [t for t in counts.index if counts[t] > 1 and t not in COMPLEMENTARY]
    return facts[facts["topic"].isin(topics)].sort_values("topic", kind="stable")


def days_between(milestones: Any, first_event: str, second_event: str) -> int:
    """Days between two milestones found by a word in their ``event``."""
    from beyond_utopia.data import parse_partial_date

    def date_of(word: str):
        row = milestones[milestones["event"].str.contains(word, case=False)].iloc[0]
        return parse_partial_date(row["date"])[0]

    return (date_of(second_event) - date_of(first_event)).days


def dates_of(milestones: Any, word: str) -> list[str]:
    """Every date the milestones give for events that mention ``word``."""
    rows = milestones[milestones["event"].str.contains(word, case=False)]
    return sorted(rows["date"].unique())
