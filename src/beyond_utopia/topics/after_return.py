"""After the return (notebook 05): what happens to the people China sends back, why most
who escape are women, and how South Korea receives them. The tables describe practice as
reports give it; none counts the people China returns. Nothing here prints."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from beyond_utopia import data, params
from beyond_utopia.formats import esc, fmt, missing
from beyond_utopia.style import (
    ERA_FILL,
    GREY,
    INK,
    MUTED,
    SERIES_COLOURS,
    WHITE,
    Chart,
    base_figure,
    fit_wide,
    flow_boxes,
    join,
    kinds_of,
    label,
    publishers,
    wide_layout,
    wrapped_titles,
)
from beyond_utopia.topics import arrivals

#: The steps of the diagram, in order (``overall finding`` rows are not a step).
STAGES = ("caught in China", "held in China", "handed over", "questioned",
          "held for questioning", "punished")
#: The settlement money the chart follows.
BASIC_MONEY = "basic settlement money, one person"


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
    wide_layout(fig, **wrapped_titles(title, subtitle, 80, 110))
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


# How South Korea receives them
# ----------------------------------------------------------------------

def money(settlement: pd.DataFrame, show_proposed: bool = True) -> pd.DataFrame:
    """The basic settlement money for one person, as segments of years with one value
    (adjacent rows with the same value joined); ``status`` paid or proposed."""
    rows = settlement[settlement["measure"] == BASIC_MONEY].copy()
    if not show_proposed:
        rows = rows[rows["status"] != "proposed"]
    rows = rows.sort_values("last_year").reset_index(drop=True)
    out: list[dict] = []
    for r in rows.itertuples():
        first = None if missing(r.first_year) else int(r.first_year)
        prev = out[-1] if out else None
        if (prev and first is not None and prev["first_year"] is not None
                and prev["value"] == r.value and prev["last_year"] + 1 == first
                and prev["status"] == r.status):
            prev["last_year"] = int(r.last_year)
            prev["source_id"] += f"; {r.source_id}"
            continue
        out.append({"first_year": first, "last_year": int(r.last_year),
                    "value": float(r.value), "qualifier": r.qualifier, "status": r.status,
                    "source_id": r.source_id})
    return pd.DataFrame(out)


def years_label(first: object, last: int) -> str:
    if first is None or missing(first):
        return f"until {last}"
    return str(last) if int(first) == last else f"{int(first)}–{last}"


def money_chart(settlement: pd.DataFrame, show_proposed: bool = True,
                sources: pd.DataFrame | None = None) -> Chart:
    """Basic settlement money for one person over time: a level for each span of years a
    source gives, bands where no figure was found, a proposal drawn open."""
    seg = money(settlement, show_proposed)
    paid = seg[seg["status"] == "paid"]
    dated = paid[paid["first_year"].notna()]
    low = dated.loc[dated["value"].idxmin()]
    last = paid.iloc[-1]
    million = 1_000_000
    ids = [s for i in seg["source_id"] for s in i.split("; ")]
    first_year = int(seg["first_year"].dropna().min())
    last_year = int(seg["last_year"].max())
    fig = figure(f"Settlement money rose from {low['value'] / million:g} million won "
                 f"({years_label(low['first_year'], int(low['last_year']))}) to "
                 f"{last['value'] / million:g} million "
                 f"({years_label(last['first_year'], int(last['last_year']))})",
                 "Basic settlement money for one person, million won at the prices of the "
                 "time (not adjusted for inflation). " + kinds_of(ids, sources),
                 xaxis=dict(title="Year", dtick=4, range=[first_year - 1, last_year + 1]),
                 yaxis=dict(title="Million won", rangemode="tozero"), hovermode="closest",
                 margin=dict(l=60, r=20, b=80), height=520, legend=dict(y=-0.22))
    covered: set[int] = set()
    for r in seg.itertuples():
        start = r.last_year if missing(r.first_year) else int(r.first_year)
        covered |= set(range(start, r.last_year + 1))
    gaps = [y for y in range(first_year, last_year + 1) if y not in covered]
    spans: list[list[int]] = []
    for y in gaps:
        if spans and spans[-1][1] == y - 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    for a, b in spans:
        fig.add_vrect(x0=a - 0.5, x1=b + 0.5, fillcolor=ERA_FILL, line_width=0, layer="below")
    if spans:
        fig.add_scatter(x=[None], y=[None], mode="markers", name="no figure found",
                        marker=dict(symbol="square", size=12, color=ERA_FILL))
    names = publishers(sources)
    colour = SERIES_COLOURS["total"]
    legend_done: set[str] = set()
    above, last_x, last_v = True, -1e9, -1e9
    for r in seg.itertuples():
        v = r.value / million
        years = years_label(r.first_year, r.last_year)
        src = "; ".join(esc(names.get(s, s)) for s in r.source_id.split("; "))
        hover = (f"{esc(years)}: {esc(worded(v, r.qualifier, ''))} million won "
                 f"({esc(r.status)})<br>Source: {src}")
        text = worded(v, r.qualifier, "")
        if missing(r.first_year):
            kind, xs, ys = "upper bound", [r.last_year], [v]
            marker = dict(symbol="triangle-down", size=12, color=colour)
            text += f" ({years})"
        else:
            kind = "proposed, not verified as adopted" if r.status == "proposed" else "paid"
            xs, ys = [r.first_year - 0.4, r.last_year + 0.4], [v, v]
            marker = dict(symbol="circle-open" if r.status == "proposed" else "circle",
                          size=8, color=colour)
            text += " (proposed)" if r.status == "proposed" else ""
        fig.add_scatter(x=xs, y=ys, mode="lines+markers", marker=marker,
                        line=dict(color=colour, width=3,
                                  dash="dot" if r.status == "proposed" else "solid"),
                        name=kind, showlegend=kind not in legend_done, hovertext=hover,
                        hoverinfo="text")
        legend_done.add(kind)
        x = sum(xs) / len(xs)
        # close neighbours take turns above and below their line
        above = not above if x - last_x < 3 and abs(v - last_v) < 2.5 else True
        last_x, last_v = x, v
        label(fig, x, v, text, ay=-18 if above else 18, font=dict(size=11, color=INK),
              xanchor="right" if r.last_year >= last_year - 1 else "center")
    desc = ("A chart of the basic settlement money for one person, in million won: "
            + "; ".join(f"{years_label(r.first_year, r.last_year)}: "
                        f"{worded(r.value / million, r.qualifier, '')}"
                        + (" (proposed)" if r.status == "proposed" else "")
                        for r in seg.itertuples()) + ".")
    if gaps:
        desc += (f" Shaded: the {len(gaps)} years between {first_year} and {last_year} for "
                 "which no figure was found.")
    table = seg.assign(years=[years_label(r.first_year, r.last_year) for r in seg.itertuples()])
    fit_wide(fig)
    return Chart(fig, caption="Figure: basic settlement money for one person, "
                 f"{first_year}–{last_year}.", description=desc,
                 table=table[["years", "value", "qualifier", "status", "source_id"]])


def hanawon_lengths(settlement: pd.DataFrame) -> pd.DataFrame:
    """The lengths of the Hanawon programme the sources give, which disagree."""
    rows = settlement[settlement["measure"].str.startswith("Hanawon programme length")]
    years = [years_label(a, int(b)) if not missing(b) else "undated"
             for a, b in zip(rows["first_year"], rows["last_year"], strict=True)]
    return rows.assign(years=years).reset_index(drop=True)


def value_of(settlement: pd.DataFrame, measure: str) -> pd.Series:
    """The one row of ``settlement_support.csv`` for ``measure``."""
    rows = settlement[settlement["measure"] == measure]
    if len(rows) != 1:
        raise KeyError(f"settlement_support.csv has {len(rows)} rows for {measure!r}")
    return rows.iloc[0]


def events(timeline: pd.DataFrame, words: tuple[str, ...], actor: str | None = None,
           category: str | None = None) -> pd.DataFrame:
    """Timeline rows (of ``actor``, if given) whose title names one of ``words`` or whose
    category is ``category``: South Korea's laws and Hanawon, or the group arrivals."""
    named = timeline["title"].str.contains("|".join(words), case=False, regex=True)
    rows = timeline[named | (timeline["category"] == category)]
    if actor:
        rows = rows[rows["actor"] == actor]
    return rows.sort_values("date").reset_index(drop=True)


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    frame = arrivals.table()
    first, last = check_period(frame, None, None)
    every = women_share(frame, first, last)
    early = women_share(frame, 2002, 2011)
    recent = women_share(frame, 2020, last)
    rows = process()
    steps = stages(rows)
    settlement = data.load("settlement_support")
    seg = money(settlement)
    paid = seg[(seg["status"] == "paid") & seg["first_year"].notna()]
    low, top = paid.loc[paid["value"].idxmin()], paid.iloc[-1]
    proposed = seg[seg["status"] == "proposed"]
    lengths = hanawon_lengths(settlement)
    before = seg[seg["first_year"].isna()]
    ohchr = data.load("documentation").set_index("source_id").loc["ohchr-2020-press-release"]
    return {
        "ohchr_accounts": int(ohchr["people_heard"]), "share_round": f"{every['share']:.0f}",
        "ohchr_period": str(ohchr["period"]).replace("-", " to "),
        "money_before": worded(before["value"].iloc[0] / 1e6, before["qualifier"].iloc[0], "")
        if len(before) else "more",
        "first": first, "last": last, "share_all": f"{every['share']:.1f}",
        "low_year": every["low_year"], "low": f"{every['low']:.1f}",
        "high_year": every["high_year"], "high": f"{every['high']:.1f}",
        "men_years": join(every["men_years"]) if every["men_years"] else "no year",
        "share_early": f"{early['share']:.1f}", "total_early": fmt(early["total"]),
        "share_recent": f"{recent['share']:.1f}", "total_recent": fmt(recent["total"]),
        "n_steps": len(steps), "n_sources": rows[rows["stage"].isin(STAGES)]["source_id"]
        .nunique(), "anonymous_steps": join(list(steps.loc[steps["anonymous"] > 0, "stage"])),
        "n_anonymous": int((rows["anonymous"] == "yes").sum()),
        "money_low": f"{low['value'] / 1e6:g}", "money_low_years":
        years_label(low["first_year"], int(low["last_year"])),
        "money_top": f"{top['value'] / 1e6:g}", "money_top_year": int(top["last_year"]),
        "money_rise": f"{(top['value'] / low['value'] - 1) * 100:.0f}",
        "money_proposed": f"{proposed['value'].iloc[0] / 1e6:g}" if len(proposed) else "none",
        "proposed_rise": f"{(proposed['value'].iloc[0] / low['value'] - 1) * 100:.0f}"
        if len(proposed) else "none",
        "hanawon_lengths": "; ".join(f"{worded(r.value, r.qualifier, ' ' + r.unit)} ({r.years})"
                                     for r in lengths.itertuples()),
    }
