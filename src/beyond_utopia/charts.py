"""Every figure of the collection, in one house style.

Builders return a :class:`Chart`: the plotly figure, a caption, a text description
generated from the figure's data (what a screen reader reads) and the data table
behind it. :func:`show` displays all three in a notebook; the table sits in a
``<details>`` element, one click away. Text that comes from the data tables is
escaped before it reaches a figure or the page, so a title with markup in it is
shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from beyond_utopia.formats import bound_label, bounds, esc, fmt, html_table, value_range

#: Colours for actors, chosen by a search (beyond_utopia.palette) for the largest colour
#: distance under protanopia, deuteranopia and tritanopia with at least 3:1 contrast on
#: white (tests/test_accessibility.py). Each actor also has its own row in the timeline,
#: so colour is never the only way to tell actors apart.
ACTOR_COLOURS: dict[str, str] = {
    "China": "#332288",
    "North Korea": "#3A3A3A",
    "South Korea": "#999933",
    "United Nations": "#007D5C",
    "United States": "#6F4E9E",
    "Japan": "#8E5A2B",
    "Other": "#000000",
}
#: Colours for series that are not actors.
SERIES_COLOURS: dict[str, str] = {
    "total": "#3A3A3A",
    "male": "#0072B2",
    "female": "#C8500A",
    "share": "#AA4499",
    "computed": "#3A3A3A",
    "published": "#C8500A",
}
#: Marker symbols for event categories, so category is not told by colour alone.
CATEGORY_SYMBOLS: dict[str, str] = {
    "agreement": "square",
    "border": "x",
    "repatriation": "triangle-down",
    "law": "diamond",
    "resolution": "circle",
    "statement": "star",
    "report": "triangle-up",
    "film": "hexagram",
}

FONT = "Arial, Helvetica, sans-serif"
TEMPLATE = "beyond_utopia"

_STYLE = dict(
    font=dict(family=FONT, size=14, color="#222222"),
    paper_bgcolor="white",
    plot_bgcolor="white",
    colorway=list(SERIES_COLOURS.values()),
    xaxis=dict(showgrid=False, linecolor="#555555", ticks="outside", zeroline=False,
               automargin=True),
    yaxis=dict(gridcolor="#E5E5E5", linecolor="#555555", zeroline=False, automargin=True),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
    margin=dict(l=60, r=20, t=120, b=50),
    hoverlabel=dict(font=dict(family=FONT, size=13)),
    title=dict(x=0.01, xanchor="left", y=0.98, yanchor="top", yref="container",
               font=dict(size=17)),
)
_styled = False


def use_house_style() -> None:
    """Register the house template and the renderer, once, when the first chart is made.

    The renderer is ``plotly_mimetype``: the figure JSON (a few KB, byte-for-byte the same
    on every run) renders in JupyterLab even in an untrusted notebook, and the site turns
    it into a chart itself. Done lazily, so importing the package stays cheap.
    """
    global _styled
    if _styled:
        return
    pio.templates[TEMPLATE] = {"layout": _STYLE}
    pio.templates.default = TEMPLATE
    pio.renderers.default = "plotly_mimetype"
    _styled = True


@dataclass
class Chart:
    """A figure with what a reader who cannot see it needs."""

    figure: go.Figure
    caption: str
    description: str
    table: Any = None
    notes: list[str] = field(default_factory=list)

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001
        return self.figure._repr_mimebundle_(include, exclude)


def table_html(frame: Any, caption: str) -> str:
    """The data behind a chart as an accessible HTML table in a ``<details>`` element."""
    return (f"<details class=\"bu-data\"><summary>Data table: {esc(caption)}</summary>"
            f"{html_table(frame)}</details>")


def show(chart: Chart) -> None:
    """Display a chart in a notebook: the figure, its caption and description, its data."""
    from IPython.display import HTML, Markdown, display

    use_house_style()
    display(chart.figure)
    text = f"**{chart.caption}** {chart.description}"
    if chart.notes:
        text += "\n\n" + "\n".join(f"- {n}" for n in chart.notes)
    display(Markdown(text))
    if chart.table is not None:
        display(HTML(table_html(chart.table, chart.caption)))


def _base(title: str, **layout: Any) -> go.Figure:
    use_house_style()
    fig = go.Figure()
    fig.update_layout(title=dict(text=esc(title)), **layout)
    return fig


# ---------------------------------------------------------------------------
# arrivals (notebook 03)
# ---------------------------------------------------------------------------

def arrivals_chart(frame: Any, start: int, end: int, breakdown: str = "total",
                   events: Any = None, sources: Any = None) -> Chart:
    """Arrivals per year from ``start`` to ``end``: total, by sex, or women's share.

    Years that the ministry's final table groups (before 2002) are drawn from the totals
    reported at the time, hatched and named as such; they have no split by sex.
    ``events`` (rows of the timeline table) are drawn as markers along the top of the
    chart, with their title, date and source in the hover text.
    """
    from beyond_utopia import arrivals as arr

    rows = arr.series(frame, start, end)
    publisher = _publishers(sources)
    fig = _base("North Korean defectors arriving in South Korea, per year",
                xaxis=dict(title="Year of arrival", dtick=2 if end - start > 12 else 1),
                hovermode="closest")
    final = rows[rows["kind"] == "final"]
    early = rows[rows["kind"] == "reported"]
    years = [int(y) for y in final.index]
    src = [esc(publisher.get(s, s)) for s in final["source_id"]]
    if breakdown == "share":
        share = (final["female"] / final["total"] * 100).astype(float).round(1)
        fig.add_bar(x=years, y=list(share), name="Women's share",
                    marker_color=SERIES_COLOURS["share"], customdata=src,
                    hovertemplate="%{x}: %{y:.1f}% women<br>Source: %{customdata}"
                                  "<extra></extra>")
        fig.add_hline(y=50, line=dict(color="#555555", dash="dot", width=1),
                      annotation_text="half", annotation_position="top left")
        fig.update_yaxes(title="Women, % of arrivals", range=[0, 100], ticksuffix="%")
    elif breakdown == "sex":
        for col, name in (("female", "Women"), ("male", "Men")):
            fig.add_bar(x=years, y=[int(v) for v in final[col]], name=name,
                        marker_color=SERIES_COLOURS[col], customdata=src,
                        hovertemplate="%{x}: %{y:,} " + name.lower() +
                                      "<br>Source: %{customdata}<extra></extra>")
        fig.update_layout(barmode="stack")
        fig.update_yaxes(title="People", tickformat=",")
    else:
        fig.add_bar(x=years, y=[int(v) for v in final["total"]], name="Ministry's final figure",
                    marker_color=SERIES_COLOURS["total"], customdata=src,
                    hovertemplate="%{x}: %{y:,} people<br>Source: %{customdata}"
                                  "<extra></extra>")
        fig.update_yaxes(title="People", tickformat=",")
    if len(early) and breakdown == "total":
        esrc = [esc(publisher.get(s, s)) for s in early["source_id"]]
        fig.add_bar(x=[int(y) for y in early.index], y=[int(v) for v in early["total"]],
                    name="Reported at the time (the ministry's table groups these years)",
                    marker=dict(color="white", line=dict(color=SERIES_COLOURS["total"], width=1.5),
                                pattern=dict(shape="/", fgcolor=SERIES_COLOURS["total"])),
                    customdata=esrc,
                    hovertemplate="%{x}: %{y:,} people, as reported at the time"
                                  "<br>Source: %{customdata}<extra></extra>")
    if events is not None and len(events):
        _event_markers(fig, events, start, end, publisher)
    fig.update_xaxes(range=[start - 0.6, end + 0.6])
    label = {"total": "", "sex": ", by sex", "share": ", women's share"}[breakdown]
    return Chart(fig, caption=f"Figure: arrivals per year, {start}–{end}{label}.",
                 description=describe_arrivals(rows, breakdown, start, end),
                 table=rows.reset_index()[["year", "kind", "male", "female", "total",
                                           "source_id"]])


def describe_arrivals(rows: Any, breakdown: str, start: int, end: int) -> str:
    """A text description of an arrivals chart, written from its data."""
    final = rows[rows["kind"] == "final"]
    early = rows[rows["kind"] == "reported"]
    kind = {"total": "arrivals", "sex": "arrivals of women and men, stacked",
            "share": "women's share of arrivals"}[breakdown]
    text = f"A bar chart of {kind} in each year from {start} to {end}."
    if len(early) and breakdown == "total":
        text += (f" The bars for {_join(list(early.index))} are hatched: totals reported at "
                 "the time, for years the ministry's final table groups together.")
    elif len(early):
        text += (f" {_join(list(early.index))} have no split by sex and are not drawn.")
    if len(final):
        top = int(final["total"].idxmax())
        low = int(final["total"].idxmin())
        last = int(final.index.max())
        text += (f" Among the ministry's yearly figures shown, the highest is {top} with "
                 f"{fmt(final.loc[top, 'total'])} people and the lowest {low} with "
                 f"{fmt(final.loc[low, 'total'])}; in {last}, {fmt(final.loc[last, 'total'])} "
                 "people arrived.")
    if breakdown in ("sex", "share") and len(final):
        share = (final["female"] / final["total"] * 100).astype(float)
        hi, lo = int(share.idxmax()), int(share.idxmin())
        men = [int(y) for y in final.index[final["male"] > final["female"]]]
        text += (f" Women's share is highest in {hi} ({share.loc[hi]:.1f}%) and lowest in "
                 f"{lo} ({share.loc[lo]:.1f}%)")
        text += (f"; men outnumber women in {_join(men)}." if men else
                 "; women outnumber men in every year shown.")
    return text


def _join(items: list) -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _publishers(sources: Any) -> dict[str, str]:
    if sources is None:
        return {}
    return dict(zip(sources["source_id"], sources["publisher"], strict=True))


def _event_markers(fig: go.Figure, events: Any, start: int, end: int,
                   publisher: dict[str, str]) -> None:
    """Timeline events as markers along the top edge of a chart whose x axis is years."""
    from beyond_utopia.timeline import fractional_year

    shown = events[(events["year"] >= start) & (events["year"] <= end)]
    for category, group in shown.groupby("category", sort=True):
        xs = [fractional_year(d) for d in group["date"]]
        text = [f"{esc(d)}: {esc(t)}<br>{esc(a)}<br>Source: {esc(publisher.get(s, s))}"
                for d, t, a, s in zip(group["date"], group["title"], group["actor"],
                                      group["source_id"], strict=True)]
        fig.add_scatter(
            x=xs, y=[1.0] * len(xs), yaxis="y2", mode="markers", name=f"Event: {category}",
            marker=dict(symbol=CATEGORY_SYMBOLS.get(category, "circle"), size=11,
                        color=[ACTOR_COLOURS.get(a, ACTOR_COLOURS["Other"])
                               for a in group["actor"]],
                        line=dict(width=1, color="white")),
            text=text, hovertemplate="%{text}<extra></extra>")
    fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1.05], visible=False,
                                  fixedrange=True))


def cumulative_chart(comparison: Any) -> Chart:
    """The ministry's published cumulative totals against the running sum of the table."""
    fig = _base("Published cumulative totals against the sum of the yearly figures",
                xaxis=dict(title="Total up to the end of"), hovermode="x unified")
    labels = [f"{r.as_of[:4]} ({r.status})" for r in comparison.itertuples()]
    fig.add_bar(x=labels, y=list(comparison["published"]), name="Published by the ministry",
                marker_color=SERIES_COLOURS["published"])
    fig.add_bar(x=labels, y=list(comparison["computed"]), name="Sum of arrivals.csv",
                marker_color=SERIES_COLOURS["computed"])
    fig.update_yaxes(title="People", tickformat=",")
    agree = comparison[comparison["difference"] == 0]
    differ = comparison[comparison["difference"] != 0]
    desc = (f"Paired bars for {len(comparison)} published totals. {len(agree)} agree exactly "
            "with the sum of the yearly figures")
    if len(differ):
        desc += "; " + "; ".join(f"{r.as_of[:4]} ({r.status}) differs by {r.difference:+,}"
                                 for r in differ.itertuples())
    return Chart(fig, caption="Figure: does the table add up to what the ministry published?",
                 description=desc + ".", table=comparison)


