"""Arriving in South Korea (notebook 08): how South Korea receives the North Koreans who
reach it: the law and its steps, Hanawon, settlement money and the large group arrivals.
The tables describe the system as official and press sources give it. Nothing here prints."""

from __future__ import annotations

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.formats import bound_label, date_label, esc, missing
from beyond_utopia.style import (
    ERA_FILL,
    INK,
    SERIES_COLOURS,
    Chart,
    fit_wide,
    join,
    kinds_of,
    label,
    publishers,
)
from beyond_utopia.topics.after_return import figure, worded

#: The settlement money the chart follows.
BASIC_MONEY = "basic settlement money, one person"
#: The words that pick the timeline's events on the large group arrivals.
GROUP_WORDS = ("airlift", "chartered flight", "restaurant", "embassy asylum")


def check_show_proposed(value: object) -> bool:
    """The ``show_proposed`` parameter: draw settlement money that was only proposed."""
    return params.flag("show_proposed", value)


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


def gap_years(seg: pd.DataFrame) -> list[int]:
    """The years between the first and the last of ``money()``'s segments that no source
    gives a figure for."""
    covered: set[int] = set()
    for r in seg.itertuples():
        start = r.last_year if missing(r.first_year) else int(r.first_year)
        covered |= set(range(start, r.last_year + 1))
    first, last = int(seg["first_year"].dropna().min()), int(seg["last_year"].max())
    return [y for y in range(first, last + 1) if y not in covered]


