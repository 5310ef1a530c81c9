"""The escape route: waypoints, legs, distances (notebook 02).

Waypoints are region-level and deliberately coarse. Distances are great-circle
distances between them: the shortest possible path, so always shorter than the
roads, rivers and mountain paths people actually take.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.formats import bounds, esc, fee_text, fmt, money, value_range
from beyond_utopia.style import (
    GREY,
    GRID,
    INK,
    LABEL_GREY,
    MAP_BACKGROUND,
    MUTED,
    OUTLINE_COLOUR,
    ROUTE_COLOUR,
    SERIES_COLOURS,
    WHITE,
    Chart,
    base_figure,
    fit_title,
    join,
    publishers,
    short,
    use_house_style,
    wrap,
)

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_MILE = 1.609344  # international mile
UNITS = ("km", "miles")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def convert(km: float, unit: str) -> float:
    """Kilometres in ``unit`` (``km`` or ``miles``)."""
    return km if unit == "km" else km / KM_PER_MILE


def to_km(value: float, unit: str) -> float:
    return value if unit == "km" else value * KM_PER_MILE


def check_unit(unit: object) -> str:
    return str(params.choice("unit", unit, UNITS))


def waypoints() -> pd.DataFrame:
    """``route.csv`` in order."""
    return data.load("route").sort_values("order").reset_index(drop=True)


def leg_numbers() -> list[int]:
    """The legs, numbered by the waypoint each ends at (2 to the last)."""
    return [int(o) for o in waypoints()["order"]][1:]


def check_legs(name: str, legs: object) -> list[int]:
    """Check a parameter that lists legs (``None`` means none)."""
    if legs is None:
        return []
    allowed = leg_numbers()
    if isinstance(legs, bool) or not isinstance(legs, list | tuple) or \
            any(isinstance(x, bool) or x not in allowed for x in legs):
        raise params.ParameterError(name, legs, "give a list of leg numbers from "
                                    f"{allowed[0]} to {allowed[-1]} (or None)")
    return sorted(set(legs))


def legs(points: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per leg: from, to, mode and great-circle length in km."""
    points = waypoints() if points is None else points
    return pd.DataFrame([{"leg": int(b.order), "from": a.place, "to": b.place,
                          "country": b.country, "mode": b.leg_mode,
                          "km": haversine_km(a.latitude, a.longitude, b.latitude, b.longitude),
                          "source_id": b.source_id}
                         for a, b in zip(points.itertuples(), points.iloc[1:].itertuples(),
                                         strict=False)])


def total_km(leg_table: pd.DataFrame, through_leg: int | None = None) -> float:
    """Length of all legs, or of the legs up to and including ``through_leg``."""
    rows = leg_table if through_leg is None else leg_table[leg_table["leg"] <= through_leg]
    return float(rows["km"].sum())


def first_leg_into(leg_table: pd.DataFrame, country: str) -> int:
    """The first leg that ends in ``country``."""
    return int(leg_table.loc[leg_table["country"] == country, "leg"].min())


def quoted_distances() -> pd.DataFrame:
    """``route_distances.csv`` with each figure in km (``km`` column)."""
    frame = data.load("route_distances")
    frame["km"] = [to_km(float(v), u) for v, u in zip(frame["value"], frame["unit"],
                                                       strict=True)]
    return frame