STATUS_SYMBOLS = {
    "final": "square", "provisional": "circle-open", "contemporary": "diamond-open",
    "earlier-release": "triangle-up-open", "later-report": "x-thin-open",
    "corrected": "star-open", "misprint": "cross-thin-open",
}


def reported_chart(reported: Any, start: int, end: int, sources: Any = None) -> Chart:
    """Every published total for each year beside the ministry's final figure."""
    from beyond_utopia.data import parse_period

    publisher = _publishers(sources)
    rows = reported.copy()
    rows["last_year"] = [parse_period(y)[1] for y in rows["year"]]
    rows["single"] = rows["year"].str.fullmatch(r"\d{4}")
    rows = rows[rows["single"] & (rows["last_year"] >= start) & (rows["last_year"] <= end)]
    fig = _base("Arrivals as published over time: first figures, revisions and final figures",
                xaxis=dict(title="Year of arrival", dtick=2 if end - start > 12 else 1),
                hovermode="closest")
    for status in STATUS_SYMBOLS:
        group = rows[rows["status"] == status]
        if not len(group):
            continue
        fig.add_scatter(
            x=[int(y) for y in group["last_year"]], y=[int(v) for v in group["total"]],
            mode="markers", name=status.replace("-", " "),
            marker=dict(symbol=STATUS_SYMBOLS[status], size=10 if status != "final" else 8,
                        color=SERIES_COLOURS["total"] if status == "final"
                        else SERIES_COLOURS["published"], line=dict(width=1.5)),
            customdata=[esc(publisher.get(s, s)) for s in group["source_id"]],
            hovertemplate="%{x}: %{y:,} (" + status.replace("-", " ") +
                          ")<br>Source: %{customdata}<extra></extra>")
    fig.update_yaxes(title="People", tickformat=",")
    differ = []
    for year, group in rows.groupby("last_year"):
        final = group[group["status"] == "final"]["total"]
        others = group[group["status"] != "final"]["total"]
        if len(final) and len(others) and (others != final.iloc[0]).any():
            spread = int((others - final.iloc[0]).abs().max())
            differ.append((int(year), spread))
    desc = (f"A dot plot of {len(rows)} published totals for the years {start} to {end}; "
            "squares are the ministry's final figures, open symbols other published figures.")
    if differ:
        worst = max(differ, key=lambda d: d[1])
        desc += (f" In {len(differ)} years another published figure differs from the final "
                 f"one; the largest gap is {worst[1]:,} people, for {worst[0]}.")
    return Chart(fig, caption=f"Figure: published and final figures, {start}–{end}.",
                 description=desc,
                 table=rows[["year", "status", "male", "female", "total", "source_id"]])


