"""The timeline of repatriation policy and the response to it (notebook 04 and others)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from beyond_utopia import data, formats, params, style
from beyond_utopia.dates import day_after, fractional_year, iso_date, parse_partial_date
from beyond_utopia.errors import ParameterError
from beyond_utopia.formats import bound_label, bounds, date_label, esc, esc_text, value_range
from beyond_utopia.style import Chart, base_figure, fit_title, publishers, wrap

#: The timeline chart's rows: China and North Korea each have one; everyone who
#: responded (the UN, governments, rights groups) shares the third.
LANES = ("China", "North Korea", "Others")
#: The timeline chart draws the years from this one on in a panel of their own, enlarged:
#: North Korea closed its border in January 2020, and most events since cluster there.
RECENT_FROM = 2020
#: The timeline chart on a wide screen: its height in px, and characters per label line.
WIDE_TIMELINE = (780, 60)
#: The turning points the notebook's text discusses, labelled on the timeline chart with
#: their own titles. Found by date, actor and category, so a corrected title still matches.
KEY_EVENTS = (
    ("1957-12-17", "China", "statement"), ("1982-09-24", "China", "law"),
    ("1986", "China", "agreement"), ("2012-02", "China", "repatriation"),
    ("2014-02-17", "United Nations", "report"), ("2020-01", "North Korea", "border"),
    ("2021-07", "China", "repatriation"), ("2023-08-27", "North Korea", "border"),
    ("2023-10-09", "China", "repatriation"), ("2025-10-15", "Other", "report"),
)


def table() -> pd.DataFrame:
    """``timeline.csv`` sorted by date, with ``start`` (first day), ``precision`` and ``year``."""
    frame = data.load("timeline")
    parsed = [parse_partial_date(d) for d in frame["date"]]
    frame["precision"] = [p[1] for p in parsed]
    frame["year"] = [p[0].year for p in parsed]
    frame["start"] = pd.to_datetime([p[0] for p in parsed])
    return frame.sort_values(["start", "title"], kind="stable").reset_index(drop=True)


def _enum(field: str) -> list[str]:
    fields = data.resource("timeline")["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def actors() -> list[str]:
    """The actors the timeline allows, in the schema's order (the colour map's order too)."""
    return _enum("actor")


def categories() -> list[str]:
    """The event categories the timeline allows, in the schema's order."""
    return _enum("category")


def check_categories(name: str, values: object) -> list[str]:
    """Check a parameter that lists event categories (``None`` means all)."""
    return params.choices(name, values, categories())


def check_actors(name: str, values: object) -> list[str]:
    """Check a parameter that lists actors (``None`` means all)."""
    return params.choices(name, values, actors())


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check ``start_year`` / ``end_year``; ``None`` means the data's own first or last
    year, so an event added to the table shows without editing the notebook."""
    first, last = year_span(frame)
    return params.year_range("start_year", first if start_year is None else start_year,
                             "end_year", last if end_year is None else end_year, first, last)


def select(frame: pd.DataFrame, start: int | None = None, end: int | None = None,
           actors: list[str] | None = None, categories: list[str] | None = None) -> pd.DataFrame:
    """Events from ``start`` to ``end`` (years, inclusive) by the given actors and categories."""
    keep = frame["year"].between(-9999 if start is None else start, 9999 if end is None else end)
    if actors is not None:
        keep &= frame["actor"].isin(actors)
    if categories is not None:
        keep &= frame["category"].isin(categories)
    return frame[keep].reset_index(drop=True)


def eras() -> pd.DataFrame:
    """``eras.csv`` with ``start_date`` and ``end_date`` (first and last day) for shading."""
    frame = data.load("eras")
    return frame.assign(
        start_date=[parse_partial_date(d)[0].isoformat() for d in frame["start"]],
        end_date=[(day_after(d) - dt.timedelta(days=1)).isoformat() for d in frame["end"]])


def year_span(frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year of the events."""
    return int(frame["year"].min()), int(frame["year"].max())


def require_events(events: pd.DataFrame, period: tuple[int, int], actors: list[str],
                   categories: list[str]) -> pd.DataFrame:
    """Stop with a clear message when the chosen parameters leave no event to show."""
    if len(events) == 0:
        raise ParameterError(
            "actors", actors, f"no event in {period[0]}–{period[1]} matches these actors and "
            f"the categories {categories}; widen the period, the actors or the categories")
    return events


