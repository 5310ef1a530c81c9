"""The house style: colours, the plotly template, and the figure wrapper every chart uses.

Topic modules (:mod:`beyond_utopia.topics`) build their figures with :func:`base_figure`
and return a :class:`Chart`: the plotly figure, a caption, a text description generated
from the figure's data (what a screen reader reads) and the data table behind it.
:func:`show` displays all three in a notebook; the table sits in a ``<details>`` element,
one click away. Text that comes from the data tables is escaped before it reaches a
figure or the page, so a title with markup in it is shown as text.

Every colour a chart uses is named here, so the palette tests see all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import plotly.io as pio

from beyond_utopia.formats import bounds, esc, esc_text, html_table, json_script

if TYPE_CHECKING:
    import pandas as pd

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

#: How notebook 03 draws each kind of published figure (``arrivals_reported.csv``'s
#: ``status``): its name in the legend, its marker symbol and its colour.
STATUS_STYLE = {
    "provisional": ("first announcement", "circle-open", SERIES_COLOURS["published"]),
    "earlier-release": ("ministry's earlier table", "square-open", SERIES_COLOURS["total"]),
    **{s: ("news report", "diamond", SERIES_COLOURS["share"])
       for s in ("contemporary", "later-report", "misprint")},
    "corrected": ("ministry's correction", "star", SERIES_COLOURS["male"]),
}
#: Vote colours (notebook 06).
VOTE_COLOURS = {"yes": "#0072B2", "abstain": "#8C8C8C", "no": "#C8500A"}
#: Milestone kinds (notebook 01).
KIND_COLOURS = {"festival": "#332288", "award": "#007D5C", "release": "#3A3A3A",
                "broadcast": "#AA4499", "nomination": "#C8500A"}
#: The route on the map (notebook 02).
ROUTE_COLOUR = "#C8500A"
#: Turning points a chart labels (notebook 04's timeline).
HIGHLIGHT = "#C8500A"
#: Neutral greys and fills: text, rules, outlines, shaded periods, the map's sea.
INK = "#222222"
MUTED = "#555555"
GREY = "#8C8C8C"
LABEL_GREY = "#6A6A6A"
OUTLINE_COLOUR = "#9A9A9A"
GRID = "#E5E5E5"
ERA_FILL = "#E8E8E8"
MAP_BACKGROUND = "#FBFBF8"
WHITE = "white"

FONT = "Arial, Helvetica, sans-serif"
TEMPLATE = "beyond_utopia"


_STYLE = dict(
    font=dict(family=FONT, size=14, color=INK),
    paper_bgcolor="white",
    plot_bgcolor="white",
    colorway=list(SERIES_COLOURS.values()),
    xaxis=dict(showgrid=False, linecolor=MUTED, ticks="outside", zeroline=False,
               automargin=True),
    yaxis=dict(gridcolor=GRID, linecolor=MUTED, zeroline=False, automargin=True),
    # The legend sits below the plot, where it takes no width from it on a phone;
    # charts label their marks directly wherever they can and keep the legend short.
    legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0,
                font=dict(size=12)),
    margin=dict(l=60, r=20, t=96, b=60),
    hoverlabel=dict(font=dict(family=FONT, size=13)),
    # The title states the finding; the subtitle says what is measured, the unit and
    # the source. Both sit at the top left, clear of the toolbar (which shows on hover).
    title=dict(x=0.01, xanchor="left", y=0.97, yanchor="top", yref="container",
               font=dict(size=17), subtitle=dict(font=dict(size=12, color=MUTED))),
)
#: Most characters a title may have: it must fit on a 390 px phone in two lines.
TITLE_MAX = 80
#: Characters per line of a title and of a subtitle, so that each line fits a 390 px phone.
TITLE_LINE, SUBTITLE_LINE = 42, 58
WIDE_TITLE_LINES = (80, 110)  # the same, on a chart at least WIDE_MIN px wide
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
    table: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001
        return self.figure._repr_mimebundle_(include, exclude)


def table_html(frame: pd.DataFrame, caption: str) -> str:
    """The data behind a chart as an accessible HTML table in a ``<details>`` element."""
    return (f"<details class=\"bu-data\"><summary>Data table: {esc(caption)}</summary>"
            f"{html_table(frame)}</details>")


def chart_text(chart: Chart) -> str:
    """The Markdown under a chart: its caption, description and notes, each escaped (they
    quote the tables, and a table may hold markup: it is shown as text, never run)."""
    text = f"**{esc_text(chart.caption)}** {esc_text(chart.description)}"
    if chart.notes:
        text += "\n\n" + "\n".join(f"- {esc_text(n)}" for n in chart.notes)
    return text


def show(chart: Chart) -> None:
    """Display a chart in a notebook: the figure, its caption and description, its data."""
    from IPython.display import HTML, Markdown, display

    use_house_style()
    display(chart.figure)
    display(Markdown(chart_text(chart)))
    if chart.table is not None:
        display(HTML(table_html(chart.table, chart.caption)))


def base_figure(title: str, subtitle: str | None = None, **layout) -> go.Figure:
    """An empty figure in the house style.

    ``title`` states the chart's finding, computed from the data ("Arrivals fell from
    1,047 in 2019 to 63 in 2021"); ``subtitle`` says what is measured, in which unit, and
    from which source. Both are escaped: text from the tables is shown, never run.
    """
    use_house_style()
    fig = go.Figure()
    text = dict(text=esc(title))
    if subtitle:
        text["subtitle"] = dict(text=esc(subtitle))
    fig.update_layout(title=text, **layout)
    return fig


def label(fig: go.Figure, x: object, y: object, text: str, **kwargs) -> None:
    """A direct label on the plot (an annotation), escaped, in the house style: what a
    reader on a phone or on paper reads instead of a hover."""
    style = dict(showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=MUTED, ax=0, ay=-28,
                 font=dict(size=12, color=INK), bgcolor="rgba(255,255,255,0.85)")
    style.update(kwargs)
    fig.add_annotation(x=x, y=y, text=esc(text), **style)


#: Charts wider than this (in pixels) on the site may draw their wide layout instead.
WIDE_MIN = 900


def wide_layout(fig: go.Figure, data: list | None = None, **layout) -> None:
    """A second layout for wide screens: the site draws it where the chart is at least
    :data:`WIDE_MIN` px wide (each key merged into the figure's own; ``data``, the same
    traces placed for it, replaces the figure's); JupyterLab, a phone and print draw the
    figure's own."""
    wide = dict((fig.layout.meta or {}).get("wide", {}))
    wide.update(min_width=WIDE_MIN, layout={**wide.get("layout", {}), **layout})
    if data is not None:
        wide["data"] = data
    fig.update_layout(meta=dict(wide=wide))


def wrapped_titles(title: str, subtitle: str, width: int, sub_width: int) -> dict:
    """A title and subtitle broken into lines of at most ``width`` and ``sub_width``
    characters (:func:`wrap`), and the top margin their lines need."""
    heading, sub = wrap(title, width), wrap(subtitle, sub_width)
    return dict(title=dict(text=heading, subtitle=dict(text=sub)),
                margin=dict(t=34 + 22 * (heading.count("<br>") + 1)
                            + 16 * (sub.count("<br>") + 1)))


def fit_wide(fig: go.Figure, plot: float | None = None) -> None:
    """The wide layout's height: its own top margin, then the same plot (or ``plot`` px)."""
    if plot is None:
        plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    top = fig.layout.meta["wide"]["layout"]["margin"]["t"]
    wide_layout(fig, height=int(top + fig.layout.margin.b + plot))


def flow_boxes(boxes: list[tuple[list[str], bool]], columns: int = 1, gap: float = 30,
               note: str | None = None) -> dict:
    """Boxes joined by arrows, laid out in pixels (one y unit is one pixel; x runs from 0
    to 1): one column, or rows of ``columns`` that run left to right, then right to left,
    so that each arrow is short. A box is its lines and whether its outline is dashed.
    Returns the layout's shapes, annotations and y range, and the height it needs."""
    hgap = 0.05 if columns > 1 else 0
    width = (0.96 - hgap * (columns - 1)) / columns
    shapes, notes, places, y = [], [], [], -6.0
    for start in range(0, len(boxes), columns):
        row = boxes[start:start + columns]
        height = 16.5 * max(len(lines) for lines, _ in row) + 14
        for c, (lines, dashed) in enumerate(row):
            x0 = 0.02 + (c if start // columns % 2 == 0 else columns - 1 - c) * (width + hgap)
            places.append((x0, x0 + width, y, y - height))
            shapes.append(dict(type="rect", x0=x0, x1=x0 + width, y0=y - height, y1=y,
                               layer="below", fillcolor=ERA_FILL, line=dict(
                                   color=MUTED, width=1, dash="dash" if dashed else "solid")))
            notes.append(dict(x=x0 + width / 2, y=y - height / 2, text="<br>".join(lines),
                              showarrow=False, font=dict(size=12, color=INK), align="center"))
        y -= height + gap
    arrow = dict(xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                 arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=MUTED)
    for (a0, a1, top, bottom), (b0, b1, next_top, _) in zip(places, places[1:], strict=False):
        if top == next_top:  # across the row, at mid-height
            mid = (top + bottom) / 2
            x, ax = (b0, a1) if b0 > a0 else (b1, a0)
            notes.append(dict(arrow, x=x, y=mid, ax=ax, ay=mid))
        else:  # down to the next row
            notes.append(dict(arrow, x=(a0 + a1) / 2, y=next_top, ax=(a0 + a1) / 2, ay=bottom))
    if note:
        notes.append(dict(x=0.02, y=y + gap - 8, xanchor="left", yanchor="top",
                          showarrow=False, text=note, font=dict(size=11, color=MUTED)))
    return dict(shapes=shapes, annotations=notes, yaxis=dict(range=[y, 0]), below=-y)


def publishers(sources: pd.DataFrame | None) -> dict[str, str]:
    """``source_id`` -> publisher, for hover texts (empty without a sources table)."""
    if sources is None:
        return {}
    return dict(zip(sources["source_id"], sources["publisher"], strict=True))


def kinds_of(ids: object, sources: pd.DataFrame | None) -> str:
    """``Sources: 13 (UN documents, NGO reports and news)``: how many, of which kinds."""
    ids = list(dict.fromkeys(ids))
    if sources is None:
        return f"Sources: {len(ids)}"
    kinds = sources.set_index("source_id").loc[ids, "kind"]
    order = ["official record", "UN document", "statute or court", "NGO report", "scholarship",
             "news", "film publicity"]
    names = [k + ("s" if (kinds == k).sum() > 1 and k != "news" else "")
             for k in order if k in set(kinds)]
    if names == ["news"]:
        return f"Sources: {len(ids)} news reports"
    return f"Sources: {len(ids)} ({join(names)})"


def join(items: list) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def wrap(text: str, width: int) -> str:
    """``text`` escaped and broken into lines of at most ``width`` characters joined by
    ``<br>``: plotly never wraps a title or a label itself, and a phone is 390 px wide."""
    import textwrap

    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width)) or esc(text)


