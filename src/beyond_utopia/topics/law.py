"""The law and the UN: resolutions and votes (notebook 06)."""

from __future__ import annotations

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.formats import esc
from beyond_utopia.style import MUTED, SERIES_COLOURS, VOTE_COLOURS, Chart, base_figure, publishers

BODIES = ("General Assembly", "Third Committee")


def votes() -> pd.DataFrame:
    """``un_votes.csv``: one row per resolution and body."""
    return data.load("un_votes")


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check ``start_year`` / ``end_year`` against the years the votes table covers."""
    return params.year_range("start_year", start_year, "end_year", end_year,
                             int(frame["year"].min()), int(frame["year"].max()))


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

def votes_chart(votes: pd.DataFrame, sources: pd.DataFrame | None = None,
                body: str = "General Assembly") -> Chart:
    """The General Assembly's yearly resolution: recorded votes, or adopted without a vote."""
    publisher = publishers(sources)
    rows = votes[votes["body"] == body].sort_values("year").reset_index(drop=True)
    recorded = rows[rows["method"] == "recorded vote"]
    fig = base_figure(f"UN {body} resolutions on human rights in North Korea",
                xaxis=dict(title="Year", dtick=2), hovermode="x unified", barmode="stack")
    for col, name in (("yes", "In favour"), ("abstain", "Abstained"), ("no", "Against")):
        fig.add_bar(x=[int(y) for y in recorded["year"]], y=[int(v) for v in recorded[col]],
                    name=name, marker_color=VOTE_COLOURS[col],
                    customdata=[esc(publisher.get(s, s)) for s in recorded["source_id"]],
                    hovertemplate=f"{name}: " + "%{y}<br>Source: %{customdata}<extra></extra>")
    other = rows[rows["method"] != "recorded vote"]
    if len(other):
        top = int((recorded["yes"] + recorded["no"] + recorded["abstain"]).max()) \
            if len(recorded) else 100
        fig.add_scatter(
            x=[int(y) for y in other["year"]], y=[top * 0.5] * len(other), mode="markers",
            name="adopted without a vote (or method not verified)",
            marker=dict(symbol=["circle" if m == "without a vote" else "circle-open"
                                for m in other["method"]], size=14,
                        color=SERIES_COLOURS["total"]),
            customdata=[[esc(m), esc(publisher.get(s, s))]
                        for m, s in zip(other["method"], other["source_id"], strict=True)],
            hovertemplate="%{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>")
    nr = rows[rows["non_refoulement"] == "yes"]
    if len(nr):
        fig.add_vline(x=int(nr["year"].min()) - 0.5, line=dict(color=MUTED, dash="dot"),
                      annotation_text="first text found urging non-refoulement",
                      annotation_position="top right", annotation_font_size=11)
    fig.update_yaxes(title="Member states")
    counts = ", ".join(f"{int(r.year)}: {int(r.yes)}-{int(r.no)}-{int(r.abstain)}"
                       for r in recorded.itertuples())
    desc = f"A stacked bar chart of {len(recorded)} recorded votes"
    if len(recorded):
        desc += f" ({counts}; in favour-against-abstained)"
    desc += (f" and {int((other['method'] == 'without a vote').sum())} resolutions adopted "
             "without a vote")
    unverified = other[other["method"] == "unverified"]
    if len(unverified):
        years = ", ".join(str(int(y)) for y in unverified["year"])
        desc += f"; for {years} the method is not verified"
    if len(nr):
        desc += (f". The first text we found urging all states to respect non-refoulement is "
                 f"from {int(nr['year'].min())}")
    return Chart(fig, caption=f"Figure: {body} votes, {int(rows['year'].min())}–"
                 f"{int(rows['year'].max())}.", description=desc + ".",
                 table=rows[["year", "date", "symbol", "method", "yes", "no", "abstain",
                             "non_refoulement", "source_id"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    votes = data.load("un_votes")
    plenary = votes[(votes["body"] == "General Assembly") & (votes["method"] == "recorded vote")]
    over = plenary[plenary["yes"] > 100]
    share = share_in_favour(votes)
    claims = data.load("claims")
    counts = claims["verdict"].value_counts()
    unconfirmed = claims[claims["verdict"] == "not found elsewhere"]["claim"]
    return {
        "first_without_vote": first_without_vote(votes),
        "over_100": len(over), "over_100_years": ", ".join(str(int(y)) for y in over["year"]),
        "share_year": int(share.idxmax()), "share_max": f"{share.max():.1f}",
        "share_min_year": int(share.idxmin()), "share_min": f"{share.min():.1f}",
        "verdicts": ", ".join(f"{v} {n}" for v, n in counts.items()),
        "unconfirmed": "; ".join(unconfirmed),
    }