# ---------------------------------------------------------------------------
# timeline, returns and estimates (notebook 04)
# ---------------------------------------------------------------------------

ERA_FILL = "#E8E8E8"


def timeline_chart(events: Any, eras: Any = None, sources: Any = None,
                   actors: list[str] | None = None,
                   period: tuple[int, int] | None = None) -> Chart:
    """Events on a time axis, one row per actor, with shaded eras; hover names the source.

    ``period`` (first and last year) sets the axis and the caption; by default, the
    events' own span."""
    from beyond_utopia.timeline import actors as all_actors

    publisher = _publishers(sources)
    order = [a for a in (actors or all_actors()) if a in set(events["actor"])]
    fig = _base("Repatriation policy and the response to it",
                xaxis=dict(title="Date", type="date"), hovermode="closest",
                height=230 + 55 * max(len(order), 1))
    for actor in order:
        group = events[events["actor"] == actor]
        fig.add_scatter(
            x=[d.date().isoformat() for d in group["start"]], y=[actor] * len(group),
            mode="markers", name=actor,
            marker=dict(color=ACTOR_COLOURS.get(actor, ACTOR_COLOURS["Other"]), size=12,
                        symbol=[CATEGORY_SYMBOLS.get(c, "circle") for c in group["category"]],
                        line=dict(width=1, color="white")),
            customdata=[[esc(d), esc(t), esc(c), esc(publisher.get(s, s))]
                        for d, t, c, s in zip(group["date"], group["title"], group["category"],
                                              group["source_id"], strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}"
                          "<br>Source: %{customdata[3]}<extra></extra>")
    for category in [c for c in CATEGORY_SYMBOLS if c in set(events["category"])]:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=f"shape: {category}",
                        marker=dict(symbol=CATEGORY_SYMBOLS[category], size=10,
                                    color="#8C8C8C"))
    if eras is not None:
        for i, era in enumerate(eras.itertuples()):
            fig.add_vrect(x0=era.start_date, x1=era.end_date, fillcolor=ERA_FILL, opacity=0.6,
                          layer="below", line_width=0, annotation_text=esc(era.name),
                          annotation_position="top left" if i % 2 == 0 else "bottom left",
                          annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None)
    counts = events["actor"].value_counts()
    first, last = events["date"].min(), events["date"].max()
    desc = (f"A timeline of {len(events)} events from {first} to {last}, one row per actor: "
            + ", ".join(f"{a} {counts[a]}" for a in order) + ". Marker shapes show the kind "
            "of event.")
    if eras is not None and len(eras):
        desc += " Shaded periods: " + "; ".join(f"{e.name} ({e.start} to {e.end})"
                                                for e in eras.itertuples()) + "."
    lo, hi = period or (int(first[:4]), int(last[:4]))
    if period:
        fig.update_xaxes(range=[f"{lo}-01-01", f"{hi}-12-31"])
    return Chart(fig, caption=f"Figure: the timeline, {lo}–{hi}.", description=desc,
                 table=events[["date", "actor", "category", "title", "source_id"]])


