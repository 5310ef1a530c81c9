"""After the return (notebook 05): what happens to the people China sends back, and why
most who escape are women. The tables describe practice as reports give it; none counts the
people China returns. How South Korea receives those who reach it is notebook 08's
(``reception``). Nothing here prints."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from beyond_utopia import data, params
from beyond_utopia.formats import esc, fmt, missing
from beyond_utopia.style import (
    GREY,
    INK,
    MUTED,
    SERIES_COLOURS,
    WHITE,
    WIDE_TITLE_LINES,
    Chart,
    base_figure,
    fit_wide,
    flow_boxes,
    join,
    kinds_of,
    publishers,
    wide_layout,
    wrapped_titles,
)
from beyond_utopia.topics import arrivals

#: The steps of the diagram, in order (``overall finding`` rows are not a step).
STAGES = ("caught in China", "held in China", "handed over", "questioned",
          "held for questioning", "punished")


def process(include_anonymous: bool = True) -> pd.DataFrame:
    """``return_process.csv``, without the reports that rest on anonymous sources if asked."""
    rows = data.load("return_process").sort_values("order").reset_index(drop=True)
    return rows if include_anonymous else rows[rows["anonymous"] == "no"].reset_index(drop=True)


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check ``start_year`` / ``end_year`` against the years the ministry splits by sex;
    ``None`` stands for the first or the last of those years."""
    years = arrivals.yearly(frame).index
    first, last = int(years.min()), int(years.max())
    return params.year_range("start_year", first if start_year is None else start_year,
                             "end_year", last if end_year is None else end_year, first, last)


# The path from capture to punishment
# ----------------------------------------------------------------------

def stages(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per step: the places named, the key points, and how many sources (and how
    many resting on anonymous sources) describe it."""
    out = []
    for stage in STAGES:
        part = rows[rows["stage"] == stage]
        if not len(part):
            continue
        places = [p for p in dict.fromkeys(part["place"]) if not missing(p)]
        points = [p for p in dict.fromkeys(part["key_point"]) if not missing(p)]
        out.append({"stage": stage, "places": places, "points": points,
                    "sources": part["source_id"].nunique(),
                    "anonymous": int((part["anonymous"] == "yes").sum())})
    return pd.DataFrame(out)


def _wrap(text: str, width: int = 46) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def figure(title: str, subtitle: str, **layout) -> go.Figure:
    """A house-style figure whose title and subtitle are wrapped to fit a 390 px phone
    (plotly does not wrap them), and in fewer lines on a wide screen; the top margin grows
    with the number of lines. Set the height, then call ``fit_wide``."""
    fig = base_figure(title, subtitle=subtitle, **layout)
    fig.update_layout(**wrapped_titles(title, subtitle, 40, 58))
    wide_layout(fig, **wrapped_titles(title, subtitle, *WIDE_TITLE_LINES))
    return fig


def path_chart(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """The path from capture in China to punishment, as a labelled sequence of boxes: a
    sourced qualitative diagram, not a count."""
    steps = stages(rows)
    shown = rows[rows["stage"].isin(STAGES)]
    n_sources = shown["source_id"].nunique()
    fig = figure(
        f"From capture in China to punishment: {len(steps)} steps, as {n_sources} sources "
        "describe them",
        "A diagram of what reports describe, not a count of people. "
        + kinds_of(shown["source_id"], sources),
        xaxis=dict(visible=False, range=[0, 1], fixedrange=True),
        yaxis=dict(visible=False, fixedrange=True), showlegend=False,
        margin=dict(l=8, r=8, b=16), dragmode=False)
    def boxes(width: int) -> list[tuple[list[str], bool]]:
        out = []
        for i, step in enumerate(steps.itertuples(), start=1):
            lines = [f"<b>{i}. {esc(step.stage[0].upper() + step.stage[1:])}</b>"]
            for text in [*step.places, *step.points]:
                lines += [esc(t) for t in _wrap(text, width)]
            count = f"{step.sources} source{'s' if step.sources != 1 else ''}"
            if step.anonymous:
                count += f", {step.anonymous} of them anonymous"
            out.append(([*lines, f"<i>{count}</i>"], bool(step.anonymous)))
        return out

    note = ("Dashed outline: part of the box rests on anonymous sources."
            if steps["anonymous"].any() else None)
    around = fig.layout.margin.t + fig.layout.margin.b
    narrow, wide = flow_boxes(boxes(46), 1, note=note), flow_boxes(boxes(38), 3, note=note)
    fig.update_layout(height=int(around + narrow.pop("below")), **narrow)
    fit_wide(fig, wide.pop("below"))
    wide_layout(fig, **wide)  # 2 rows of 3 boxes
    description = describe_path(steps)
    return Chart(fig, caption="Figure: the path from capture in China to punishment, as the "
                 "reports describe it.", description=description,
                 table=shown[["order", "stage", "place", "run_by", "anonymous", "source_id"]])


def describe_path(steps: pd.DataFrame) -> str:
    parts = [f"Step {i}, {s.stage}" + (f" ({'; '.join(s.places)})" if s.places else "")
             for i, s in enumerate(steps.itertuples(), start=1)]
    dashed = [s.stage for s in steps.itertuples() if s.anonymous]
    text = (f"A diagram of {len(steps)} boxes joined by arrows, one for each step: "
            + ". ".join(parts) + ".")
    if dashed:
        text += (f" The boxes for {join(dashed)} have a dashed outline: part of what they "
                 "show rests on anonymous sources.")
    return text


# Why most who escape are women
# ----------------------------------------------------------------------

def women_share(frame: pd.DataFrame, start: int, end: int) -> dict:
    """Women's share of all arrivals from ``start`` to ``end`` (the ministry's yearly rows),
    with the lowest and highest yearly share and their years."""
    rows = arrivals.yearly(frame, start, end)
    yearly = (rows["female"] / rows["total"] * 100).astype(float)
    return {"share": float(rows["female"].sum() / rows["total"].sum() * 100),
            "women": int(rows["female"].sum()), "total": int(rows["total"].sum()),
            "low_year": int(yearly.idxmin()), "low": float(yearly.min()),
            "high_year": int(yearly.idxmax()), "high": float(yearly.max()),
            "men_years": [int(y) for y in rows.index[rows["male"] > rows["female"]]]}


def worded(value: float, qualifier: object, unit: str = "%") -> str:
    """``close to 50%``: a value with the source's own wording."""
    number = f"{value:g}{unit}"
    return number if missing(qualifier) else f"{qualifier} {number}"