def fit_title(fig: go.Figure, title: str, subtitle: str, extra_top: int = 0,
              plot_px: int | None = None) -> None:
    """Set a figure's title (the finding) and subtitle broken into lines that fit a 390 px
    phone, escaped, with a top margin that holds them (``extra_top``: more, for labels
    above the plot); with ``plot_px``, the figure's height is that margin and ``plot_px``
    of plot. A wide screen gets the same words in fewer lines above the same plot."""
    def lines(width: int, sub_width: int) -> tuple[str, str, int, int]:
        head, sub = wrap(title, width), wrap(subtitle, sub_width)
        n = head.count("<br>") + 1
        return head, sub, n, 38 + 22 * n + 16 * (sub.count("<br>") + 1) + extra_top

    head, sub, n, margin = lines(TITLE_LINE, SUBTITLE_LINE)
    if plot_px is not None:
        fig.update_layout(height=margin + plot_px)
    height = fig.layout.height or 450
    # plotly lifts a title of several lines above its anchor by the extra lines' height:
    # anchor it that much lower, so that its first line starts 12 px from the top
    fig.update_layout(title=dict(text=head, subtitle=dict(text=sub), y=1 - (12 + 22 * (n - 1)) /
                                 height), margin=dict(t=margin))
    head, sub, n, wide = lines(*WIDE_TITLE_LINES)
    high = height - margin + wide
    wide_layout(fig, height=high, margin=dict(t=wide), title=dict(
        text=head, subtitle=dict(text=sub), y=1 - (12 + 22 * (n - 1)) / high))