def returns_chart(returns: Any, sources: Any = None) -> Chart:
    """Each organisation's number for each reported return, side by side."""
    publisher = _publishers(sources)
    rows = returns.sort_values(["date", "reported_by"]).reset_index(drop=True)
    labels = [f"{d} · {esc(_short(r))}" for d, r in zip(rows["date"], rows["reported_by"],
                                                        strict=True)]
    fig = _base("How many people were returned? Each report's number",
                xaxis=dict(title="People returned, as reported", tickformat=","),
                hovermode="closest", height=120 + 24 * len(rows))
    for kind, symbol, name in (("range", "line-ns", "reported as a number or range"),
                               ("low", "triangle-right", "reported as 'more than'"),
                               ("high", "triangle-left", "reported as 'as many as'")):
        if kind == "range":
            pick = rows["low"].notna() & rows["high"].notna()
        elif kind == "low":
            pick = rows["low"].notna() & rows["high"].isna()
        else:
            pick = rows["low"].isna() & rows["high"].notna()
        sub = rows[pick]
        if not len(sub):
            continue
        xs = [int(v) for v in (sub["high"] if kind == "high" else sub["low"])]
        extra = {}
        if kind == "range":
            extra = dict(error_x=dict(type="data", symmetric=False, array=[
                int(h) - int(lo) for lo, h in zip(sub["low"], sub["high"], strict=True)],
                arrayminus=[0] * len(sub), color=SERIES_COLOURS["total"], thickness=2))
        fig.add_scatter(
            x=xs, y=[labels[i] for i in sub.index], mode="markers", name=name,
            marker=dict(symbol=symbol if kind != "range" else "circle", size=11,
                        color=SERIES_COLOURS["total"] if kind == "range"
                        else SERIES_COLOURS["published"]),
            customdata=[[esc(r.reported_by), esc(r.description), esc(publisher.get(r.source_id,
                                                                                   r.source_id))]
                        for r in sub.itertuples()],
            hovertemplate="%{x:,}: %{customdata[0]}<br>%{customdata[1]}"
                          "<br>Source: %{customdata[2]}<extra></extra>", **extra)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), title=None,
                     automargin=True)
    parts = []
    for date, group in rows.groupby("date", sort=True):
        low, high = value_range(group)
        parts.append(f"{date}: {len(group)} report{'s' if len(group) > 1 else ''}, "
                     + (f"{low:,}" if low == high else f"{low:,} to {high:,}"))
    return Chart(fig, caption="Figure: forced returns from China as different organisations "
                 "reported them.",
                 description="A chart with one row per report. " + "; ".join(parts) + ".",
                 table=rows[["date", "low", "high", "reported_by", "source_id"]])


