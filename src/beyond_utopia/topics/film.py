"""The film, told: a viewing companion to Beyond Utopia (notebook 01).

The story rows (``film_story.csv``) are what reviews, interviews and the makers'
own materials say, each with its source; this module turns them into Markdown (every
value escaped), draws the film's milestones, and computes every number the notebook and
its teacher notes quote. What Pastor Kim says a rescue costs is notebook 02's
(``journey.rescue_summary``), beside the other reported fees.
"""

from __future__ import annotations

import re

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.data import parse_partial_date
from beyond_utopia.formats import esc, esc_text
from beyond_utopia.style import (
    ERA_FILL,
    GRID,
    INK,
    KIND_COLOURS,
    MUTED,
    WHITE,
    Chart,
    base_figure,
    fit_title,
    join,
    label,
    publishers,
)

#: The strands of the story, in the order the notebook tells them, with their headings.
THREADS = {
    "family": "The Roh family's journey",
    "mother": "The mother and her son",
    "pastor": "The pastor and his network",
    "voices": "The other voices",
}

#: Points of each part of the story the reading page shows before "Show all" (the rest is
#: one click away; JupyterLab shows them all).
KEY_POINTS = 2

#: Topics on which several rows are complementary, not contradictory.
COMPLEMENTARY = {"distributor", "the footage"}

#: Milestones the text discusses, labelled on the chart: a word of the event, the label,
#: and where the label sits (above or below its marker).
TURNING_POINTS = (
    ("World premiere", "Premiere", -1),
    ("Audience Award", "Sundance award", 1),
    ("Shortlisted", "Oscar shortlist", -1),
    ("Not among", "No Oscar nomination", 1),
    ("Independent Lens", "On PBS", -1),
    ("Programme Acquisition", "BBC award", 1),
)


# Parameters and tables
# ----------------------------------------------------------------------