@cache
def outlines() -> dict:
    """Country outlines for the map (Natural Earth, shipped with the package)."""
    text = resources.files("beyond_utopia").joinpath("assets/countries.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def fee_label(row: pd.DataFrame) -> str:
    """A reported fee as text: ``$20,000``, ``3.5 million KRW``, ``less than $2,000``."""
    return fee_text(*bounds(row["low"], row["high"]), str(row["currency"]))


def rescue_summary(fees: pd.DataFrame) -> dict:
    """Pastor Kim's own figures for rescuing one person in US dollars, before and after
    COVID-19 (the period each report gives), how many reports give each, and the ratio."""
    kim = fees[(fees["period"] + fees["covers"]).str.contains("Pastor Kim", regex=False)
               & (fees["currency"] == "USD")]
    usd, period = kim["high"].fillna(kim["low"]), kim["period"].str.lower()
    after = usd[period.str.contains("after")]
    before = usd[period.str.contains("past|before") & ~period.str.contains("after")]
    b, a = int(before.max()), int(after.max())
    return {"before": b, "after": a, "before_reports": len(before), "after_reports": len(after),
            "ratio": round(a / b, 1)}


def rescue_markdown(fees: pd.DataFrame) -> str:
    """What the pastor in the film says a rescue costs, and why two reports are one source."""
    c = rescue_summary(fees)
    text = (f"**What the pastor in the film says.** Pastor Kim puts the cost of one rescue at "
            f"about **\\${c['before']:,}** before COVID-19 (he said \"maybe\") and "
            f"**\\${c['after']:,}** after it: {c['ratio']:g} times as much. ")
    if c["after_reports"] > 1:
        text += (f"The higher figure appears in {c['after_reports']} reports, but they quote the "
                 "same person, so they repeat it rather than confirm it. ")
    return text + "It is his estimate for his own network, not comparable with the other fees."


# Figures
# ----------------------------------------------------------------------

#: Where the map writes each country's name (longitude, latitude): placement only, clear
#: of the waypoints.
MAP_LABELS = {"China": (101.5, 38.5), "North Korea": (121.6, 39.4),
              "South Korea": (127.6, 34.4), "Vietnam": (108.4, 14.6), "Laos": (105.4, 17.6),
              "Thailand": (97.6, 15.6)}

#: Where each leg's label sits, in pixels from the middle of the leg (placement only;
#: a leg not named here gets ``(0, -30)``). Chosen so that no two labels overlap, on a
#: 390 px phone or on a 1280 px screen.
LEG_LABEL_OFFSETS = {2: (-78, -18), 3: (-58, -30), 4: (58, -66), 5: (-12, -60),
                     6: (100, 94), 7: (44, 86), 8: (46, 30)}


def countries_crossed(points: pd.DataFrame) -> list[str]:
    """The countries the route passes through, in order: neither the country it starts
    from nor the one it ends in."""
    first, last = points["country"].iloc[0], points["country"].iloc[-1]
    return [c for c in dict.fromkeys(points["country"]) if c not in (first, last)]


def ground_km(leg_table: pd.DataFrame) -> float:
    """Length of the legs not flown, in km."""
    return total_km(leg_table[leg_table["mode"] != "flight"])


def _label_sides(points: pd.DataFrame) -> list[str]:
    """Where each waypoint's number goes: away from the waypoints within 3.5° of it, so that
    close waypoints (the first two are 1° apart) never cover each other's numbers."""
    xy = [(float(x), float(y)) for x, y in zip(points["longitude"], points["latitude"],
                                               strict=True)]
    sides = []
    for x, y in xy:
        near = [((x - ox) / d, (y - oy) / d) for ox, oy in xy
                if 0 < (d := math.hypot(x - ox, y - oy)) < 3.5]
        dx, dy = sum(n[0] for n in near), sum(n[1] for n in near)
        sides.append("middle right" if not near else
                     ("middle right" if dx > 0 else "middle left") if abs(dx) > abs(dy) else
                     "top center" if dy > 0 else "bottom center")
    return sides


def route_map(points: pd.DataFrame, leg_table: pd.DataFrame, unit: str = "km",
              highlight: list[int] | None = None,
              sources: pd.DataFrame | None = None) -> Chart:
    """The route on a map drawn from shipped country outlines: no tiles, no network.
    Each leg is labelled with how it was travelled; the waypoints are numbered."""
    publisher = publishers(sources)
    highlight = highlight or []
    geo = outlines()
    lon0, lon1, lat0, lat1 = geo["bbox"]
    ground = convert(ground_km(leg_table), unit)  # rounded down: straight lines are minimums
    title = (f"At least {int(ground // 100 * 100):,} {unit} over land before "
             + ("the flight to " if (leg_table["mode"] == "flight").any() else "reaching ")
             + str(points["place"].iloc[-1]))
    fig = base_figure(title, hovermode="closest", height=560, showlegend=False,
                      margin=dict(l=8, r=8, b=8))
    fit_title(fig, title, f"Straight lines between approximate regions (exact places "
              f"withheld), in {unit}. Circles: waypoints; leg n ends at waypoint n.")
    xs: list = []
    ys: list = []
    for rings in geo["countries"].values():
        for ring in rings:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=OUTLINE_COLOUR, width=0.8),
                    hoverinfo="skip", name="country borders")
    for name, (x, y) in MAP_LABELS.items():
        fig.add_annotation(x=x, y=y, text=esc(name.upper()), showarrow=False,
                           font=dict(size=10, color=LABEL_GREY))
    for leg in leg_table.itertuples():
        a = points[points["order"] == leg.leg - 1].iloc[0]
        b = points[points["order"] == leg.leg].iloc[0]
        chosen = leg.leg in highlight
        xa, ya, xb, yb = (float(a.longitude), float(a.latitude), float(b.longitude),
                          float(b.latitude))
        length = f"about {convert(leg.km, unit):,.0f} {unit} in a straight line"
        fig.add_scatter(x=[xa, xb], y=[ya, yb], mode="lines", hoverinfo="text",
                        hovertext=f"Leg {leg.leg}: {esc(leg.mode)}, {length}",
                        line=dict(color=ROUTE_COLOUR, width=6 if chosen else 3,
                                  dash="dot" if leg.mode == "flight" else "solid"))
        ax, ay = LEG_LABEL_OFFSETS.get(leg.leg, (0, -30))
        text = wrap(f"Leg {leg.leg}: {leg.mode}", 20)
        fig.add_annotation(x=(xa + xb) / 2, y=(ya + yb) / 2, ax=ax, ay=ay,
                           text=f"<b>{text}</b>" if chosen else text,
                           showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=MUTED,
                           font=dict(size=11, color=INK), align="left",
                           bgcolor="rgba(255,255,255,0.9)", borderpad=2)
    fig.add_scatter(
        x=[float(v) for v in points["longitude"]], y=[float(v) for v in points["latitude"]],
        mode="markers+text", text=[str(o) for o in points["order"]],
        textposition=_label_sides(points), textfont=dict(size=12, color=INK),
        marker=dict(size=9, color=WHITE, line=dict(color=ROUTE_COLOUR, width=2)),
        customdata=[[esc(p), esc(c), esc(publisher.get(s, s))] for p, c, s in
                    zip(points["place"], points["country"], points["source_id"], strict=True)],
        hovertemplate="%{text}. %{customdata[0]} (%{customdata[1]})<br>Source: "
                      "%{customdata[2]}<extra></extra>")
    ratio = 1 / math.cos(math.radians((lat0 + lat1) / 2))
    fig.update_xaxes(range=[lon0, lon1], visible=False, constrain="domain")
    fig.update_yaxes(range=[lat0, lat1], visible=False, scaleanchor="x", scaleratio=ratio,
                     constrain="domain", constraintoward="top")
    fig.update_layout(plot_bgcolor=MAP_BACKGROUND)
    total = convert(total_km(leg_table), unit)
    desc = (f"A map of {len(points)} approximate waypoints joined by {len(leg_table)} legs, "
            f"through {join(countries_crossed(points))}: "
            + "; ".join(f"leg {r.leg} to {r.to} ({r.mode}, about "
                        f"{convert(r.km, unit):,.0f} {unit})" for r in leg_table.itertuples())
            + f". In straight lines the legs not flown add up to about {ground:,.0f} {unit}, "
              f"and the whole route to about {total:,.0f} {unit}.")
    if highlight:
        desc += f" Highlighted: leg {join(highlight)}."
    return Chart(fig, caption=f"Figure: the route, {points['country'].iloc[0]} to "
                              f"{points['country'].iloc[-1]}.", description=desc,
                 table=leg_table.assign(**{unit: [round(convert(k, unit)) for k in
                                                  leg_table["km"]]})[
                     ["leg", "from", "to", "mode", unit, "source_id"]])


