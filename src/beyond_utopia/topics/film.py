"""The film and the people it follows (notebook 01)."""

from __future__ import annotations

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.data import parse_partial_date
from beyond_utopia.formats import esc
from beyond_utopia.style import KIND_COLOURS, WHITE, Chart, base_figure, publishers


def kinds() -> list[str]:
    """The kinds of milestone the table allows, in the schema's order."""
    fields = data.resource("film_milestones")["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == "kind")["constraints"]["enum"])


def check_kinds(name: str, values: object) -> list[str]:
    return params.choices(name, values, kinds())


def facts_about(facts: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """The facts on the given topics, in the order of ``topics``."""
    rows = facts[facts["topic"].isin(topics)].copy()
    rows["_order"] = [topics.index(t) for t in rows["topic"]]
    return rows.sort_values("_order", kind="stable").drop(columns="_order")


#: Topics on which several rows are complementary, not contradictory.
COMPLEMENTARY = {"distributor", "the footage", "the pastor's work"}


def conflicts(facts: pd.DataFrame) -> pd.DataFrame:
    """The topics on which sources give different values (every row of those topics)."""
    counts = facts.groupby("topic")["value"].nunique()
    topics = [t for t in counts.index if counts[t] > 1 and t not in COMPLEMENTARY]
    return facts[facts["topic"].isin(topics)].sort_values("topic", kind="stable")


def days_between(milestones: pd.DataFrame, first_event: str, second_event: str) -> int:
    """Days between two milestones found by a word in their ``event``."""

    def date_of(word: str):
        row = milestones[milestones["event"].str.contains(word, case=False)].iloc[0]
        return parse_partial_date(row["date"])[0]

    return (date_of(second_event) - date_of(first_event)).days


def dates_of(milestones: pd.DataFrame, word: str) -> list[str]:
    """Every date the milestones give for events that mention ``word``."""
    rows = milestones[milestones["event"].str.contains(word, case=False)]
    return sorted(rows["date"].unique())


# Figures
# ----------------------------------------------------------------------

def milestones_chart(milestones: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """The film's festivals, releases, broadcasts and awards on a time axis."""

    publisher = publishers(sources)
    order = [k for k in KIND_COLOURS if k in set(milestones["kind"])]
    fig = base_figure("Beyond Utopia: from Sundance to the awards season",
                xaxis=dict(title="Date", type="date"), hovermode="closest",
                height=140 + 55 * len(order))
    for kind in order:
        group = milestones[milestones["kind"] == kind]
        fig.add_scatter(
            x=[parse_partial_date(d)[0].isoformat() for d in group["date"]],
            y=[kind] * len(group), mode="markers", name=kind,
            marker=dict(size=13, color=KIND_COLOURS[kind], line=dict(width=1, color=WHITE)),
            customdata=[[esc(d), esc(e), esc(publisher.get(s, s))] for d, e, s in
                        zip(group["date"], group["event"], group["source_id"], strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<br>Source: %{customdata[2]}"
                          "<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    counts = milestones["kind"].value_counts()
    desc = (f"A timeline of {len(milestones)} milestones from {milestones['date'].min()} to "
            f"{milestones['date'].max()}: " + ", ".join(f"{counts[k]} {k}" for k in order) + ".")
    return Chart(fig, caption="Figure: the film's path.", description=desc,
                 table=milestones[["date", "kind", "event", "source_id"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    facts = data.load("film_facts")
    ms = data.load("film_milestones")
    c = conflicts(facts).groupby("topic")["value"].nunique().sort_values(ascending=False)
    months = ms["date"].str[:7].value_counts()
    months = months[months.index.str.len() == 7]
    premiere = ms[ms["event"].str.contains("World premiere")]["date"].iloc[0]
    award = ms[ms["event"].str.contains("Audience Award")]["date"].iloc[0]
    return {
        "premiere": premiere, "award": award,
        "days": days_between(ms, "World premiere", "Audience Award"),
        "conflict_topics": ", ".join(c.index), "most_topic": c.index[0],
        "most_count": int(c.iloc[0]),
        "by_kind": ", ".join(f"{k} {n}" for k, n in ms["kind"].value_counts().items()),
        "busiest_month": months.index[0], "busiest_count": int(months.iloc[0]),
    }