def key_events(events: pd.DataFrame) -> pd.DataFrame:
    """The turning points (:data:`KEY_EVENTS`) among ``events``."""
    keys = set(KEY_EVENTS)
    pick = [(d, a, c) in keys for d, a, c in zip(events["date"], events["actor"],
                                                  events["category"], strict=True)]
    return events[pick]


def border_dates(events: pd.DataFrame) -> tuple[str, str] | None:
    """When North Korea closed its border and when it reopened it (turning points)."""
    keys = key_events(events)
    border = keys[(keys["category"] == "border") & (keys["year"] >= RECENT_FROM)]
    return (border["date"].iloc[0], border["date"].iloc[-1]) if len(border) >= 2 else None


def between(frame: pd.DataFrame, first: str, last: str | None = None) -> pd.DataFrame:
    """Rows whose partial ``date`` lies wholly from ``first`` on and before ``last`` begins."""
    lo = parse_partial_date(first)[0]
    hi = parse_partial_date(last)[0] if last else dt.date.max
    return frame[[lo <= parse_partial_date(d)[0] and day_after(d) <= hi for d in frame["date"]]]


def reports_by_number(returns: pd.DataFrame, date: str) -> list[tuple[str, list[str]]]:
    """For one return, each way its number was stated and who stated it that way."""
    rows = returns[returns["date"] == date]
    groups: dict[str, list[str]] = {}
    for r in rows.itertuples():
        groups.setdefault(bound_label(r.low, r.high), []).append(r.reported_by)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def most_reported(returns: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The return with the most reports (the earliest of a tie), and those reports."""
    counts = returns.groupby("date").size()
    date = min(d for d, n in counts.items() if n == counts.max())
    return date, returns[returns["date"] == date]


def reporter(text: str, limit: int = 26) -> str:
    """Who reported a number, without the relaying outlet: ``Human Rights Watch``."""
    for cut in (" (", ", via", " via "):
        text = text.split(cut)[0]
    return style.short(text.strip().strip("'\""), limit)


# Figures
# ----------------------------------------------------------------------

def _lane(actor: str) -> str:
    return actor if actor in LANES else "Others"


def _timeline_title(events: pd.DataFrame, returns: pd.DataFrame, period: tuple[int, int]) -> str:
    """The finding: since when China's policy is on record (if the period reaches back that
    far) and when the largest reported return came (if the period holds reported returns)."""
    whole = table()
    china = whole[(whole["actor"] == "China") & whole["category"].isin(["statement", "agreement"])]
    since = int(china["year"].min()) if len(china) else None
    returns = returns[[period[0] <= int(d[:4]) <= period[1] for d in returns["date"]]]
    if not len(returns):
        return (f"{len(events)} events, {period[0]}–{period[1]}: what China did, how others "
                "responded")
    top = max(returns.itertuples(), key=lambda r: max(v for v in bounds(r.low, r.high) if v))
    month = date_label(top.date[:7], long=True)
    if since is not None and period[0] <= since:
        return f"China's policy of returns dates to {since}; largest reported return: {month}"
    return f"{len(events)} events, {period[0]}–{period[1]}; the largest reported return: {month}"


def _timeline(events: pd.DataFrame, eras: pd.DataFrame | None, sources: pd.DataFrame | None,
              period: tuple[int, int] | None, returns: pd.DataFrame | None, height: int,
              chars: int) -> tuple:
    """The timeline chart's figure, ``height`` px tall, its labels in lines of ``chars``."""
    publisher = publishers(sources)
    lo, hi = period or year_span(events)
    panels = [(lo, RECENT_FROM - 1), (RECENT_FROM, hi)] if lo < RECENT_FROM <= hi else [(lo, hi)]
    lanes = [lane for lane in LANES if lane in {_lane(a) for a in events["actor"]}]
    width = 0.34  # share of the width the lanes take; the labels take the rest
    x_max = -0.5 + len(lanes) / width
    lane_x = {lane: (i + 0.5) * width / len(lanes) for i, lane in enumerate(lanes)}
    fig = base_figure("", hovermode="closest", height=height, showlegend=False)
    fig.set_subplots(rows=len(panels), cols=1, vertical_spacing=0.05)
    plot_px = height - 170 - (40 if len(panels) == 2 else 0)
    keys = key_events(events)
    era_rows = list(eras.itertuples()) if eras is not None else []
    shapes, notes = [], []  # then one layout update: each add_shape checks every earlier one
    for row, (p0, p1) in enumerate(panels, start=1):
        xref, yref = ("x", "y") if row == 1 else ("x2", "y2")
        span = p1 + 1 - p0
        px = plot_px / len(panels)
        pad = 8 * span / px  # room for a dot on the first or last day
        fig.update_yaxes(row=row, col=1, type="date", title=None, gridcolor=style.GRID,
                         range=[iso_date(p1 + 1 + pad), iso_date(p0 - pad)],
                         dtick="M12" if span <= 12 else "M60" if span <= 40 else "M120")
        fig.update_xaxes(row=row, col=1, range=[-0.5, x_max], showgrid=False, zeroline=False,
                         showline=False, ticks="", tickvals=list(range(len(lanes))),
                         ticktext=[esc(lane).replace(" ", "<br>") for lane in lanes],
                         side="top", showticklabels=row == 1, fixedrange=True, tickangle=0,
                         tickfont=dict(size=11))
        inside = events[events["year"].between(p0, p1)]
        for i, lane in enumerate(lanes):
            shapes.append(dict(type="line", x0=i, x1=i, y0=0, y1=1, xref=xref, layer="below",
                               yref=f"{yref} domain", line=dict(color=style.GRID, width=1)))
            group = inside[[_lane(a) == lane for a in inside["actor"]]]
            key = group.index.isin(keys.index)
            for pick, size, colour in ((~key, 8, style.GREY), (key, 13, style.HIGHLIGHT)):
                g = group[pick]
                fig.add_scatter(
                    x=[i] * len(g), y=[d.date().isoformat() for d in g["start"]],
                    mode="markers", row=row, col=1,
                    marker=dict(size=size, color=colour, opacity=0.85 if size < 10 else 1,
                                line=dict(width=1, color=style.WHITE)),
                    customdata=[[esc(d), esc(t), esc(a), esc(c), esc(publisher.get(s, s))]
                                for d, t, a, c, s in zip(g["date"], g["title"], g["actor"],
                                                         g["category"], g["source_id"],
                                                         strict=True)],
                    hovertemplate="%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}, "
                                  "%{customdata[3]}<br>Source: %{customdata[4]}<extra></extra>")
        # the labels: turning points and shaded periods, style.spread so that none overlaps
        labels = []  # (wanted year, x of the thing pointed at, text, colour)
        for r in keys[keys["year"].between(p0, p1)].itertuples():
            when = date_label(r.date)
            text = wrap(f"{when} {r.title}", chars)
            labels.append((fractional_year(r.date), lane_x[_lane(r.actor)],
                           f"<b>{esc(when)}</b>" + text[len(esc(when)):], style.INK))
        for era in era_rows:
            e0 = max(fractional_year(era.start_date), p0)
            e1 = min(fractional_year(era.end_date), p1 + 1)
            if e0 >= e1:
                continue
            shapes.append(dict(type="rect", xref="paper", x0=0, x1=width, yref=yref,
                               y0=iso_date(e0), y1=iso_date(e1), fillcolor=style.ERA_FILL,
                               line=dict(width=0), layer="below"))
            shaded = f"Shaded: {era.name.lower()}, {era.start[:4]}–{era.end[:4]}"
            labels.append((e0, width, f"<i>{wrap(shaded, chars)}</i>", style.MUTED))
        labels.sort(key=lambda item: item[0])
        per_px = span / px
        heights = [(t.count("<br>") + 1) * 15 * per_px + 8 * per_px for _, _, t, _ in labels]
        placed = style.spread([w for w, *_ in labels], heights, p0, p1 + 1)
        for (wanted, x, text, colour), y in zip(labels, placed, strict=True):
            shapes.append(dict(type="line", xref="paper", yref=yref, x0=x, x1=width + 0.02,
                               y0=iso_date(wanted), y1=iso_date(y),
                               line=dict(color=style.MUTED, width=1)))
            notes.append(dict(xref="paper", yref=yref, x=width + 0.025, y=iso_date(y),
                              text=text, showarrow=False, xanchor="left", yanchor="middle",
                              align="left", font=dict(size=12, color=colour)))
        if len(panels) == 2 and row == 2:
            notes.append(dict(xref="paper", yref=f"{yref} domain", x=1, y=1, yanchor="bottom",
                              xanchor="right", text=f"{p0}–{p1}, enlarged", showarrow=False,
                              font=dict(size=11, color=style.MUTED)))
    fig.update_layout(shapes=(*fig.layout.shapes, *shapes),
                      annotations=(*fig.layout.annotations, *notes))
    title = _timeline_title(events, data.load("returns") if returns is None else returns, (lo, hi))
    fit_title(fig, title, "Each dot is one event; the orange ones are the turning points, "
               "labelled. Every event and its source: the table below",
               extra_top=34)
    fig.update_layout(margin=dict(l=50, r=10, b=20))
    return fig, title, lanes, keys, era_rows, (lo, hi)


