"""The law and the UN: resolutions and votes (notebook 06)."""

from __future__ import annotations

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.formats import esc, esc_text
from beyond_utopia.style import (
    ERA_FILL,
    GREY,
    INK,
    MUTED,
    VOTE_COLOURS,
    WHITE,
    Chart,
    base_figure,
    fit_title,
    publishers,
    wrap,
)

BODIES = ("General Assembly", "Third Committee")


def votes() -> pd.DataFrame:
    """``un_votes.csv``: one row per resolution and body."""
    return data.load("un_votes")


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check ``start_year`` / ``end_year`` against the years the votes table covers;
    ``None`` means the table's first or last year, so a new year shows without an edit."""
    first, last = int(frame["year"].min()), int(frame["year"].max())
    return params.year_range("start_year", first if start_year is None else start_year,
                             "end_year", last if end_year is None else end_year, first, last)


def check_body(body: object) -> str:
    """Check the ``body`` parameter: the plenary or the Third Committee."""
    return str(params.choice("body", body, BODIES))


def first_without_vote(votes: pd.DataFrame, body: str = "General Assembly") -> int:
    rows = votes[(votes["body"] == body) & (votes["method"] == "without a vote")]
    return int(rows["year"].min())


def first_non_refoulement(votes: pd.DataFrame) -> int:
    return int(votes.loc[votes["non_refoulement"] == "yes", "year"].min())


def share_in_favour(votes: pd.DataFrame, body: str = "General Assembly") -> pd.DataFrame:
    """For each recorded vote, the share in favour of the votes cast for or against (%)."""
    rows = votes[(votes["body"] == body) & (votes["method"] == "recorded vote")].copy()
    rows["share_in_favour"] = (rows["yes"] / (rows["yes"] + rows["no"]) * 100).astype(float)
    return rows.set_index("year")["share_in_favour"]


# Figures
# ----------------------------------------------------------------------

def runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) runs: ``[2012, 2013, 2016]`` -> ``[(2012, 2013),
    (2016, 2016)]``."""
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def votes_title(rows: pd.DataFrame, body: str = "General Assembly") -> str:
    """The votes chart's finding, from its rows (one body, one period)."""
    years = [int(y) for y in rows["year"]]
    y0, y1 = min(years), max(years)
    recorded = rows[rows["method"] == "recorded vote"]
    quiet = rows[rows["method"] == "without a vote"]
    every = set(range(y0, y1 + 1)) <= set(years) and bool((recorded["yes"] > recorded["no"]).all())
    head = f"Adopted every year {y0}–{y1}" if every else f"{len(rows)} resolutions, {y0}–{y1}"
    if len(quiet):
        last = int(recorded["year"].max()) if len(recorded) else y0 - 1
        after = rows[rows["year"] > last]
        if len(after) and not (after["method"] == "recorded vote").any():
            since = int(after["year"].min())
            verified = "" if (after["method"] == "without a vote").all() else " verified"
            return f"{head}; without a vote in every{verified} year since {since}"
    if len(recorded) and not len(quiet):
        first, final = int(recorded["yes"].iloc[0]), int(recorded["yes"].iloc[-1])
        trend = "rose" if final > first else "fell" if final < first else "stayed"
        return (f"Passed in all {len(recorded)} recorded votes, {y0}–{y1}; in favour {trend} "
                f"from {first} to {final}")
    return f"{head}: {len(recorded)} recorded votes, {len(quiet)} without a vote"