def shares_chart(frame: pd.DataFrame, estimates: pd.DataFrame, start: int, end: int,
                 sources: pd.DataFrame | None = None) -> Chart:
    """Women's share of arrivals beside the estimates from China, each bar labelled with
    what it is a share of; counts, estimates and single anonymous reports drawn apart."""
    share = women_share(frame, start, end)
    names = publishers(sources)
    pct = estimates[estimates["unit"] == "percent"].reset_index(drop=True)
    span = f"in {start}" if start == end else f"{start}–{end}"
    rows = [{"label": f"Women among arrivals in South Korea, {span}",
             "of": f"share of all {fmt(share['total'])} arrivals (Ministry of Unification)",
             "value": share["share"], "text": f"{share['share']:.0f}%", "kind": "count",
             "source": "Ministry of Unification"}]
    seen: set[str] = set()
    for r in pct.itertuples():
        who = "" if r.estimator in seen else f" ({r.estimator}, {r.published})"
        seen.add(r.estimator)
        rows.append({"label": r.measure[0].upper() + r.measure[1:],
                     "of": f"share of {r.share_of}{who}",
                     "value": float(r.value), "text": worded(r.value, r.qualifier),
                     "kind": "one anonymous source" if r.anonymous == "yes" else "estimate",
                     "source": names.get(r.source_id, r.source_id)})
    table = pd.DataFrame(rows)
    whisker = start < end
    fig = figure(f"Women were {share['share']:.0f}% of arrivals {span}; the figures "
                 "from China are estimates",
                 "Percent; each bar is a share of a different group. Sources: Ministry of "
                 "Unification, Korea Future Initiative, Daily NK",
                 xaxis=dict(range=[0, 118], ticksuffix="%", fixedrange=True, dtick=25),
                 yaxis=dict(visible=False, fixedrange=True), bargap=0,
                 margin=dict(l=8, r=12, b=60), hovermode="closest")
    styles = {"count": dict(color=SERIES_COLOURS["female"]),
              "estimate": dict(color=WHITE, pattern=dict(shape="/", fgcolor=SERIES_COLOURS[
                  "female"]), line=dict(color=SERIES_COLOURS["female"], width=1.5)),
              "one anonymous source": dict(color=WHITE, line=dict(color=GREY, width=1.5))}
    legend = {"count": "count", "estimate": "estimate (NGO)",
              "one anonymous source": "one anonymous source"}
    line, bar, gap = 16.5, 22, 16

    def draw(fig: go.Figure, wide: bool) -> float:
        """Lay the rows out in pixels: on a phone each label above its bar; on a wide
        screen beside it, the bars in the right part of the plot. Returns the bottom."""
        tops, y = [], -4.0
        for i, r in enumerate(table.itertuples()):
            lines = [f"<b>{esc(t)}</b>" for t in _wrap(r.label, 54 if wide else 46)]
            lines += [f"<span style='color:{MUTED}'>{esc(t)}</span>"
                      for t in _wrap(r.of, 60 if wide else 54)]
            high = max(line * len(lines), bar) if wide else line * len(lines) + 10 + bar
            tops.append(y - high / 2 if wide else y - high + bar / 2)
            at = (dict(x=0, xref="paper", y=tops[-1], yanchor="middle") if wide else
                  dict(x=0, xref="x", y=tops[-1] + bar / 2, yanchor="bottom", yshift=2))
            fig.add_annotation(**at, yref="y", text="<br>".join(lines), showarrow=False,
                               xanchor="left", align="left", font=dict(size=11, color=INK))
            y -= high + gap + (line + 14 if i == 0 and whisker else 0)
        for kind, style in styles.items():
            part = table[table["kind"] == kind]
            if len(part):
                fig.add_bar(x=list(part["value"]), y=[tops[i] for i in part.index],
                            orientation="h", width=bar, marker=style, name=legend[kind],
                            text=list(part["text"]), insidetextanchor="end",
                            textposition="inside" if kind == "count" else "outside",
                            textfont=dict(size=12), cliponaxis=False,
                            customdata=[esc(s) for s in part["source"]],
                            hovertemplate="%{x:.0f}%<br>Source: %{customdata}<extra></extra>")
        if whisker:
            y0 = tops[0] - bar / 2 - 6
            fig.add_scatter(x=[share["low"], share["high"]], y=[y0, y0], mode="lines+markers",
                            line=dict(color=INK, width=1.5), hoverinfo="skip",
                            marker=dict(symbol="line-ns-open", size=14, color=INK),
                            name="lowest and highest yearly share")
            for x, year in ((share["low"], share["low_year"]),
                            (share["high"], share["high_year"])):
                fig.add_annotation(x=x, y=y0 - 6, text=f"{year}: {x:.0f}%", showarrow=False,
                                   yanchor="top", font=dict(size=11, color=INK))
        return y

    y = draw(fig, wide=False)
    fig.update_layout(height=int(fig.layout.margin.t + fig.layout.margin.b - y),
                      legend=dict(y=-36 / -y), yaxis=dict(range=[y, 0]))
    wide = go.Figure()
    y = draw(wide, wide=True)
    fit_wide(fig, -y)
    wide_layout(fig, data=[t.to_plotly_json() for t in wide.data], legend=dict(y=-36 / -y),
                annotations=[a.to_plotly_json() for a in wide.layout.annotations],
                xaxis=dict(domain=[0.44, 1]), yaxis=dict(range=[y, 0]))
    desc = (f"A bar chart of {len(table)} percentages, each of a different group. Women were "
            f"{share['share']:.1f}% of the {fmt(share['total'])} arrivals in South Korea from "
            f"{start} to {end} (a count)")
    if whisker:
        desc += (f"; the yearly share ranged from {share['low']:.1f}% in {share['low_year']} "
                 f"to {share['high']:.1f}% in {share['high_year']}")
    desc += ". " + "; ".join(f"{r.label}: {r.text}, {r.of} ({r.kind})"
                             for r in table.iloc[1:].itertuples()) + "."
    return Chart(fig, caption=f"Figure: women's share of arrivals, {span}, beside the "
                 "estimates from China.", description=desc,
                 table=table[["label", "of", "text", "kind", "source"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    frame = arrivals.table()
    first, last = check_period(frame, None, None)
    every = women_share(frame, first, last)
    early = women_share(frame, 2002, 2011)
    recent = women_share(frame, 2020, last)
    rows = process()
    steps = stages(rows)
    ohchr = data.load("documentation").set_index("source_id").loc["ohchr-2020-press-release"]
    return {
        "ohchr_accounts": int(ohchr["people_heard"]), "share_round": f"{every['share']:.0f}",
        "ohchr_period": str(ohchr["period"]).replace("-", " to "),
        "first": first, "last": last, "share_all": f"{every['share']:.1f}",
        "low_year": every["low_year"], "low": f"{every['low']:.1f}",
        "high_year": every["high_year"], "high": f"{every['high']:.1f}",
        "men_years": join(every["men_years"]) if every["men_years"] else "no year",
        "share_early": f"{early['share']:.1f}", "total_early": fmt(early["total"]),
        "share_recent": f"{recent['share']:.1f}", "total_recent": fmt(recent["total"]),
        "n_steps": len(steps), "n_sources": rows[rows["stage"].isin(STAGES)]["source_id"]
        .nunique(), "anonymous_steps": join(list(steps.loc[steps["anonymous"] > 0, "stage"])),
        "n_anonymous": int((rows["anonymous"] == "yes").sum()),
    }
