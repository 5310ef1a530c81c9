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
from typing import Any

from beyond_utopia import data, params

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


def waypoints() -> Any:
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


def legs(points: Any | None = None) -> Any:
    """One row per leg: from, to, mode and great-circle length in km."""
    import pandas as pd

    points = waypoints() if points is None else points
    rows = []
    for a, b in zip(points.itertuples(), points.iloc[1:].itertuples(), strict=False):
        rows.append({"leg": int(b.order), "from": a.place, "to": b.place,
                     "country": b.country, "mode": b.leg_mode,
                     "km": haversine_km(a.latitude, a.longitude, b.latitude, b.longitude),
                     "source_id": b.source_id})
    return pd.DataFrame(rows)


def total_km(leg_table: Any, through_leg: int | None = None) -> float:
    """Length of all legs, or of the legs up to and including ``through_leg``."""
    rows = leg_table if through_leg is None else leg_table[leg_table["leg"] <= through_leg]
    return float(rows["km"].sum())


def first_leg_into(leg_table: Any, country: str) -> int:
    """The first leg that ends in ``country``."""
    return int(leg_table.loc[leg_table["country"] == country, "leg"].min())


def quoted_distances() -> Any:
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


def fee_label(row: Any) -> str:
    """A reported fee as text: ``$20,000``, ``3,500,000 KRW``, ``less than $2,000``."""
    from beyond_utopia.formats import bound_label

    unit = "${:,}" if row["currency"] == "USD" else "{:,} " + str(row["currency"])
    return bound_label(row["low"], row["high"], unit, upper="less than")