def votes_chart(votes: pd.DataFrame, sources: pd.DataFrame | None = None,
                body: str = "General Assembly") -> Chart:
    """The yearly resolution: recorded votes as stacked bars, the years it was adopted
    without a vote as labelled bands (they have no count to draw)."""
    publisher = publishers(sources)
    rows = votes[votes["body"] == body].sort_values("year").reset_index(drop=True)
    recorded = rows[rows["method"] == "recorded vote"]
    y0, y1 = int(rows["year"].min()), int(rows["year"].max())
    title = votes_title(rows, body)
    top = int((recorded["yes"] + recorded["no"] + recorded["abstain"]).max()) \
        if len(recorded) else 100
    fig = base_figure("", hovermode="x unified", barmode="stack", height=460,
                      xaxis=dict(title=None, dtick=5 if y1 - y0 > 12 else 2 if y1 - y0 > 5 else 1,
                                 tickangle=0,
                                 range=[y0 - 0.6, y1 + 0.6], fixedrange=True),
                      yaxis=dict(title="Member states voting", range=[0, top * 1.45],
                                 fixedrange=True),
                      legend=dict(y=-0.12, traceorder="normal"), margin=dict(l=60, r=16, b=70))
    for col, name in (("yes", "In favour"), ("no", "Against"), ("abstain", "Abstained")):
        fig.add_bar(x=[int(y) for y in recorded["year"]], y=[int(v) for v in recorded[col]],
                    name=name, marker_color=VOTE_COLOURS[col],
                    customdata=[esc(publisher.get(s, s)) for s in recorded["source_id"]],
                    hovertemplate=f"{name}: " + "%{y}<br>Source: %{customdata}<extra></extra>")
    for method, text in (("without a vote", "adopted without a vote"),
                         ("unverified", "method not verified")):
        for a, b in runs([int(y) for y in rows.loc[rows["method"] == method, "year"]]):
            fig.add_vrect(x0=a - 0.45, x1=b + 0.45, layer="below", line_width=1,
                          fillcolor=ERA_FILL if method == "without a vote" else WHITE,
                          line=dict(color=GREY, dash="solid" if method == "without a vote"
                                    else "dot"))
            fig.add_annotation(x=(a + b) / 2, y=0.02, yref="y domain", yanchor="bottom",
                               text=text, textangle=-90, showarrow=False,
                               font=dict(size=11, color=MUTED))
    nr = rows[rows["non_refoulement"] == "yes"]
    if len(nr):
        first_nr = int(nr["year"].min())
        fig.add_vline(x=first_nr - 0.5, line=dict(color=MUTED, dash="dot"))
        fig.add_annotation(x=first_nr - 0.5, y=1, yref="y domain", xanchor="left",
                           yanchor="top", align="left", showarrow=False,
                           text=wrap(f"{first_nr}: earliest text found urging all states "
                                     "to respect non-refoulement", 26),
                           font=dict(size=11, color=INK), bgcolor="rgba(255,255,255,0.85)")
    shaded = ("; shaded: adopted without a vote, so no count exists"
              if (rows["method"] != "recorded vote").any() else "")
    fit_title(fig, title, f"UN {body}, {y0}–{y1}: states voting for, against and "
              f"abstaining{shaded}. Sources: the table below")
    counts = ", ".join(f"{int(r.year)}: {int(r.yes)}-{int(r.no)}-{int(r.abstain)}"
                       for r in recorded.itertuples())
    other = rows[rows["method"] != "recorded vote"]
    desc = f"{esc_text(title)}. A stacked bar chart of {len(recorded)} recorded votes"
    if len(recorded):
        desc += f" ({counts}; in favour-against-abstained)"
    quiet = [int(y) for y in other.loc[other["method"] == "without a vote", "year"]]
    desc += (f" and {len(quiet)} years shaded as adopted without a vote ("
             + ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in runs(quiet)) + ")"
             if quiet else "")
    missing = sorted(set(range(y0, y1 + 1)) - {int(y) for y in rows["year"]})
    if missing:
        desc += "; the table has no row for " + ", ".join(map(str, missing))
    unverified = other[other["method"] == "unverified"]
    if len(unverified):
        years = ", ".join(str(int(y)) for y in unverified["year"])
        desc += f"; for {years} the method is not verified"
    if len(nr):
        desc += (f". The first text we found urging all states to respect non-refoulement is "
                 f"from {int(nr['year'].min())}")
    return Chart(fig, caption=f"Figure: {body} votes, {y0}–{y1}.", description=desc + ".",
                 table=rows[["year", "date", "symbol", "method", "yes", "no", "abstain",
                             "non_refoulement", "source_id"]])


def committee_gain(votes: pd.DataFrame) -> pd.Series:
    """For each year with a recorded vote in both bodies: the plenary's votes in favour
    minus the Third Committee's (positive: the plenary added votes)."""
    recorded = votes[votes["method"] == "recorded vote"]
    yes = recorded.pivot_table(index="year", columns="body", values="yes", aggfunc="first")
    both = yes.dropna()
    return (both["General Assembly"] - both["Third Committee"]).astype(int)


def sur_place(law: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``law.csv`` about refugees *sur place*."""
    return law[law["topic"].str.contains("sur place", case=False)]


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    votes = data.load("un_votes")
    plenary = votes[votes["body"] == "General Assembly"]
    recorded = plenary[plenary["method"] == "recorded vote"]
    share = share_in_favour(votes)
    gain = committee_gain(votes)
    claims = data.load("claims")
    counts = claims["verdict"].value_counts()
    unconfirmed = claims[claims["verdict"] == "not found elsewhere"]["claim"]
    return {
        "n_plenary": len(plenary), "first_year": int(plenary["year"].min()),
        "last_year": int(plenary["year"].max()),
        "first_without_vote": first_without_vote(votes),
        "last_recorded": int(recorded["year"].max()), "n_recorded": len(recorded),
        "against_last": int(recorded["no"].iloc[-1]),
        "first_nr": first_non_refoulement(votes),
        "unverified": ", ".join(str(int(y)) for y in
                                plenary.loc[plenary["method"] == "unverified", "year"]),
        "share_year": int(share.idxmax()), "share_max": f"{share.max():.1f}",
        "share_min_year": int(share.idxmin()), "share_min": f"{share.min():.1f}",
        "yes_max_year": int(recorded.loc[recorded["yes"].idxmax(), "year"]),
        "yes_max": int(recorded["yes"].max()),
        "gain": ", ".join(f"{y}: {g:+d}" for y, g in gain.items()),
        "gain_all_positive": "yes" if (gain > 0).all() else "no",
        "verdicts": ", ".join(f"{esc_text(v)} {n}" for v, n in counts.items()),
        "unconfirmed": esc_text("; ".join(unconfirmed)),
    }