def distances_chart(quoted: pd.DataFrame, straight_km: dict[str, float], unit: str = "km",
                    sources: pd.DataFrame | None = None) -> Chart:
    """Distances that reviews and reports quote, one bar each (the film's journey first),
    against dashed lines at the straight-line distances along the waypoints."""

    publisher = publishers(sources)
    rows = quoted.assign(other=quoted["scope"] != "the film's journey").sort_values(
        ["other", "km"], ascending=[True, False]).reset_index(drop=True)
    film = rows[rows["scope"] == "the film's journey"]
    lo, hi = convert(film["km"].min(), unit), convert(film["km"].max(), unit)
    title = f"Quoted lengths of the film's journey run from {lo:,.0f} to {hi:,.0f} {unit}"
    top = convert(max(rows["km"].max(), max(straight_km.values())), unit)
    height = 190 + 46 * len(rows) + 30 * len(straight_km)
    fig = base_figure(title, height=height, hovermode="closest", barmode="overlay",
                      margin=dict(l=12, r=12), bargap=0.45)
    fit_title(fig, title, f"Each bar is one figure as a review or report gives it, in {unit}; "
              "dashed lines: straight lines along this notebook's waypoints")
    ypos = list(range(len(rows)))[::-1]
    for scope, colour in (("the film's journey", SERIES_COLOURS["total"]),
                          ("the general route", GREY)):
        part = rows[rows["scope"] == scope]
        ys = [ypos[i] for i in part.index]
        said = [esc(f"{q} {v:,.0f} {u}".strip()) for q, v, u in
                zip(part["qualifier"].fillna(""), part["value"], part["unit"], strict=True)]
        fig.add_bar(y=ys, x=[convert(k, unit) for k in part["km"]], orientation="h",
                    marker_color=colour, name=scope.capitalize(), width=0.4,
                    text=said, textposition="outside", cliponaxis=False,
                    textfont=dict(size=12, color=INK),
                    customdata=[esc(publisher.get(s, s)) for s in part["source_id"]],
                    hovertemplate="%{text}<br>Source: %{customdata}<extra></extra>")
        for y, s, st in zip(ys, part["source_id"], part["stretch"], strict=True):
            fig.add_annotation(x=0, y=y + 0.22, xanchor="left", yanchor="bottom",
                               showarrow=False, font=dict(size=12, color=INK), align="left",
                               text=esc(f"{short(publisher.get(s, s), 28)}: {st}"))
    for i, (name, km) in enumerate(straight_km.items()):
        x = convert(km, unit)
        fig.add_shape(type="line", x0=x, x1=x, y0=-0.6 - 0.9 * i, y1=len(rows) - 0.1,
                      line=dict(color=ROUTE_COLOUR, dash="dash", width=1.5), layer="below")
        fig.add_annotation(x=x, y=-0.6 - 0.9 * i, yanchor="middle",
                           xanchor="left" if x < top * 0.6 else "right",
                           showarrow=False, font=dict(size=12, color=ROUTE_COLOUR),
                           text=esc(f"straight line {name}: {x:,.0f} {unit}"),
                           bgcolor="rgba(255,255,255,0.9)")
    fig.update_xaxes(range=[0, top * 1.22], tickformat=",", nticks=5, title=None,
                     ticksuffix=f" {unit}" if unit == "km" else "")
    fig.update_yaxes(visible=False, range=[-0.6 - 0.9 * len(straight_km), len(rows) - 0.1])
    desc = (f"A bar chart of {len(rows)} quoted distances, from "
            f"{convert(rows['km'].min(), unit):,.0f} to {convert(rows['km'].max(), unit):,.0f} "
            f"{unit}; {len(film)} of them are for the film's journey, from {lo:,.0f} to "
            f"{hi:,.0f} {unit}. Dashed lines mark the straight-line distances along our "
            "waypoints (" + "; ".join(f"{n}: {convert(k, unit):,.0f} {unit}"
                                      for n, k in straight_km.items()) + ").")
    return Chart(fig, caption="Figure: the route's length, as quoted and in straight lines.",
                 description=desc, table=rows[["scope", "qualifier", "value", "unit", "stretch",
                                               "source_id"]])