def _short(text: str, limit: int = 48) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _range_trace(fig: go.Figure, x: float, low: object, high: object, hover: str) -> None:
    """One reported number as a mark: a line from low to high, a dot for a single number,
    a triangle pointing up for "more than", down for "up to"."""
    lo, hi = bounds(low, high)
    ys = [v for v in (lo, hi) if v is not None]
    symbol = ("circle" if lo == hi else "line-ew-open" if len(ys) == 2
              else "triangle-up" if hi is None else "triangle-down")
    fig.add_scatter(x=[x] * len(ys), y=ys, mode="lines+markers", showlegend=False,
                    line=dict(color=SERIES_COLOURS["total"], width=3),
                    marker=dict(size=9, color=SERIES_COLOURS["total"], symbol=symbol),
                    hovertext=[hover] * len(ys), hoverinfo="text")


def estimates_chart(estimates: Any, sources: Any = None) -> Chart:
    """Estimates of North Koreans hiding in China, as ranges on a logarithmic axis."""
    publisher = _publishers(sources)
    rows = estimates.sort_values(["year", "estimator"]).reset_index(drop=True)
    fig = _base("How many North Koreans were hiding in China? Estimates by year",
                xaxis=dict(title="Year of the estimate"), hovermode="closest")
    for i, r in enumerate(rows.itertuples()):
        hover = (f"{r.year}: {bound_label(r.low, r.high)}<br>{esc(_short(r.estimator, 70))}"
                 f"<br>Source: {esc(publisher.get(r.source_id, r.source_id))}")
        # side by side when several share a year
        _range_trace(fig, r.year + (i % 3 - 1) * 0.18, r.low, r.high, hover)
    fig.update_yaxes(type="log", title="People (logarithmic scale)", tickformat=",")
    low, high = value_range(rows)
    desc = (f"A range chart of {len(rows)} estimates from {rows['year'].min()} to "
            f"{rows['year'].max()}, on a logarithmic scale. They run from {low:,} to "
            f"{high:,}; the largest is {high / low:.0f} times the smallest.")
    return Chart(fig, caption="Figure: estimates of North Koreans hiding in China.",
                 description=desc, table=rows[["year", "low", "high", "estimator", "source_id"]])