def gap_spans(gaps: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive years: ``[1999, 2000, 2005]`` gives ``[(1999, 2000), (2005, 2005)]``."""
    spans: list[list[int]] = []
    for y in gaps:
        if spans and spans[-1][1] == y - 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return [(a, b) for a, b in spans]


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
    gaps = gap_years(seg)
    spans = gap_spans(gaps)
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


# The prose the notebook writes from the tables
# ----------------------------------------------------------------------

def protection_markdown(settlement: pd.DataFrame, law_events: pd.DataFrame) -> str:
    """The paragraph on the law, the council, Hanawon and what follows it."""
    council = value_of(settlement, "agencies on the council that decides on protection")
    years = value_of(settlement, "protection period after Hanawon")
    places = value_of(settlement, "Hanawon places at one time")
    second = value_of(settlement, "places at the second Hanawon")
    served = value_of(settlement, "defectors supported by Hanawon since 1999")
    act = law_events.iloc[0]
    opened = law_events[law_events["title"].str.contains("Hanawon")].iloc[0]
    n_places, n_served = f"{int(places['value']):,}", f"{int(served['value']):,}"
    return (
        f"The law dates from **{esc(act['date'][:4])}** (the first row of the timeline below). "
        f"A council of {esc(int(council['value']))} government agencies decides on protection. "
        "Then comes [Hanawon](glossary.md#hanawon), the Settlement Support Center for North "
        f"Korean Refugees, opened on {esc(date_label(opened['date'], long=True))}: a residential "
        f"centre where new arrivals are trained for life in South Korea. It had {esc(n_places)} "
        f"places at a time from {esc(int(places['last_year']))}, and a second centre for men "
        f"with {esc(int(second['value']))} places opened in {esc(int(second['last_year']))}; "
        f"{esc(served['qualifier'])} {esc(n_served)} people had been through Hanawon by "
        f"{esc(int(served['last_year']))}. After Hanawon come housing, settlement money and "
        f"{esc(int(years['value']))} years of residence protection, with help for work and "
        "schooling.")


def brokers_fee(settlement: pd.DataFrame) -> tuple[pd.Series, int]:
    """What brokers charge per person, and about how many times the latest settlement money
    paid that is."""
    broker = value_of(settlement, "what brokers charge per person to reach South Korea")
    now = money(settlement)
    now = now[now["status"] == "paid"].iloc[-1]
    return broker, round(broker["value"] / now["value"])


def money_markdown(settlement: pd.DataFrame, show_proposed: bool = True) -> str:
    """The latest settlement money paid, the proposal if shown, and brokers' fees beside it."""
    seg = money(settlement, show_proposed)
    now = seg[seg["status"] == "paid"].iloc[-1]
    said = settlement[(settlement["measure"] == BASIC_MONEY)
                      & (settlement["last_year"] == now["last_year"])]
    broker, times = brokers_fee(settlement)
    amount, fee = f"{now['value'] / 1e6:g}", f"{broker['value'] / 1e6:g}"
    text = (f"In {esc(int(now['last_year']))}, the basic settlement money for one person was "
            f"{esc(amount)} million won. "
            + (esc(said.iloc[0]["description"]) + " " if len(said) else "")
            + "The amounts are in won at the prices of the time, not adjusted for inflation.")
    proposed = seg[seg["status"] == "proposed"]
    if len(proposed):
        planned = f"{proposed.iloc[0]['value'] / 1e6:g}"
        text += (f" A budget proposal set {esc(planned)} million won for "
                 f"{esc(int(proposed.iloc[0]['last_year']))}; we have not verified that it was "
                 "adopted.")
    return text + (
        f" For comparison, a Korea Hana Foundation official said in "
        f"{esc(int(broker['last_year']))} that brokers charge {esc(broker['qualifier'])} "
        f"{esc(fee)} million won per person, about {esc(times)} times the settlement money.")


def largest_group(groups: pd.DataFrame) -> dict:
    """The largest group arrival and every number the reports give for it."""
    largest = groups.loc[groups["high"].idxmax()]
    same = groups[groups["group"] == largest["group"]]
    numbers = list(dict.fromkeys(bound_label(r.low, r.high, upper="nearly")
                                 for r in same.itertuples()))
    return {"year": largest["date"][:4], "group": largest["group"], "numbers": numbers,
            "reports": len(same)}


def groups_markdown(groups: pd.DataFrame) -> str:
    """The largest group, with each number reported for it, and the disputes."""
    big = largest_group(groups)
    return (f"The largest group, in {esc(big['year'])}, is given as {esc(join(big['numbers']))} "
            "people by different reports; the table keeps each. North Korea called that airlift "
            "a kidnapping, and said the restaurant workers who arrived as a group had been "
            "abducted. After meeting some of the women, the UN's Special Rapporteur urged an "
            "inquiry.")


def solution_values() -> dict:
    """Every number the teacher notes of notebook 08 quote, computed from the data."""
    settlement = data.load("settlement_support")
    seg = money(settlement)
    paid = seg[(seg["status"] == "paid") & seg["first_year"].notna()]
    low, top = paid.loc[paid["value"].idxmin()], paid.iloc[-1]
    proposed = seg[seg["status"] == "proposed"]
    lengths = hanawon_lengths(settlement)
    before = seg[seg["first_year"].isna()]
    gaps = gap_years(seg)
    last_gap = gap_spans(gaps)[-1]
    before_gap = seg[seg["last_year"] == last_gap[0] - 1].iloc[0]
    after_gap = seg[seg["first_year"] == last_gap[1] + 1].iloc[0]
    broker, times = brokers_fee(settlement)
    big = largest_group(data.load("group_arrivals"))
    return {
        "money_before": worded(before["value"].iloc[0] / 1e6, before["qualifier"].iloc[0], "")
        if len(before) else "more",
        "money_low": f"{low['value'] / 1e6:g}", "money_low_years":
        years_label(low["first_year"], int(low["last_year"])),
        "money_top": f"{top['value'] / 1e6:g}", "money_top_year": int(top["last_year"]),
        "money_rise": f"{(top['value'] / low['value'] - 1) * 100:.0f}",
        "money_proposed": f"{proposed['value'].iloc[0] / 1e6:g}" if len(proposed) else "none",
        "proposed_rise": f"{(proposed['value'].iloc[0] / low['value'] - 1) * 100:.0f}"
        if len(proposed) else "none",
        "hanawon_lengths": "; ".join(f"{worded(r.value, r.qualifier, ' ' + r.unit)} ({r.years})"
                                     for r in lengths.itertuples()),
        "n_gap_years": len(gaps), "money_first_year": int(seg["first_year"].dropna().min()),
        "money_last_year": int(seg["last_year"].max()),
        "group_year": big["year"], "group_numbers": join(big["numbers"]),
        "group_reports": big["reports"],
        "gap_span": years_label(*last_gap),
        "gap_before": f"{before_gap['value'] / 1e6:g}",
        "gap_before_years": years_label(before_gap["first_year"], int(before_gap["last_year"])),
        "gap_after": f"{after_gap['value'] / 1e6:g}",
        "gap_after_years": years_label(after_gap["first_year"], int(after_gap["last_year"])),
        "broker_times": times,
        "broker_year": int(broker["last_year"]),
    }
