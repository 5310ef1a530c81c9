"""Arrivals of North Korean defectors in South Korea: the analysis behind notebook 03.

Functions take the validated ``arrivals`` table (:func:`table`) and print nothing. The
ministry's grouped rows (up to 1998; 1999-2001) stay periods: functions that need single
years use only the yearly rows; sums over time count the grouped rows whole.
"""

from __future__ import annotations

import re

import pandas as pd

from beyond_utopia import data, params, style
from beyond_utopia.data import parse_period
from beyond_utopia.dates import fractional_year
from beyond_utopia.formats import esc, fmt, missing
from beyond_utopia.style import SERIES_COLOURS, Chart, base_figure, fit_title, join, label
from beyond_utopia.topics import timeline

BREAKDOWNS = ("total", "sex", "share")


def table() -> pd.DataFrame:
    """``arrivals.csv`` with three derived columns: ``first_year`` (None for ``..1998``),
    ``last_year`` and ``grouped`` (True for the ministry's grouped rows), sorted by time."""
    frame = data.load("arrivals")
    periods = [parse_period(y) for y in frame["year"]]
    frame["first_year"] = pd.array([p[0] for p in periods], dtype="Int64")
    frame["last_year"] = pd.array([p[1] for p in periods], dtype="Int64")
    frame["grouped"] = frame["first_year"].isna() | (frame["first_year"] != frame["last_year"])
    return frame.sort_values("last_year", kind="stable").reset_index(drop=True)