# ---------------------------------------------------------------------------
# UN votes (notebook 05)
# ---------------------------------------------------------------------------

VOTE_COLOURS = {"yes": "#0072B2", "abstain": "#8C8C8C", "no": "#C8500A"}


def votes_chart(votes: Any, sources: Any = None, body: str = "General Assembly") -> Chart:
    """The General Assembly's yearly resolution: recorded votes, or adopted without a vote."""
    publisher = _publishers(sources)
    rows = votes[votes["body"] == body].sort_values("year").reset_index(drop=True)
    recorded = rows[rows["method"] == "recorded vote"]
    fig = _base(f"UN {body} resolutions on human rights in North Korea",
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
        fig.add_vline(x=int(nr["year"].min()) - 0.5, line=dict(color="#555555", dash="dot"),
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


# ---------------------------------------------------------------------------
# the film and the route (notebooks 01 and 02)
# ---------------------------------------------------------------------------

KIND_COLOURS = {"festival": "#332288", "award": "#007D5C", "release": "#3A3A3A",
                "broadcast": "#AA4499", "nomination": "#C8500A"}
ROUTE_COLOUR = "#C8500A"
#: Where the map writes each country's name (longitude, latitude): placement only.
MAP_LABELS = {"China": (104.0, 33.0), "North Korea": (126.6, 40.6),
              "South Korea": (128.2, 36.0), "Vietnam": (107.6, 14.5), "Laos": (102.7, 19.3),
              "Thailand": (99.0, 16.5), "Myanmar": (96.5, 21.5), "Cambodia": (104.8, 12.6)}
OUTLINE_COLOUR = "#9A9A9A"


def milestones_chart(milestones: Any, sources: Any = None) -> Chart:
    """The film's festivals, releases, broadcasts and awards on a time axis."""
    from beyond_utopia.data import parse_partial_date

    publisher = _publishers(sources)
    order = [k for k in KIND_COLOURS if k in set(milestones["kind"])]
    fig = _base("Beyond Utopia: from Sundance to the awards season",
                xaxis=dict(title="Date", type="date"), hovermode="closest",
                height=140 + 55 * len(order))
    for kind in order:
        group = milestones[milestones["kind"] == kind]
        fig.add_scatter(
            x=[parse_partial_date(d)[0].isoformat() for d in group["date"]],
            y=[kind] * len(group), mode="markers", name=kind,
            marker=dict(size=13, color=KIND_COLOURS[kind], line=dict(width=1, color="white")),
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


def route_map(points: Any, leg_table: Any, unit: str = "km", highlight: list[int] | None = None,
              sources: Any = None) -> Chart:
    """The route on a map drawn from shipped country outlines: no tiles, no network."""
    import math

    from beyond_utopia import route as rt

    publisher = _publishers(sources)
    highlight = highlight or []
    geo = rt.outlines()
    lon0, lon1, lat0, lat1 = geo["bbox"]
    fig = _base("The route the film follows (approximate; exact places withheld)",
                hovermode="closest", height=640, showlegend=True)
    xs: list = []
    ys: list = []
    for rings in geo["countries"].values():
        for ring in rings:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=OUTLINE_COLOUR, width=0.8),
                    hoverinfo="skip", name="country borders", showlegend=False)
    for name, (x, y) in MAP_LABELS.items():
        fig.add_annotation(x=x, y=y, text=name.upper(), showarrow=False,
                           font=dict(size=11, color="#6A6A6A"))
    for leg in leg_table.itertuples():
        a = points[points["order"] == leg.leg - 1].iloc[0]
        b = points[points["order"] == leg.leg].iloc[0]
        flight = leg.mode == "flight"
        chosen = leg.leg in highlight
        fig.add_scatter(
            x=[float(a.longitude), float(b.longitude)], y=[float(a.latitude), float(b.latitude)],
            mode="lines", showlegend=False, hoverinfo="text",
            hovertext=f"Leg {leg.leg}: {esc(leg.mode)}, about "
                      f"{rt.convert(leg.km, unit):,.0f} {unit} in a straight line",
            line=dict(color=ROUTE_COLOUR, width=6 if chosen else 3,
                      dash="dot" if flight else "solid"))
    fig.add_scatter(
        x=[float(v) for v in points["longitude"]], y=[float(v) for v in points["latitude"]],
        mode="markers+text", name="waypoints (approximate)",
        text=[str(o) for o in points["order"]], textposition="middle right",
        marker=dict(size=11, color="white", line=dict(color=ROUTE_COLOUR, width=2)),
        customdata=[[esc(p), esc(c), esc(publisher.get(s, s))] for p, c, s in
                    zip(points["place"], points["country"], points["source_id"], strict=True)],
        hovertemplate="%{customdata[0]} (%{customdata[1]})<br>Source: %{customdata[2]}"
                      "<extra></extra>")
    ratio = 1 / math.cos(math.radians((lat0 + lat1) / 2))
    fig.update_xaxes(range=[lon0, lon1], visible=False)
    fig.update_yaxes(range=[lat0, lat1], visible=False, scaleanchor="x", scaleratio=ratio)
    fig.update_layout(plot_bgcolor="#FBFBF8")
    total = rt.convert(rt.total_km(leg_table), unit)
    desc = (f"A map of {len(points)} approximate waypoints joined by {len(leg_table)} legs: "
            + "; ".join(f"leg {r.leg} to {r.to} ({r.mode}, about "
                        f"{rt.convert(r.km, unit):,.0f} {unit})" for r in leg_table.itertuples())
            + f". In straight lines the whole route is about {total:,.0f} {unit}.")
    if highlight:
        desc += f" Highlighted: leg {_join(highlight)}."
    return Chart(fig, caption="Figure: the route, North Korea to South Korea.", description=desc,
                 table=leg_table.assign(**{unit: [round(rt.convert(k, unit)) for k in
                                                  leg_table["km"]]})[
                     ["leg", "from", "to", "mode", unit, "source_id"]])


def distances_chart(quoted: Any, straight_km: dict[str, float], unit: str = "km",
                    sources: Any = None) -> Chart:
    """Distances that reviews and reports quote, beside the straight-line distances."""
    from beyond_utopia import route as rt

    publisher = _publishers(sources)
    rows = quoted.sort_values("km").reset_index(drop=True)
    labels = [f"{esc(_short(publisher.get(s, s), 30))}: {esc(st)}"
              for s, st in zip(rows["source_id"], rows["stretch"], strict=True)]
    fig = _base(f"How long is the route? Quoted distances, in {unit}",
                xaxis=dict(title=unit, tickformat=","), hovermode="closest",
                height=160 + 30 * len(rows), barmode="overlay")
    fig.add_bar(y=labels, x=[rt.convert(k, unit) for k in rows["km"]], orientation="h",
                marker_color=[SERIES_COLOURS["total"] if s == "the film's journey" else "#8C8C8C"
                              for s in rows["scope"]],
                name="quoted (dark: the film's journey; grey: the general route)", showlegend=True,
                customdata=[[esc(f"{q} {v:,.0f} {u}".strip()), esc(publisher.get(s, s))]
                            for q, v, u, s in zip(rows["qualifier"].fillna(""), rows["value"],
                                                  rows["unit"], rows["source_id"], strict=True)],
                hovertemplate="%{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>")
    for i, (name, km) in enumerate(straight_km.items()):
        fig.add_vline(x=rt.convert(km, unit), line=dict(color=ROUTE_COLOUR, dash="dash"),
                      annotation_text=f"straight line, {name}: {rt.convert(km, unit):,.0f}",
                      annotation_position="top right" if i % 2 else "bottom right",
                      annotation_font_size=11)
    fig.update_yaxes(automargin=True, title=None)
    lo, hi = rows["km"].min(), rows["km"].max()
    desc = (f"A bar chart of {len(rows)} quoted distances, from "
            f"{rt.convert(lo, unit):,.0f} to {rt.convert(hi, unit):,.0f} {unit}; dashed lines "
            "mark the straight-line distances along our waypoints ("
            + "; ".join(f"{n}: {rt.convert(k, unit):,.0f} {unit}" for n, k in straight_km.items())
            + ").")
    return Chart(fig, caption="Figure: the route's length, as quoted and in straight lines.",
                 description=desc, table=rows[["scope", "qualifier", "value", "unit", "stretch",
                                               "source_id"]])


def fees_chart(fees: Any, sources: Any = None) -> Chart:
    """Broker fees in US dollars, by the year they refer to, on a logarithmic axis."""
    publisher = _publishers(sources)
    usd = fees[(fees["currency"] == "USD") & fees["year"].notna()].sort_values("year")
    fig = _base("What brokers charge, as reported (US dollars, dated reports only)",
                xaxis=dict(title="Year the fee refers to", dtick=2), hovermode="closest")
    for i, r in enumerate(usd.itertuples()):
        label = bound_label(r.low, r.high, "${:,}", upper="less than")
        _range_trace(fig, int(r.year) + (i % 2) * 0.15, r.low, r.high,
                     f"{int(r.year)}: {label} for {esc(r.covers)}<br>Source: "
                     f"{esc(publisher.get(r.source_id, r.source_id))}")
    fig.update_yaxes(type="log", title="US dollars (logarithmic scale)", tickprefix="$",
                     tickformat=",")
    undated = fees[fees["year"].isna() | (fees["currency"] != "USD")]
    low, high = value_range(usd)
    desc = (f"A chart of {len(usd)} dated fees in US dollars from {int(usd['year'].min())} to "
            f"{int(usd['year'].max())}, from ${low:,} to ${high:,}. "
            f"{len(undated)} further reports (undated, or in won or yuan) are in the table only.")
    return Chart(fig, caption="Figure: broker fees over time.", description=desc,
                 table=fees[["year", "period", "low", "high", "currency", "covers", "source_id"]])