def fit_label(at: float, axis_max: float, name: str, value: str,
              phone_px: int = 300) -> tuple[str, bool, int]:
    """A direct label ``name: value`` for a mark at ``at`` on an axis from 0 to ``axis_max``,
    placed to fit a phone's plot (about ``phone_px`` wide): right of the mark if it fits,
    else left, else on two lines on the roomier side. Returns the escaped text, whether it
    goes left of the mark, and its number of lines."""
    right, left = (axis_max - at) / axis_max * phone_px, at / axis_max * phone_px
    one = f"{name}: {value}"
    width = len(one) * 6.3 + 14  # px at 12 px Arial, with the gap to the mark
    if width <= right or width <= left:
        return esc(one), width > right, 1
    name = short(name, max(8, int((max(left, right) - 14) / 6.3)))
    return f"{esc(name)}:<br>{esc(value)}", left > right, 2


def year_step(span: int) -> int:
    """Years between ticks on an axis of ``span`` years: few enough for a phone."""
    return 1 if span <= 8 else 2 if span <= 16 else 5


def mark_turning_points(fig: go.Figure, marks: pd.DataFrame, start: int, end: int) -> None:
    """Label turning points on a chart whose x axis is years ``start``..``end``: ``marks``
    has ``start``, ``end`` (missing for a moment) and ``label``, in the axis's units. A
    moment is a dotted line with its words at the top; a period is a shaded band with its
    words at the top, or lower down when a moment's words take the top."""
    moments = marks[marks["end"].isna() & (marks["start"] > start - 0.5)
                    & (marks["start"] < end + 0.5)]
    for m in moments.itertuples():
        fig.add_vline(x=m.start, line=dict(color=MUTED, dash="dot", width=1.5))
        label(fig, m.start, 0.99, m.label, yref="paper", xanchor="left", yanchor="top",
              showarrow=False, xshift=3)
    for m in marks[marks["end"].notna()].itertuples():
        x0, x1 = max(m.start, start - 0.5), min(m.end, end + 0.5)
        if x0 < x1:
            fig.add_vrect(x0=x0, x1=x1, fillcolor=ERA_FILL, line_width=0, layer="below")
            fig.add_annotation(x=(x0 + x1) / 2, y=0.72 if len(moments) else 0.99,
                               yref="paper", yanchor="top", showarrow=False,
                               text=wrap(m.label, 8), font=dict(size=12, color=INK),
                               bgcolor="rgba(255,255,255,0.85)")


