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
from beyond_utopia.formats import bound_label, esc, fmt, value_range
from beyond_utopia.style import (
    GREY,
    LABEL_GREY,
    MAP_BACKGROUND,
    OUTLINE_COLOUR,
    ROUTE_COLOUR,
    SERIES_COLOURS,
    WHITE,
    Chart,
    base_figure,
    join,
    publishers,
    range_trace,
    short,
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
    rows = []
    for a, b in zip(points.itertuples(), points.iloc[1:].itertuples(), strict=False):
        rows.append({"leg": int(b.order), "from": a.place, "to": b.place,
                     "country": b.country, "mode": b.leg_mode,
                     "km": haversine_km(a.latitude, a.longitude, b.latitude, b.longitude),
                     "source_id": b.source_id})
    return pd.DataFrame(rows)


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
    """A reported fee as text: ``$20,000``, ``3,500,000 KRW``, ``less than $2,000``."""
    unit = "${:,}" if row["currency"] == "USD" else "{:,} " + str(row["currency"])
    return bound_label(row["low"], row["high"], unit, upper="less than")


# Figures
# ----------------------------------------------------------------------

#: Where the map writes each country's name (longitude, latitude): placement only.
MAP_LABELS = {"China": (104.0, 33.0), "North Korea": (126.6, 40.6),
              "South Korea": (128.2, 36.0), "Vietnam": (107.6, 14.5), "Laos": (102.7, 19.3),
              "Thailand": (99.0, 16.5), "Myanmar": (96.5, 21.5), "Cambodia": (104.8, 12.6)}


def route_map(points: pd.DataFrame, leg_table: pd.DataFrame, unit: str = "km",
              highlight: list[int] | None = None,
              sources: pd.DataFrame | None = None) -> Chart:
    """The route on a map drawn from shipped country outlines: no tiles, no network."""
    publisher = publishers(sources)
    highlight = highlight or []
    geo = outlines()
    lon0, lon1, lat0, lat1 = geo["bbox"]
    fig = base_figure("The route the film follows (approximate; exact places withheld)",
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
                           font=dict(size=11, color=LABEL_GREY))
    for leg in leg_table.itertuples():
        a = points[points["order"] == leg.leg - 1].iloc[0]
        b = points[points["order"] == leg.leg].iloc[0]
        flight = leg.mode == "flight"
        chosen = leg.leg in highlight
        fig.add_scatter(
            x=[float(a.longitude), float(b.longitude)], y=[float(a.latitude), float(b.latitude)],
            mode="lines", showlegend=False, hoverinfo="text",
            hovertext=f"Leg {leg.leg}: {esc(leg.mode)}, about "
                      f"{convert(leg.km, unit):,.0f} {unit} in a straight line",
            line=dict(color=ROUTE_COLOUR, width=6 if chosen else 3,
                      dash="dot" if flight else "solid"))
    fig.add_scatter(
        x=[float(v) for v in points["longitude"]], y=[float(v) for v in points["latitude"]],
        mode="markers+text", name="waypoints (approximate)",
        text=[str(o) for o in points["order"]], textposition="middle right",
        marker=dict(size=11, color=WHITE, line=dict(color=ROUTE_COLOUR, width=2)),
        customdata=[[esc(p), esc(c), esc(publisher.get(s, s))] for p, c, s in
                    zip(points["place"], points["country"], points["source_id"], strict=True)],
        hovertemplate="%{customdata[0]} (%{customdata[1]})<br>Source: %{customdata[2]}"
                      "<extra></extra>")
    ratio = 1 / math.cos(math.radians((lat0 + lat1) / 2))
    fig.update_xaxes(range=[lon0, lon1], visible=False)
    fig.update_yaxes(range=[lat0, lat1], visible=False, scaleanchor="x", scaleratio=ratio)
    fig.update_layout(plot_bgcolor=MAP_BACKGROUND)
    total = convert(total_km(leg_table), unit)
    desc = (f"A map of {len(points)} approximate waypoints joined by {len(leg_table)} legs: "
            + "; ".join(f"leg {r.leg} to {r.to} ({r.mode}, about "
                        f"{convert(r.km, unit):,.0f} {unit})" for r in leg_table.itertuples())
            + f". In straight lines the whole route is about {total:,.0f} {unit}.")
    if highlight:
        desc += f" Highlighted: leg {join(highlight)}."
    return Chart(fig, caption="Figure: the route, North Korea to South Korea.", description=desc,
                 table=leg_table.assign(**{unit: [round(convert(k, unit)) for k in
                                                  leg_table["km"]]})[
                     ["leg", "from", "to", "mode", unit, "source_id"]])


def distances_chart(quoted: pd.DataFrame, straight_km: dict[str, float], unit: str = "km",
                    sources: pd.DataFrame | None = None) -> Chart:
    """Distances that reviews and reports quote, beside the straight-line distances."""

    publisher = publishers(sources)
    rows = quoted.sort_values("km").reset_index(drop=True)
    labels = [f"{esc(short(publisher.get(s, s), 30))}: {esc(st)}"
              for s, st in zip(rows["source_id"], rows["stretch"], strict=True)]
    fig = base_figure(f"How long is the route? Quoted distances, in {unit}",
                xaxis=dict(title=unit, tickformat=","), hovermode="closest",
                height=160 + 30 * len(rows), barmode="overlay")
    fig.add_bar(y=labels, x=[convert(k, unit) for k in rows["km"]], orientation="h",
                marker_color=[SERIES_COLOURS["total"] if s == "the film's journey" else GREY
                              for s in rows["scope"]],
                name="quoted (dark: the film's journey; grey: the general route)", showlegend=True,
                customdata=[[esc(f"{q} {v:,.0f} {u}".strip()), esc(publisher.get(s, s))]
                            for q, v, u, s in zip(rows["qualifier"].fillna(""), rows["value"],
                                                  rows["unit"], rows["source_id"], strict=True)],
                hovertemplate="%{customdata[0]}<br>Source: %{customdata[1]}<extra></extra>")
    for i, (name, km) in enumerate(straight_km.items()):
        fig.add_vline(x=convert(km, unit), line=dict(color=ROUTE_COLOUR, dash="dash"),
                      annotation_text=f"straight line, {name}: {convert(km, unit):,.0f}",
                      annotation_position="top right" if i % 2 else "bottom right",
                      annotation_font_size=11)
    fig.update_yaxes(automargin=True, title=None)
    lo, hi = rows["km"].min(), rows["km"].max()
    desc = (f"A bar chart of {len(rows)} quoted distances, from "
            f"{convert(lo, unit):,.0f} to {convert(hi, unit):,.0f} {unit}; dashed lines "
            "mark the straight-line distances along our waypoints ("
            + "; ".join(f"{n}: {convert(k, unit):,.0f} {unit}" for n, k in straight_km.items())
            + ").")
    return Chart(fig, caption="Figure: the route's length, as quoted and in straight lines.",
                 description=desc, table=rows[["scope", "qualifier", "value", "unit", "stretch",
                                               "source_id"]])


def fees_chart(fees: pd.DataFrame, sources: pd.DataFrame | None = None) -> Chart:
    """Broker fees in US dollars, by the year they refer to, on a logarithmic axis."""
    publisher = publishers(sources)
    usd = fees[(fees["currency"] == "USD") & fees["year"].notna()].sort_values("year")
    fig = base_figure("What brokers charge, as reported (US dollars, dated reports only)",
                xaxis=dict(title="Year the fee refers to", dtick=2), hovermode="closest")
    for i, r in enumerate(usd.itertuples()):
        label = bound_label(r.low, r.high, "${:,}", upper="less than")
        range_trace(fig, int(r.year) + (i % 2) * 0.15, r.low, r.high,
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


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    leg_table = legs()
    foot = leg_table[leg_table["mode"].str.contains("on foot")]
    p = waypoints()
    direct = haversine_km(p.latitude.iloc[0], p.longitude.iloc[0],
                          p.latitude.iloc[-1], p.longitude.iloc[-1])
    total = total_km(leg_table)
    fees = data.load("broker_fees")
    usd = fees[fees["currency"] == "USD"]
    usd_min, usd_max = value_range(usd)
    checked = value_range(usd[usd[["low", "high"]].max(axis=1) < usd_max])[1]
    return {
        "foot_legs": ", ".join(str(x) for x in foot["leg"]), "foot_km": fmt(foot["km"].sum()),
        "direct_km": fmt(direct), "route_km": fmt(total), "detour": f"{total / direct:.0f}",
        "usd_min": fmt(usd_min), "usd_max": fmt(usd_max),
        "usd_factor": f"{usd_max / usd_min:.0f}", "usd_outlier": fmt(usd_max),
        "usd_factor_checked": f"{checked / usd_min:.0f}",
    }