#: Names of the currencies the fee table uses.
CURRENCIES = {"USD": "US dollars", "KRW": "South Korean won", "CNY": "Chinese yuan"}


def _log_ticks(low: float, high: float) -> list[float]:
    """1-3-10 ticks that cover ``low``..``high`` on a logarithmic axis (1-10-100 when
    that would make more than four)."""
    ticks, step = [], 10 ** math.floor(math.log10(low))
    while step <= high * 3:
        ticks += [t for t in (step, 3 * step) if low / 3 <= t <= high * 3]
        step *= 10
    return ticks if len(ticks) <= 4 else [t for t in ticks if math.log10(t) % 1 == 0]


def fees_chart(fees: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Broker fees as reported, one row per report, in the currency the source gives: what
    each covers and who reported it, with no line between them (they cover different
    journeys, so no trend can be read from them)."""
    from plotly.subplots import make_subplots

    publisher = publishers(sources)
    order = list(fees["currency"].value_counts(sort=True).index)
    groups = [fees[fees["currency"] == c].reset_index(drop=True) for c in order]
    usd = fees[fees["currency"] == "USD"]
    low, high = value_range(usd if len(usd) else fees)
    unit = "USD" if len(usd) else order[0]
    title = (f"Fees reported in {CURRENCIES.get(unit, unit)} run from {money(low, unit)} "
             f"to {money(high, unit)}, for different journeys")
    use_house_style()
    fig = make_subplots(rows=len(groups), cols=1, vertical_spacing=110 / (
        120 + 70 * len(fees)), row_heights=[len(g) for g in groups])
    fig.update_layout(height=200 + 70 * len(fees) + 60 * len(groups), hovermode="closest",
                      showlegend=False, margin=dict(l=12, r=12))
    fit_title(fig, title, "One row per report: what the fee covers, who reported it and "
              "when. Logarithmic scale; no currency converted.", extra_top=34)
    for k, (currency, group) in enumerate(zip(order, groups, strict=True), start=1):
        xr, yr = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
        values = [v for r in group.itertuples() for v in bounds(r.low, r.high) if v is not None]
        x0, x1 = math.log10(min(values) / 1.6), math.log10(max(values) * 4)
        for y, r in zip(range(len(group) - 1, -1, -1), group.itertuples(), strict=True):
            lo, hi = bounds(r.low, r.high)
            xs = [v for v in (lo, hi) if v is not None]
            said = esc(fee_text(lo, hi, currency))
            left = (math.log10(xs[-1]) - x0) / (x1 - x0) > 0.6  # label left of the mark
            who = str(publisher.get(r.source_id, r.source_id))
            fig.add_scatter(x=xs, y=[y] * len(xs), mode="lines+markers+text", row=k, col=1,
                            line=dict(color=SERIES_COLOURS["total"], width=3), marker=dict(
                                size=11, color=SERIES_COLOURS["total"], symbol="circle" if
                                lo == hi else "line-ns" if len(xs) == 2 else "triangle-right"
                                if hi is None else "triangle-left"),
                            text=[said] + [""] * (len(xs) - 1) if left else
                            [""] * (len(xs) - 1) + [said], textfont=dict(size=12, color=INK),
                            textposition="middle left" if left else "middle right",
                            hovertext=f"{said}: {esc(r.covers)}<br>Source: {esc(who)}",
                            hoverinfo="text", cliponaxis=False)
            fig.add_annotation(x=0, xref=f"{xr} domain", y=y + 0.16, yref=yr, xanchor="left",
                               yanchor="bottom", showarrow=False, align="left",
                               font=dict(size=11, color=INK),
                               text=f"{wrap(short(r.covers, 112), 58)}<br><span style=\"color:"
                                    f"{MUTED}\">{esc(short(f'{who}, {r.period}', 56))}</span>")
        ticks = _log_ticks(min(values), max(values))
        fig.update_xaxes(type="log", row=k, col=1, tickvals=ticks, showgrid=True,
                         gridcolor=GRID, ticktext=[money(t, currency, False) for t in ticks],
                         range=[x0, x1], tickangle=0)
        fig.update_yaxes(visible=False, row=k, col=1, range=[-0.5, len(group) - 0.1])
        fig.add_annotation(x=0, xref=f"{xr} domain", y=1, yref=f"{yr} domain", yshift=26,
                           yanchor="bottom", xanchor="left", showarrow=False,
                           text=f"<b>In {esc(CURRENCIES.get(currency, currency))}</b>",
                           font=dict(size=13, color=INK))
    dated = fees["year"].notna().sum()
    desc = (f"A dot chart of {len(fees)} reported fees, one row each, in "
            f"{join([CURRENCIES.get(c, c) for c in order])}: {dated} dated, {len(fees) - dated} "
            f"not. In {CURRENCIES.get(unit, unit)}, the figures run from {money(low, unit)} to "
            f"{money(high, unit)}. A triangle pointing right is a lower bound (\"more than\"), "
            "pointing left an upper bound (\"less than\"). Each fee covers a different journey, "
            "so the chart draws no line between them.")
    return Chart(fig, caption="Figure: broker fees, as reported.", description=desc,
                 table=fees[["year", "period", "low", "high", "currency", "covers", "source_id"]])


def solution_values() -> dict:
    """Every number and name the teacher notes quote, computed from the data (in km)."""
    leg_table, p = legs(), waypoints()
    names = publishers(data.load("sources"))
    foot = leg_table[leg_table["mode"].str.contains("on foot")]
    direct = haversine_km(p.latitude.iloc[0], p.longitude.iloc[0],
                          p.latitude.iloc[-1], p.longitude.iloc[-1])
    total = total_km(leg_table)
    quoted = quoted_distances()
    film = quoted[quoted["scope"] == "the film's journey"]
    twice = film[film["source_id"].duplicated(keep=False)]
    fees = data.load("broker_fees")
    usd = fees[fees["currency"] == "USD"]
    usd_min, usd_max = value_range(usd)
    top = usd.loc[usd[["low", "high"]].max(axis=1).idxmax()]
    same = usd[(usd[["low", "high"]].max(axis=1) == usd_max)
               & (usd["source_id"] != top["source_id"])]
    return {
        "foot_legs": join([str(x) for x in foot["leg"]]), "foot_km": fmt(foot["km"].sum()),
        "foot_countries": join(list(dict.fromkeys(foot["country"]))),
        "foot_share": f"{foot['km'].sum() / total * 100:.0f}", "direct_km": fmt(direct),
        "route_km": fmt(total), "detour": f"{total / direct:.0f}",
        "ground_km": fmt(ground_km(leg_table)),
        "thailand_km": fmt(total_km(leg_table, first_leg_into(leg_table, "Thailand"))),
        "crossed": join(countries_crossed(p)), "n_crossed": len(countries_crossed(p)),
        "film_n": len(film), "film_lo": fmt(film["km"].min()), "film_hi": fmt(film["km"].max()),
        "twice_source": join(sorted({names.get(x, x) for x in twice["source_id"]}) or ["none"]),
        "twice_figures": join([f"{q} {v:,.0f} {u} for “{st}”".strip() for q, v, u, st in zip(
            twice["qualifier"].fillna(""), twice["value"], twice["unit"], twice["stretch"],
            strict=True)] or ["none"]),
        "usd_min": fmt(usd_min), "usd_max": fmt(usd_max), "n_fees": len(fees),
        "n_dated": int(fees["year"].notna().sum()), "top_fee": fee_label(top),
        "top_covers": top["covers"], "top_period": top["period"],
        "top_source": names.get(top["source_id"], top["source_id"]),
        "top_others": join(sorted({names.get(x, x) for x in same["source_id"]})
                           or ["none"]),
    }