def short(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def range_trace(fig: go.Figure, x: float, low: object, high: object, hover: str) -> None:
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


def spread(wanted: list[float], gaps: list[float], low: float, high: float) -> list[float]:
    """Positions for labels along one axis, as near ``wanted`` as they can be while each
    keeps clear of the next (``gaps[i]`` is label ``i``'s height; positions are centres)
    and all stay within ``low``..``high`` while there is room.

    ``wanted`` must be sorted ascending; the result keeps that order. Used for a column
    of direct labels with leader lines, so that labels never overlap (a 1-D repel)."""
    pos: list[float] = []
    for i, w in enumerate(wanted):
        pos.append(max(w, low + gaps[0] / 2) if i == 0
                   else max(w, pos[-1] + (gaps[i - 1] + gaps[i]) / 2))
    if pos and pos[-1] > high - gaps[-1] / 2:
        pos[-1] = high - gaps[-1] / 2
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - (gaps[i] + gaps[i + 1]) / 2)
    return pos


# ---------------------------------------------------------------------------
# charts on a page under a Content-Security-Policy (formats.CSP): no inline script
# ---------------------------------------------------------------------------

#: The one script a page needs to draw its charts (saved as ``assets/charts.js``, beside
#: ``plotly.min.js``): it draws every ``div.bu-chart`` from the JSON data block the div
#: names, and opens every data table before printing. A page with no inline script can
#: forbid inline scripts altogether, so markup that slipped into a page could not run.
CHARTS_JS = """(function () {
  function draw() {
    document.querySelectorAll('div.bu-chart[data-figure]').forEach(function (div) {
      var block = document.getElementById(div.getAttribute('data-figure'));
      if (!block || div.classList.contains('js-plotly-plot')) { return; }
      var spec = JSON.parse(block.textContent);
      Plotly.newPlot(div, spec.data || [], spec.layout || {}, spec.config || {});
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
"""


def site_figure(spec: dict, div_id: str, config: dict | None = None,
                height: str = "100%") -> str:
    """A stored plotly figure for a page under :data:`formats.CSP`: an empty chart div and
    the figure's JSON in a data block (``<script type="application/json">``, which never
    runs); :data:`CHARTS_JS` draws it. Same look as ``plotly.io.to_html``."""
    figure = {"data": spec.get("data", []), "layout": spec.get("layout", {}),
              "config": {"displaylogo": False, "responsive": True, **(config or {})}}
    return (f"<div class=\"bu-figure\"><div id=\"{esc(div_id)}\" class=\"bu-chart "
            f"plotly-graph-div\" style=\"height:{esc(height)}; width:100%;\" "
            f"data-figure=\"{esc(div_id)}-data\"></div>"
            f"{json_script(figure, f'{div_id}-data')}</div>")