def _enum(resource: str, field: str) -> list[str]:
    fields = data.resource(resource)["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def kinds() -> list[str]:
    """The kinds of milestone the table allows, in the schema's order."""
    return _enum("film_milestones", "kind")


def check_kinds(name: str, values: object) -> list[str]:
    return params.choices(name, values, kinds())


def story(part: str, thread: str | None = None) -> pd.DataFrame:
    """The rows of one part of the companion (and one strand of it), in order."""
    rows = data.load("film_story")
    if part not in _enum("film_story", "part"):
        raise KeyError(f"no part {part!r} in film_story.csv")
    rows = rows[rows["part"] == part]
    if thread is not None:
        rows = rows[rows["thread"] == thread]
    return rows.sort_values("order").reset_index(drop=True)


def facts_about(facts: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """The facts on the given topics, in the order of ``topics``."""
    rows = facts[facts["topic"].isin(topics)].copy()
    rows["_order"] = [topics.index(t) for t in rows["topic"]]
    return rows.sort_values("_order", kind="stable").drop(columns="_order")


def conflicts(facts: pd.DataFrame) -> pd.DataFrame:
    """The topics on which sources give different values (every row of those topics)."""
    counts = facts.groupby("topic")["value"].nunique()
    topics = [t for t in counts.index if counts[t] > 1 and t not in COMPLEMENTARY]
    return facts[facts["topic"].isin(topics)].sort_values("topic", kind="stable")


def date_of(milestones: pd.DataFrame, word: str):
    """The date of the first milestone whose ``event`` contains ``word``."""
    rows = milestones[milestones["event"].str.contains(word, case=False, regex=False)]
    if rows.empty:
        raise KeyError(f"no milestone mentions {word!r}")
    return parse_partial_date(sorted(rows["date"])[0])[0]


def days_between(milestones: pd.DataFrame, first_event: str, second_event: str) -> int:
    """Days between two milestones found by a word in their ``event``."""
    return (date_of(milestones, second_event) - date_of(milestones, first_event)).days


def months_between(milestones: pd.DataFrame, first_event: str, second_event: str) -> int:
    """Calendar months between two milestones (January to December is 11)."""
    a, b = date_of(milestones, first_event), date_of(milestones, second_event)
    return (b.year - a.year) * 12 + b.month - a.month


def sentences(text: str) -> int:
    """How many sentences a quotation has (a full stop, ! or ? followed by a space or
    the end; "No. 1" is not a sentence end)."""
    text = re.sub(r"\bNo\.\s", "No ", str(text).strip())
    ends = len(re.findall(r"[.!?…][’'”\"]?\s", text))
    return ends + 1


def speakers(rows: pd.DataFrame) -> pd.Series:
    """How many quotations each speaker has, the most quoted first. A speaker named
    "X, as quoted by Y" or "X, about Z" counts as X."""
    quoted = rows[rows["quote"].notna()]
    names = quoted["speaker"].str.split(",").str[0].str.strip()
    return names.value_counts()


# Markdown
# ----------------------------------------------------------------------

def md_text(value: object) -> str:
    """A value for Markdown prose: markup escaped, and dollar signs escaped too, because
    JupyterLab and the site read a pair of them as the start and end of a formula."""
    return esc_text(value).replace("$", "\\$")


def _cite(source_id: str, publisher: dict[str, str]) -> str:
    return md_text(publisher.get(source_id, source_id))


def story_markdown(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> str:
    """Story rows as a Markdown list: the point, a short quotation with its speaker, and
    the source's publisher. Every value is escaped: markup in the table is shown as text."""
    publisher = publishers(sources)
    lines = [f"<!-- key points: {KEY_POINTS} -->", ""]  # the site shows these, then the rest
    for r in rows.itertuples():
        topic = str(r.topic)
        line = f"- **{md_text(topic[:1].upper() + topic[1:])}.** {md_text(r.text)}"
        if isinstance(r.quote, str) and r.quote:
            line += f" “{md_text(r.quote)}” ({md_text(r.speaker)})"
        line += f" *Source: {_cite(r.source_id, publisher)}.*"
        lines.append(line)
    return "\n".join(lines)


def legs_table(legs: pd.DataFrame) -> pd.DataFrame:
    """The journey's legs for display: leg, from, to, how, what the source adds."""
    return legs.rename(columns={"from_place": "from", "to_place": "to", "mode": "how"})[
        ["leg", "from", "to", "how", "detail", "source_id"]]


# Figures
# ----------------------------------------------------------------------

def milestones_title(milestones: pd.DataFrame) -> str:
    """The milestones chart's finding, computed from the milestones shown."""
    try:
        months = months_between(milestones, "World premiere", "Shortlisted")
        return f"From its Sundance premiere to the Oscar shortlist took {months} months"
    except KeyError:
        counts = milestones["kind"].value_counts()
        what = join([f"{n} {k}{'s' if n > 1 else ''}" for k, n in counts.items()])
        return f"Beyond Utopia's path: {what}"


def milestones_chart(milestones: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """The film's festivals, releases, broadcasts, nominations and awards on a time axis,
    one row per kind (the axis names the kinds), turning points labelled on the chart."""
    publisher = publishers(sources)
    order = [k for k in kinds() if k in set(milestones["kind"])]
    first = min(parse_partial_date(d)[0] for d in milestones["date"])
    last = max(parse_partial_date(d)[0] for d in milestones["date"])
    span = f"{first:%B %Y} to {last:%B %Y}"
    fig = base_figure("", xaxis=dict(title=None, type="date", showgrid=True, gridcolor=GRID,
                                     nticks=6),
                      hovermode="closest", showlegend=False, margin=dict(l=92, r=24, b=40))
    try:  # the title's finding, drawn: a band from the premiere to the shortlist
        band = (date_of(milestones, "World premiere"), date_of(milestones, "Shortlisted"))
        months = months_between(milestones, "World premiere", "Shortlisted")
    except KeyError:
        band = None
    fit_title(fig, milestones_title(milestones),
              f"Milestones of the film by kind, {span}; sources: festival, trade and news "
              "reports", extra_top=22 if band else 0, plot_px=60 + 62 * len(order))
    if band:
        fig.add_vrect(x0=band[0].isoformat(), x1=band[1].isoformat(), fillcolor=ERA_FILL,
                      line_width=0, layer="below")
        middle = band[0] + (band[1] - band[0]) / 2
        label(fig, middle.isoformat(), 1, f"{months} months, premiere to shortlist",
              yref="paper", yanchor="bottom", showarrow=False, font=dict(size=12, color=INK))
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
    for word, text, side in TURNING_POINTS:
        rows = milestones[milestones["event"].str.contains(word, case=False, regex=False)]
        for r in rows.head(1).itertuples():
            when = parse_partial_date(r.date)[0]
            # a label near the right edge ends at its marker, so it stays inside the figure
            edge = "right" if (last - when).days < 60 and when != first else "center"
            label(fig, when.isoformat(), r.kind, text, ay=30 * side, xanchor=edge,
                  font=dict(size=11, color=MUTED))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None,
                     showgrid=False)
    counts = milestones["kind"].value_counts()
    desc = (f"A timeline of {len(milestones)} milestones from {span}: "
            + join([f"{counts[k]} {k}{'' if counts[k] == 1 else 's'}" for k in order]) + ".")
    labelled = [t for w, t, _ in TURNING_POINTS
                if milestones["event"].str.contains(w, case=False, regex=False).any()]
    if labelled:
        desc += f" Labelled on the chart: {join(labelled)}."
    if band:
        desc += f" A shaded band marks the {months} months from the premiere to the shortlist."
    return Chart(fig, caption="Figure: the film's path, from its premiere to the awards.",
                 description=desc, table=milestones[["date", "kind", "event", "source_id"]],
                 notes=["The film also played festivals between its premiere and October "
                        "2023 (listed under the chart); the sources used here do not give "
                        "their dates."])


# Teacher notes
# ----------------------------------------------------------------------

def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    ms = data.load("film_milestones")
    rows = data.load("film_story")
    shortlist = date_of(ms, "Shortlisted")
    after = ms[[parse_partial_date(d)[0] > shortlist for d in ms["date"]]]
    who = speakers(rows)
    quoted = rows[rows["quote"].notna()]
    per_part = rows.groupby("part").agg(points=("order", "size"),
                                        sources=("source_id", "nunique"))
    thinnest = per_part["sources"].idxmin()
    first_release = sorted(ms[ms["kind"] == "release"]["date"])[0]
    first_broadcast = sorted(ms[ms["kind"] == "broadcast"]["date"])[0]
    premiere = date_of(ms, "World premiere")
    return {
        "after_shortlist": join([f"{e} ({d})" for d, e in zip(after["date"], after["event"],
                                                               strict=True)]),
        "after_shortlist_awards": join(list(after[after["kind"] == "award"]["event"]))
        or "none",
        "days_to_cinema": (parse_partial_date(first_release)[0] - premiere).days,
        "days_to_tv": (parse_partial_date(first_broadcast)[0] - premiere).days,
        "quotes": len(quoted),
        "top_speaker": who.index[0], "top_count": int(who.iloc[0]),
        "speaker_counts": ", ".join(f"{n} {c}" for n, c in who.head(5).items()),
        "family_quotes": int(sum(n for s, n in who.items() if "grandmother" in s)),
        "parts_table": "; ".join(f"{p}: {int(r.points)} points from {int(r.sources)} sources"
                                 for p, r in per_part.iterrows()),
        "thinnest_part": thinnest,
        "thinnest_sources": int(per_part.loc[thinnest, "sources"]),
    }