def yearly(frame: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """The single-year rows, optionally limited to ``start``..``end``, indexed by year."""
    rows = frame[~frame["grouped"]].copy()
    rows["year"] = rows["last_year"].astype(int)
    if start is not None:
        rows = rows[rows["year"] >= start]
    if end is not None:
        rows = rows[rows["year"] <= end]
    return rows.set_index("year")[["male", "female", "total", "source_id"]]


def early_reports() -> pd.DataFrame:
    """Single-year totals reported at the time (``arrivals_reported.csv``, status
    ``contemporary``) for the years the ministry's final table groups, indexed by year."""
    rep = data.load("arrivals_reported")
    rep = rep[(rep["status"] == "contemporary") & rep["year"].str.fullmatch(r"\d{4}")]
    rep = rep.assign(year=rep["year"].astype(int))
    first_final = int(yearly(table()).index.min())
    rep = rep[rep["year"] < first_final].drop_duplicates("year", keep="first")
    return rep.set_index("year")[["total", "source_id"]].sort_index()


def series(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Yearly rows for ``start``..``end``: the ministry's final figures, preceded where asked
    by the single years reported at the time (column ``kind``: ``final`` or ``reported``)."""
    final = yearly(frame, start, end).assign(kind="final")
    early = early_reports()
    early = early[(early.index >= start) & (early.index <= end)].assign(kind="reported")
    early["male"] = pd.array([None] * len(early), dtype="Int64")
    early["female"] = pd.array([None] * len(early), dtype="Int64")
    return pd.concat([early[final.columns], final]).sort_index()


def year_span(frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year with a single-year figure (final or reported at the time)."""
    years = list(yearly(frame).index) + list(early_reports().index)
    return int(min(years)), int(max(years))


def check_period(frame: pd.DataFrame, start_year: object, end_year: object) -> tuple[int, int]:
    """Check the ``start_year`` / ``end_year`` parameters against the years with figures;
    ``None`` stands for the data's own first or last year, so a year added to the table
    shows without editing the notebook."""
    first, last = year_span(frame)
    return params.year_range("start_year", first if start_year is None else start_year,
                             "end_year", last if end_year is None else end_year, first, last)


def check_breakdown(breakdown: object) -> str:
    """Check the ``breakdown`` parameter: ``total``, ``sex`` or ``share``."""
    return str(params.choice("breakdown", breakdown, BREAKDOWNS))


def women_share(frame: pd.DataFrame) -> pd.DataFrame:
    """Women's share of each year's arrivals, in percent (a float Series indexed by year)."""
    rows = yearly(frame)
    return (rows["female"] / rows["total"] * 100).astype(float)


def change(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change for the single years: columns ``total``, ``change``, ``percent``
    (none for the first single year: the row before it is a grouped period)."""
    rows = yearly(frame)[["total"]].copy()
    previous = rows["total"].shift(1)
    consecutive = rows.index.to_series().diff() == 1
    rows["change"] = (rows["total"] - previous).where(consecutive)
    rows["percent"] = (rows["change"] / previous * 100).astype(float).where(consecutive)
    return rows


def peak(frame: pd.DataFrame) -> tuple[int, int]:
    """The single year with the most arrivals and its total."""
    total = yearly(frame)["total"]
    return int(total.idxmax()), int(total.max())


def lowest(frame: pd.DataFrame, start: int | None = None) -> tuple[int, int]:
    """The single year (from ``start`` on) with the fewest arrivals and its total."""
    total = yearly(frame, start=start)["total"]
    return int(total.idxmin()), int(total.min())


def years_men_outnumber_women(frame: pd.DataFrame, since: int | None = None) -> list[int]:
    """Single years in which more men than women arrived."""
    rows = yearly(frame, start=since)
    return [int(y) for y in rows.index[rows["male"] > rows["female"]]]


def total_between(frame: pd.DataFrame, first: int | None = None, last: int | None = None) -> int:
    """All arrivals from ``first`` to ``last`` (``None``: no bound), grouped rows counted
    whole; a grouped row that straddles a bound cannot be split: ``ValueError``."""
    total = 0
    for _, row in frame.iterrows():
        lo = None if missing(row["first_year"]) else int(row["first_year"])
        hi = int(row["last_year"])
        if (first is not None and hi < first) or (last is not None and lo is not None
                                                  and lo > last):
            continue  # wholly outside
        starts_inside = first is None or (lo is not None and lo >= first)
        ends_inside = last is None or hi <= last
        if not (starts_inside and ends_inside):
            raise ValueError(f"the ministry's row {row['year']} straddles the period "
                             f"{first or '..'}-{last or '..'}; it cannot be split into years")
        total += int(row["total"])
    return total


def running_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Cumulative arrivals at the end of each row (grouped rows counted whole)."""
    out = frame[["year", "last_year", "male", "female", "total"]].copy()
    for col in ("male", "female", "total"):
        out[col] = out[col].cumsum()
    return out.set_index("last_year")


def compare_cumulative(frame: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Each published running total at the end of a year beside the sum of the table: the
    total published and computed, the differences (published minus computed) for all, men
    and women (missing where no split was published), and whether all of them are 0."""
    sums = running_total(frame)
    rows = []
    for _, pub in published.sort_values(["as_of", "status"]).iterrows():
        year = int(pub["as_of"].year)
        if (pub["as_of"].month, pub["as_of"].day) != (12, 31) or year not in sums.index:
            continue
        row = {"as_of": pub["as_of"].date().isoformat(), "status": pub["status"],
               "published": int(pub["total"]), "computed": int(sums.loc[year, "total"])}
        row["difference"] = row["published"] - row["computed"]
        for col, name in (("male", "men"), ("female", "women")):
            row[f"{name}_difference"] = (None if missing(pub[col]) else
                                         int(pub[col]) - int(sums.loc[year, col]))
        rows.append({**row, "source_id": pub["source_id"]})
    out = pd.DataFrame(rows).astype({"men_difference": "Int64", "women_difference": "Int64"})
    diffs = out[["difference", "men_difference", "women_difference"]]
    out.insert(7, "matches", [bool((r.dropna() == 0).all()) for _, r in diffs.iterrows()])
    return out


# Figures
# ----------------------------------------------------------------------

#: When Kim Jong Un took power: December 2011, as the timeline's row on his border controls
#: dates it (tests/test_arrivals.py checks that the row still says so).
LEADER_CHANGE = "2011-12"
MOU = "the Ministry of Unification's figures"
SUBTITLES = {"total": f"People arriving each year: {MOU}. Hatched: totals reported at the "
                      "time, for years its table groups",
             "sex": f"Women and men arriving each year (people), stacked: {MOU}",
             "share": f"Women as a share of each year's arrivals (%): {MOU}"}


def turning_points() -> pd.DataFrame:
    """The turning points section 1 discusses, on the chart's axis (the bar for year Y spans
    Y-0.5 to Y+0.5): Kim Jong Un taking power, and the years the border was closed (from
    the eras table). Columns ``start``, ``end`` (missing for a moment), ``label``,
    ``source_id``."""
    events = timeline.table()
    leader = events[events["description"].str.contains("Kim Jong Un .* taking power")]
    rows = [{"start": fractional_year(LEADER_CHANGE) - 0.5, "end": None,
             "label": "Kim Jong Un takes power", "source_id": sid}
            for sid in leader["source_id"].iloc[:1]]
    rows += [{"start": fractional_year(e.start) - 0.5, "end": fractional_year(e.end_date) - 0.5,
              "label": e.name, "source_id": e.source_id}
             for e in timeline.eras().itertuples() if e.era_id == "border-closed"]
    return pd.DataFrame(rows, columns=["start", "end", "label", "source_id"])


def headline(rows: pd.DataFrame, breakdown: str, start: int, end: int) -> str:
    """The finding a chart of ``rows`` states in its title: the largest fall in percent and
    how low it went (else the rise), or in which years women were the majority."""
    if not len(rows):
        return f"No figures by sex for {start}–{end}"
    a, b, s = int(rows.index[0]), int(rows.index[-1]), rows["total"].astype(int)
    if breakdown == "total":
        fall = s.pct_change()
        if len(s) == 1 or not (fall < 0).any():
            return (f"{s[a]:,} people arrived in {a}" if a == b else
                    f"Arrivals rose from {s[a]:,} in {a} to {s[b]:,} in {b}")
        year = int(fall.idxmin())
        before, low = int(s.index[s.index.get_loc(year) - 1]), int(s.loc[year:].idxmin())
        return f"Arrivals fell from {s[before]:,} in {before} to {s[low]:,} in {low}"
    others = [int(y) for y in rows.index[rows["female"] <= rows["male"]]]
    who = [["More women than men arrived", "Women were more than half of arrivals"],
           ["Men were at least as many as women", "Women were at most half of arrivals"]][
        len(others) == len(rows)][breakdown == "share"]
    return (f"{who} in every year but {join(others)}" if 0 < len(others) < len(rows) else
            f"{who} in {a}" if a == b else f"{who} in every year from {a} to {b}")


def arrivals_chart(frame: pd.DataFrame, start: int, end: int, breakdown: str = "total",
                   turning: pd.DataFrame | None = None,
                   sources: pd.DataFrame | None = None) -> Chart:
    """Arrivals per year from ``start`` to ``end``: total, by sex, or women's share, with
    the finding in the title and the turning points (:func:`turning_points`) labelled (on
    the share chart, only the periods). Years the ministry's final table groups (before
    2002) are drawn from the totals reported at the time, hatched; they have no split by sex.
    """
    rows = series(frame, start, end)
    publisher = style.publishers(sources)
    final, early = rows[rows["kind"] == "final"], rows[rows["kind"] == "reported"]
    title = headline(rows if breakdown == "total" else final, breakdown, start, end)
    fig = base_figure(title, height=480, hovermode="closest", bargap=0.15, margin=dict(
        l=56, r=12), xaxis=dict(tick0=2000, dtick=style.year_step(end - start)))
    fit_title(fig, title, SUBTITLES[breakdown])
    years, src = [int(y) for y in final.index], [esc(publisher.get(s, s))
                                                  for s in final["source_id"]]
    if breakdown == "share":
        share = (final["female"] / final["total"] * 100).astype(float).round(1)
        fig.add_bar(x=years, y=list(share), name="Women's share", showlegend=False,
                    marker_color=SERIES_COLOURS["share"], customdata=src,
                    hovertemplate="%{x}: %{y:.1f}% women<br>Source: %{customdata}"
                                  "<extra></extra>")
        fig.add_hline(y=50, line=dict(color=style.MUTED, dash="dot", width=1))
        label(fig, start - 0.5, 50, "half", showarrow=False, xanchor="left")
        if len(share):  # the lowest share (the highest is in the description)
            label(fig, share.idxmin(), share.min(), f"{share.min():.0f}%", showarrow=False,
                  yanchor="bottom")
        fig.update_yaxes(range=[0, 100], ticksuffix="%", dtick=25)
        turning = None if turning is None else turning[turning["end"].notna()]
    else:
        for col, name in ((("female", "Women"), ("male", "Men")) if breakdown == "sex" else
                          (("total", "Ministry's final figure"),)):
            fig.add_bar(x=years, y=[int(v) for v in final[col]], name=name,
                        marker_color=SERIES_COLOURS[col], customdata=src,
                        showlegend=breakdown == "sex" or len(early) > 0,
                        hovertemplate=f"%{{x}}: %{{y:,}} {name.lower()}<br>Source: "
                                      "%{customdata}<extra></extra>")
        if len(early) and breakdown == "total":
            fig.add_bar(x=[int(y) for y in early.index], y=[int(v) for v in early["total"]],
                        name="Reported at the time", marker=dict(
                            color=style.WHITE, line=dict(color=SERIES_COLOURS["total"], width=1.5),
                            pattern=dict(shape="/", fgcolor=SERIES_COLOURS["total"])),
                        customdata=[esc(publisher.get(s, s)) for s in early["source_id"]],
                        hovertemplate="%{x}: %{y:,} people, as reported at the time"
                                      "<br>Source: %{customdata}<extra></extra>")
        tops = (rows if breakdown == "total" else final)["total"].astype(int)
        named = [int(n) for n in re.findall(r"\b\d{4}\b", title)] if breakdown == "total" else []
        for year in dict.fromkeys([*named, *([tops.idxmax(), tops.index[-1]] if len(tops)
                                             else [])]):
            label(fig, year, tops[year], f"{tops[year]:,}", showarrow=False, yanchor="bottom")
        fig.update_layout(barmode="stack")
        fig.update_yaxes(tickformat=",", range=[0, (tops.max() if len(tops) else 1) * 1.22])
    if turning is not None:
        style.mark_turning_points(fig, turning, start, end)
    fig.update_xaxes(range=[start - 0.6, end + 0.6])
    kind = {"total": "", "sex": ", by sex", "share": ", women's share"}[breakdown]
    return Chart(fig, caption=f"Figure: arrivals per year, {start}–{end}{kind}.",
                 description=describe_arrivals(rows, breakdown, start, end),
                 table=rows.reset_index()[["year", "kind", "male", "female", "total",
                                           "source_id"]])


def describe_arrivals(rows: pd.DataFrame, breakdown: str, start: int, end: int) -> str:
    """A text description of an arrivals chart, written from its data."""
    final, early = rows[rows["kind"] == "final"], rows[rows["kind"] == "reported"]
    kind = {"total": "arrivals", "sex": "arrivals of women and men, stacked",
            "share": "women's share of arrivals"}[breakdown]
    text = f"A bar chart of {kind} in each year from {start} to {end}."
    if len(early):
        text += (f" The bars for {join(list(early.index))} are hatched: totals reported at "
                 "the time, for years the ministry's final table groups together."
                 if breakdown == "total" else
                 f" {join(list(early.index))} have no split by sex and are not drawn.")
    if len(final):
        t = final["total"]
        top, low, last = int(t.idxmax()), int(t.idxmin()), int(final.index.max())
        text += (f" Among the ministry's yearly figures shown, the highest is {top} with "
                 f"{fmt(t[top])} people and the lowest {low} with {fmt(t[low])}; in {last}, "
                 f"{fmt(t[last])} people arrived.")
    if breakdown != "total" and len(final):
        share = (final["female"] / final["total"] * 100).astype(float)
        hi, lo = int(share.idxmax()), int(share.idxmin())
        men = [int(y) for y in final.index[final["male"] > final["female"]]]
        text += (f" Women's share is highest in {hi} ({share[hi]:.1f}%) and lowest in {lo} "
                 f"({share[lo]:.1f}%); " + (f"men outnumber women in {join(men)}." if men else
                                           "women outnumber men in every year shown."))
    return text


def cumulative_chart(comparison: pd.DataFrame) -> Chart:
    """Each published running total minus the sum of the yearly table, for men, women and
    all: the differences themselves, on a scale of a few people."""
    n, ok = len(comparison), comparison["matches"]
    cols = ["men_difference", "women_difference", "difference"]
    worst = comparison.loc[~ok, cols].abs().max(axis=1)
    title = (f"All {n} published totals match the table exactly" if ok.all() else
             f"{ok.sum()} of {n} published totals match the table exactly; the rest are "
             f"off by {int(worst.min())} to {int(worst.max())}")
    fig = base_figure(title, height=170 + 44 * n, hovermode="closest", margin=dict(r=12))
    fit_title(fig, title, "Published running total minus the sum of arrivals.csv, in people, "
              "for men, women and all (no dot: not published)", extra_top=14)
    ys = list(range(n))[::-1]
    for col, name, key, symbol, dy in zip(cols, ("Men", "Women", "All"), ("male", "female",
                                          "total"), ("circle", "diamond", "square"),
                                          (0.25, 0, -0.25), strict=True):
        keep, colour = comparison[col].notna(), SERIES_COLOURS[key]
        values = [int(v) for v in comparison.loc[keep, col]]
        fig.add_scatter(x=values, y=[y + dy for y, k in zip(ys, keep, strict=True) if k],
                        mode="markers+text", name=name, textposition="middle right",
                        text=[f"{v:+d}" if v else "" for v in values],
                        textfont=dict(size=11, color=colour), hovertemplate=f"{name}: "
                        "%{x:+d}<extra></extra>", marker=dict(size=9, color=colour,
                                                               symbol=symbol))
    fig.add_vline(x=0, line=dict(color=style.MUTED, width=1))
    label(fig, 0, 1, "0: the table adds up", yref="paper", yanchor="bottom", showarrow=False)
    span = int(worst.max()) + 3 if len(worst) else 3
    fig.update_xaxes(range=[-span, span], title="people")
    fig.update_yaxes(tickvals=ys, ticktext=[f"{r.as_of[:4]} {r.status}"
                                            for r in comparison.itertuples()],
                     range=[-0.6, n - 0.4], showgrid=False)
    said = {c: [("not published" if missing(v) else f"{int(v):+d}") for v in comparison[c]]
            for c in cols}
    desc = (f"A dot chart of {n} published running totals, each minus the sum of the yearly "
            f"table at the same date, for men, women and all. {ok.sum()} match in every "
            "figure published (" + (join([f"{r.as_of[:4]} {r.status}" for r in
                                          comparison[ok].itertuples()]) or "none") + ")")
    desc += "".join(f"; {r.as_of[:4]} {r.status}: men {said[cols[0]][i]}, women "
                    f"{said[cols[1]][i]}, all {said[cols[2]][i]}"
                    for i, r in enumerate(comparison.itertuples()) if not r.matches)
    return Chart(fig, caption="Figure: does the table add up to what the ministry published?",
                 description=desc + ".", table=comparison)


def reported_differences(reported: pd.DataFrame, frame: pd.DataFrame, start: int | None = None,
                         end: int | None = None) -> pd.DataFrame:
    """Every other published figure for a single year that has a final figure, with the
    final figure and the difference (published minus final)."""
    final = yearly(frame, start, end)["total"]
    rows = reported[reported["year"].str.fullmatch(r"\d{4}") & (reported["status"] != "final")]
    rows = rows.assign(year=rows["year"].astype(int))
    rows = rows[rows["year"].isin(final.index)].copy()
    rows["final"] = [int(final[y]) for y in rows["year"]]
    rows["difference"] = rows["total"].astype(int) - rows["final"]
    return rows.sort_values(["year", "status"]).reset_index(drop=True)[
        ["year", "status", "total", "final", "difference", "source_id"]]


def reported_chart(reported: pd.DataFrame, frame: pd.DataFrame, start: int, end: int,
                   sources: pd.DataFrame | None = None) -> Chart:
    """Every other published figure for a year as its difference from the final figure."""
    publisher = style.publishers(sources)
    rows = reported_differences(reported, frame, start, end)
    gap = rows["difference"].abs()
    worst = rows.loc[gap.idxmax()] if len(rows) else None
    title = (f"No other published figures for {start}–{end}" if worst is None else
             f"Other published figures are at most {gap.max()} people off the final one "
             f"({worst['year']})")
    fig = base_figure(title, height=460, hovermode="closest", margin=dict(l=48, r=12),
                      xaxis=dict(tick0=2000, dtick=style.year_step(end - start)))
    fit_title(fig, title, "Each published figure minus the ministry's final figure for that "
              "year, in people. 0: the same as the final figure")
    for name in dict.fromkeys(v[0] for v in style.STATUS_STYLE.values()):
        group = rows[[style.STATUS_STYLE[s][0] == name for s in rows["status"]]]
        if len(group):
            _, symbol, colour = style.STATUS_STYLE[group["status"].iloc[0]]
            fig.add_scatter(
                x=list(group["year"]), y=[int(v) for v in group["difference"]],
                mode="markers", name=name.capitalize(), marker=dict(
                    symbol=symbol, size=10, color=colour, line=dict(width=1.5, color=colour)),
                customdata=[[f"{t:,}", f"{f:,}", esc(publisher.get(s, s))] for t, f, s in
                            zip(group["total"], group["final"], group["source_id"], strict=True)],
                hovertemplate="%{x}: %{customdata[0]} against %{customdata[1]} final (%{y:+d})"
                              "<br>Source: %{customdata[2]}<extra></extra>")
    fig.add_hline(y=0, line=dict(color=style.MUTED, width=1))
    label(fig, start - 0.5, 0, "final figure", showarrow=False, xanchor="left", yanchor="bottom")
    if worst is not None:
        label(fig, worst["year"], worst["difference"], f"{worst['total']:,} against "
              f"{worst['final']:,}", ay=-22 if worst["difference"] > 0 else 22)
    lim = max(gap.max() if len(rows) else 0, 5) * 1.35
    fig.update_yaxes(range=[-lim, lim], title="people")
    fig.update_xaxes(range=[start - 0.6, end + 0.6])
    desc = (f"A dot chart of {len(rows)} published figures for years from {start} to {end}, "
            "each drawn as its difference from the ministry's final figure for that year.")
    if worst is not None:
        desc += (f" In {rows.loc[gap > 0, 'year'].nunique()} of {rows['year'].nunique()} years "
                 f"another figure differs from the final one; the largest gap is {gap.max()} "
                 f"people, for {worst['year']} ({worst['status'].replace('-', ' ')}: "
                 f"{worst['total']:,} against {worst['final']:,}).")
    return Chart(fig, caption=f"Figure: published and final figures, {start}–{end}.",
                 description=desc, table=rows)


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    frame, sources = table(), style.publishers(data.load("sources"))
    y, share = yearly(frame)["total"], women_share(frame)
    ch = change(frame).dropna(subset=["change"])
    drop, pct, last = int(ch["change"].idxmin()), int(ch["percent"].idxmin()), int(y.index[-1])
    before, allof = total_between(frame, 1999, 2011), total_between(frame, 1999, None)
    avg1, avg2 = y.loc[2006:2011].mean(), y.loc[2012:2019].mean()
    cum = compare_cumulative(frame, data.load("cumulative"))
    diffs = reported_differences(data.load("arrivals_reported"), frame)
    worst = diffs.loc[diffs["difference"].abs().idxmax()]
    (low_year, low), (peak_year, top) = lowest(frame), peak(frame)
    return {
        "peak_year": peak_year, "peak": fmt(top),
        "drop_year": drop, "drop": fmt(-ch.loc[drop, "change"]), "drop_from": fmt(y[drop - 1]),
        "drop_to": fmt(y[drop]), "pct_year": pct, "pct": f"{-ch.loc[pct, 'percent']:.0f}",
        "pct_from": fmt(y[pct - 1]), "pct_to": fmt(y[pct]), "avg_before": fmt(avg1),
        "avg_after": fmt(avg2), "avg_fall": f"{(1 - avg2 / avg1) * 100:.0f}",
        "share_hi_year": int(share.idxmax()), "share_hi": f"{share.max():.0f}",
        "share_lo_year": int(share.idxmin()), "share_lo": f"{share.min():.0f}",
        "men_years": join(years_men_outnumber_women(frame)), "low_year": low_year,
        "low": fmt(low), "last_year": last, "last": fmt(y[last]), "before_2012": fmt(before),
        "all_since_1999": fmt(allof), "share_before_2012": f"{before / allof * 100:.1f}",
        "cum_matches": int(cum["matches"].sum()), "cum_n": len(cum),
        "cum_off": "; ".join(f"{r.as_of[:4]} ({r.status}): all {r.difference:+d}, men " + ", women "
                             .join("not published" if missing(v) else f"{v:+d}" for v in
                                   (r.men_difference, r.women_difference))
                             for r in cum[~cum["matches"]].itertuples()),
        "table_sum": fmt(frame["total"].sum()), "worst_year": int(worst["year"]),
        "worst_total": fmt(worst["total"]), "worst_final": fmt(worst["final"]),
        "worst_status": worst["status"].replace("-", " "),
        "worst_source": sources.get(worst["source_id"], worst["source_id"]),
    }