def timeline_chart(events: pd.DataFrame, eras: pd.DataFrame | None = None,
                   sources: pd.DataFrame | None = None,
                   period: tuple[int, int] | None = None,
                   returns: pd.DataFrame | None = None) -> Chart:
    """Events down a time axis in three lanes (China, North Korea, everyone else), the
    turning points labelled in a column beside them, shaded periods; the years from
    :data:`RECENT_FROM` on in an enlarged panel of their own. Hover names the source.
    A wide screen gets the labels in longer lines, so the chart can be shorter.

    ``period`` (first and last year) sets the axis and the caption; by default, the
    events' own span. ``returns`` (``returns.csv``) gives the title its largest return."""
    args = (events, eras, sources, period, returns)
    fig, title, lanes, keys, era_rows, (lo, hi) = _timeline(*args, 1000, 26)
    wide = _timeline(*args, *WIDE_TIMELINE)[0]
    lay = wide.layout.to_plotly_json()  # its labels, their lines, its axes' ranges
    style.wide_layout(fig, **lay["meta"]["wide"]["layout"], shapes=lay["shapes"],
                      annotations=lay["annotations"], **{k: dict(range=lay[k]["range"])
                                                         for k in ("yaxis", "yaxis2") if k in lay})
    counts = pd.Series([_lane(a) for a in events["actor"]]).value_counts()
    first, last = events["date"].min(), events["date"].max()
    desc = (f"A timeline of {len(events)} events from {first} to {last} in lanes: " + ", ".join(
        f"{lane} {counts[lane]}" for lane in lanes) + " (Others: the UN, governments and rights "
        "groups)." + (f" From {RECENT_FROM} on, enlarged in a second panel."
                      * (lo < RECENT_FROM <= hi)))
    if len(keys):
        desc += " Labelled turning points: " + "; ".join(
            f"{date_label(r.date)}, {esc_text(r.title)}" for r in keys.itertuples()) + "."
    if era_rows:
        desc += " Shaded periods: " + "; ".join(f"{esc_text(e.name)} ({esc_text(e.start)} to "
                                                f"{esc_text(e.end)})" for e in era_rows) + "."
    return Chart(fig, caption=f"Figure: the timeline, {lo}–{hi}.",
                 description=f"{esc_text(title)}. {desc}",
                 table=events[["date", "actor", "category", "title", "description",
                               "source_id"]])


def returns_chart(returns: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Each organisation's number for each reported return, one row per report grouped by
    the return, every mark labelled with who gave the number and how they stated it."""
    publisher = publishers(sources)
    rows = returns.assign(_start=[fractional_year(d) for d in returns["date"]])
    rows = rows.sort_values(["_start", "date", "reported_by"], kind="stable")
    high = max(v for r in rows.itertuples() for v in bounds(r.low, r.high) if v)
    heads, marks, y = [], [], 0
    for date, group in rows.groupby("date", sort=False):
        heads.append((y, f"<b>{esc(date_label(date))}</b>"))
        for r in group.itertuples():
            y += 1
            lo, hi = bounds(r.low, r.high)
            kind = ("circle" if lo == hi else "line-ns-open" if None not in (lo, hi)
                    else "triangle-right" if hi is None else "triangle-left")
            at = hi if lo is None or (kind == "line-ns-open" and hi < high / 2) else lo
            text, left, lines = style.fit_label(at, high * 1.08, reporter(r.reported_by, 34),
                                                bound_label(r.low, r.high))
            y += (lines - 1) * 0.3  # a label on two lines takes more room
            marks.append(dict(y=y, lo=lo, hi=hi, at=at, kind=kind, left=left, text=text,
                              hover=f"{esc(date_label(date))}: {esc(bound_label(r.low, r.high))}"
                                    f"<br>{esc(r.reported_by)}<br>Source: "
                                    f"{esc(publisher.get(r.source_id, r.source_id))}"))
            y += (lines - 1) * 0.3
        y += 1
    date, top = most_reported(returns)
    title = (f"{len(top)} reports of the {date_label(date, long=True)} return range from "
             f"{formats.span_label(top)}" if len(top) > 1
             else "Forced returns from China, as reported")
    fig = base_figure("", hovermode="closest", height=130 + 21 * y, showlegend=False,
                      xaxis=dict(title="People returned, as reported", tickformat=",",
                                 range=[0, high * 1.08], gridcolor=style.GRID, showgrid=True,
                                 fixedrange=True),
                      yaxis=dict(visible=False, range=[y - 0.5, -0.7], fixedrange=True),
                      margin=dict(l=12, r=12, b=50))
    colour = style.SERIES_COLOURS["total"]
    fig.add_scatter(x=[0] * len(heads), y=[h[0] for h in heads], mode="text",
                    text=[h[1] for h in heads], textposition="middle right",
                    textfont=dict(size=13, color=style.INK), hoverinfo="skip", cliponaxis=False)
    spans = [m for m in marks if m["kind"] == "line-ns-open"]
    if spans:
        fig.add_scatter(x=[v for m in spans for v in (m["lo"], m["hi"], None)],
                        y=[v for m in spans for v in (m["y"], m["y"], None)], mode="lines",
                        line=dict(color=colour, width=3), hoverinfo="skip")
    fig.add_scatter(x=[m["at"] for m in marks], y=[m["y"] for m in marks],
                    mode="markers+text", text=[m["text"] for m in marks],
                    textposition=["middle left" if m["left"] else "middle right" for m in marks],
                    textfont=dict(size=12, color=style.INK), cliponaxis=False,
                    marker=dict(symbol=[m["kind"] for m in marks], size=11, color=colour,
                                line=dict(width=2, color=colour)),
                    hovertext=[m["hover"] for m in marks], hoverinfo="text")
    fit_title(fig, title, "One row per report, grouped by the date of the return; each "
              "number as the report gave it (▶ more than, ◀ up to). Sources: the table below")
    parts = [f"{d}: {len(g)} report{'s' if len(g) > 1 else ''}, {formats.span_label(g)}"
             for d, g in rows.groupby("date", sort=False)]
    return Chart(fig, caption="Figure: forced returns from China as different organisations "
                 "reported them.",
                 description=f"{esc_text(title)}. A chart with one row per report, grouped by "
                 "the return: " + "; ".join(parts) + ".",
                 table=rows[["date", "low", "high", "reported_by", "source_id"]])


def estimates_chart(estimates: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Estimates of North Koreans hiding in China, as ranges on a logarithmic axis, the
    lowest and the highest labelled."""
    publisher = publishers(sources)
    rows = estimates.sort_values(["year", "estimator"]).reset_index(drop=True)
    low, high = value_range(rows)
    title = (f"Estimates of North Koreans hiding in China differ {high / low:.0f}-fold: "
             f"{low:,} to {high:,}")
    fig = base_figure("", hovermode="closest", height=480, showlegend=False,
                      xaxis=dict(title="Year the estimate was made", dtick=5, tickangle=0,
                                 fixedrange=True),
                      margin=dict(l=60, r=16, b=60))
    xs = {}
    for i, r in enumerate(rows.itertuples()):
        hover = (f"{r.year}: {bound_label(r.low, r.high)}<br>{esc(style.short(r.estimator, 70))}"
                 f"<br>Source: {esc(publisher.get(r.source_id, r.source_id))}")
        xs[i] = r.year + (i % 3 - 1) * 0.18  # side by side when several share a year
        style.range_trace(fig, xs[i], r.low, r.high, hover)
    for value, down in ((low, False), (high, True)):
        # the narrowest estimate that gives this number: a single figure if there is one
        i = min((i for i, r in enumerate(rows.itertuples()) if value in bounds(r.low, r.high)),
                key=lambda i: value_range(rows.iloc[[i]])[1] - value_range(rows.iloc[[i]])[0])
        r = rows.iloc[i]
        fig.add_annotation(x=xs[i], y=math.log10(value), showarrow=True, arrowhead=0,
                           text=wrap(f"{reporter(r.estimator, 40)}, {r.year}: {value:,}", 22),
                           arrowcolor=style.MUTED, ax=24, ay=34 if down else -30, xanchor="left",
                           align="left", font=dict(size=12, color=style.INK),
                           bgcolor="rgba(255,255,255,0.85)")
    ticks = [v for v in (3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000)
             if low / 3.1 <= v <= high * 3.1]
    fig.update_yaxes(type="log", title="People (log scale)", tickvals=ticks, fixedrange=True,
                     ticktext=[f"{v:,}" for v in ticks], gridcolor=style.GRID)
    fit_title(fig, title, "By the year each was made: ● one number, a bar a range, ▲ more "
              "than, ▼ up to. Log scale: 10,000 to 30,000 is as far as 100,000 to 300,000")
    desc = (f"{esc_text(title)}. A range chart of {len(rows)} estimates from "
            f"{rows['year'].min()} to {rows['year'].max()}, on a logarithmic scale. They run "
            f"from {low:,} to {high:,}; the largest is {high / low:.0f} times the smallest.")
    return Chart(fig, caption="Figure: estimates of North Koreans hiding in China.",
                 description=desc, table=rows[["year", "low", "high", "estimator", "source_id"]])


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    events, returns, est = table(), data.load("returns"), data.load("china_estimates")
    china = select(events, actors=["China"], categories=["statement"])
    deals = select(events, categories=["agreement"])
    closed, reopened = border_dates(events)
    returns_ = events[(events["category"] == "repatriation") & (events["actor"] == "China")
                      & events["title"].str.contains("return|repatriat", case=False)]
    before, during = [
        "; ".join(f"{date_label(r.date)}: {esc_text(r.title)}" for r in rows.itertuples())
        for rows in (between(returns_, "1000", reopened), between(returns_, closed, reopened))]
    date, top = most_reported(returns)
    per_return = returns.groupby("date").size()
    single = sorted(per_return[per_return == 1].index, key=fractional_year)
    recent = events[events["year"] >= 2023]
    est_min, est_max = value_range(est)
    lanes = pd.Series([_lane(a) for a in between(events, reopened)["actor"]]).value_counts()
    top_est = est[[est_max in bounds(*b) for b in zip(est["low"], est["high"], strict=True)]]
    latest = est.sort_values("year", kind="stable").iloc[-1]
    return {
        "n_events": len(events), "china_first_year": china["date"].iloc[0][:4],
        "china_first_title": esc_text(china["title"].iloc[0]), "china_count": len(china),
        "n_agreements": len(deals), "agreements_from": deals["date"].min()[:4],
        "agreements_to": deals["date"].max()[:4], "reopened": date_label(reopened, long=True),
        "returns_before": before, "returns_closed": during,
        "top_date": date_label(date, long=True), "top_reports": len(top),
        "top_span": formats.span_label(top), "n_returns": len(per_return), "n_single": len(single),
        "top_ways": "; ".join(f"{w} ({len(who)})" for w, who in reports_by_number(returns, date)),
        "single_dates": ", ".join(date_label(d) for d in single),
        "n_recent": len(recent), "recent_pct": f"{len(recent) / len(events) * 100:.0f}",
        "est_n": len(est), "est_max": formats.fmt(est_max), "est_min": formats.fmt(est_min),
        "est_ratio": f"{est_max / est_min:.0f}",
        "est_unstated": int(est["basis"].str.contains("not stated", case=False).sum()),
        "runs_to": date_label(data.runs_to(), long=True),
        "lanes_after": ", ".join(f"{k} {n}" for k, n in lanes.items()),
        "busiest_after": lanes.index[0], "top_estimators": "; ".join(
            f"{esc_text(r.estimator)}, {r.year}" for r in top_est.itertuples()),
        "latest_estimate": f"{esc_text(latest['estimator'])}, {latest['year']}: "
                           f"{bound_label(latest['low'], latest['high'])}",
    }
