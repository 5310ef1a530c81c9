"""Weighing the evidence: grading reports that disagree (notebook 07).

Four disagreements in the data become grading sheets for screen or paper: one return's
reports (``returns.csv``), the runtimes (``film_facts.csv``), the journey's length
(``route_distances.csv``) and two articles checked (``claims.csv``). Every row, count and
title comes from the tables, so a row a maintainer adds appears on the sheets by itself.
"""

from __future__ import annotations

import re

import pandas as pd

from beyond_utopia import data, params
from beyond_utopia.errors import ParameterError
from beyond_utopia.formats import bound_label, esc, esc_text, fmt, missing, value_range
from beyond_utopia.style import SERIES_COLOURS, Chart, base_figure, join, short

UNITS = ("km", "miles")
KM_PER_MILE = 1.609344  # the international mile
#: What a student fills in on a sheet's last column: a score from 0 to 2 per question.
SCORE_BLANK = "who __ how __ when __ confirmed __"
SCORES = "your scores (0–2 each)"
VERDICT_BLANK = "______________"
FILM_SCOPE = "the film's journey"

#: The rubric: sourcing (who, how, when) and corroboration (confirmed), after the
#: Stanford History Education Group's "Reading Like a Historian".
RUBRIC: tuple[dict[str, str], ...] = (
    {"question": "Who is speaking?",
     "look for": "The person or organisation that gave the figure, not the outlet that "
                 "repeated it. Are they in a position to know?",
     "2 points": "named, and in a position to know",
     "1 point": "named, but passing on what others say", "0 points": "no one named"},
    {"question": "How do they know?",
     "look for": "Did they see it, count it or hold the document? Do they name a witness or "
                 "a count, or say nothing about it?",
     "2 points": "first-hand, and they say how", "1 point": "from someone they name",
     "0 points": "not said"},
    {"question": "When did they say it?",
     "look for": "The date of the report against the date of the event: early reports are "
                 "often first estimates; a report with no date is hard to place.",
     "2 points": "dated, with time to check",
     "1 point": "dated, but very early or only to the month", "0 points": "no date"},
    {"question": "Does anyone else confirm it?",
     "look for": "Another speaker who gives the same figure without getting it from the "
                 "first. Five outlets repeating one organisation are one source, not five.",
     "2 points": "an independent source agrees", "1 point": "others repeat the same speaker",
     "0 points": "no one else"},
)

def rubric_table() -> pd.DataFrame:
    """The rubric as a table: question, what to look for, and what earns 2, 1 or 0."""
    return pd.DataFrame(list(RUBRIC))


def _enum(table: str, field: str) -> list[str]:
    fields = data.resource(table)["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def verdicts() -> list[str]:
    """The verdicts ``claims.csv`` allows, in the schema's order."""
    return _enum("claims", "verdict")


def kinds_used(frames: list[pd.DataFrame], sources: pd.DataFrame) -> pd.Series:
    """How many of the given tables' rows rest on each kind of source (``sources.csv``'s
    kinds, in the schema's order)."""
    kind_of = dict(zip(sources["source_id"], sources["kind"], strict=True))
    counts = pd.Series([kind_of[s] for f in frames for s in f["source_id"]]).value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in _enum("sources", "kind")})


# Small helpers
# ----------------------------------------------------------------------

def date_text(date: str, month: str = "%B") -> str:
    """``2023-10-09`` -> ``9 October 2023``; ``2024-04`` -> ``April 2024``; with
    ``month="%b"``: ``9 Oct 2023`` (for titles that must fit a phone)."""
    first, precision = data.parse_partial_date(date)
    if precision == "day":
        return f"{first.day} {first.strftime(month + ' %Y')}"
    return first.strftime(month + " %Y") if precision == "month" else str(first.year)


def days_after(event: str, published: object) -> int | None:
    """Days from an event to a report, when both are full dates."""
    if missing(published):
        return None
    (a, pa), (b, pb) = data.parse_partial_date(event), data.parse_partial_date(str(published))
    return (b - a).days if pa == pb == "day" else None


def speaker(reported_by: str) -> str:
    """Who gave a number, without the outlet it came through: ``Human Rights Watch (via
    International IDEA)`` -> ``Human Rights Watch``."""
    cut = re.split(r" \(|, via | via | citing ", str(reported_by), maxsplit=1)[0]
    return cut.strip(" ,") or str(reported_by)


def organisations(reported_by: str) -> list[str]:
    """The organisations a report names as its speakers: ``Justice for North Korea and One
    Korea Network (via JoongAng Daily)`` -> both groups."""
    return [p.strip() for p in re.split(r" and | \+ ", speaker(reported_by)) if p.strip()]


def independent_groups(reports: pd.DataFrame) -> list[list[int]]:
    """The reports (their ``#``) joined into groups that share a speaking organisation:
    reports in one group cannot confirm each other."""
    groups: list[tuple[set[str], list[int]]] = []
    for number, reported_by in zip(reports["#"], reports["reported_by"], strict=True):
        names, members = set(organisations(reported_by)), [int(number)]
        for g in [g for g in groups if g[0] & names]:
            groups.remove(g)
            names, members = names | g[0], g[1] + members
        groups.append((names, sorted(members)))
    return sorted((m for _, m in groups), key=lambda m: m[0])


def to_km(value: float, unit: str) -> float:
    return float(value) if unit == "km" else float(value) * KM_PER_MILE


def _where(source_id: str, sources: pd.DataFrame, event: str | None = None) -> str:
    """Where we read a figure: publisher · kind · date (and how long after the event)."""
    row = sources.set_index("source_id").loc[source_id]
    when = "no date shown"
    if not missing(row["published"]):
        when = date_text(row["published"])
        gap = days_after(event, row["published"]) if event else None
        if gap is not None and gap >= 0:
            when += f" ({gap} day{'s' if gap != 1 else ''} after)"
    return f"{row['publisher']} · {row['kind']} · {when}"


def _numbered(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reset_index(drop=True)
    rows.insert(0, "#", range(1, len(rows) + 1))
    return rows


# Parameters, and the dot charts' common parts
# ----------------------------------------------------------------------

def compared_returns(returns: pd.DataFrame) -> list[str]:
    """The returns that two or more reports give, the most reported first (ties: the
    earlier date first)."""
    counts = returns.groupby("date").size()
    return [str(d) for d in sorted(counts.index, key=lambda d: (-int(counts[d]), d))
            if counts[d] >= 2]


def check_return_date(returns: pd.DataFrame, value: object) -> str:
    """Check ``return_date``: ``None`` (the return with the most reports) or a date, as
    ``returns.csv`` writes it, that two or more reports give."""
    allowed = compared_returns(returns)
    if value is None:
        if not allowed:
            raise ParameterError("return_date", value, "no return has two reports yet")
        return allowed[0]
    if isinstance(value, str) and value in set(returns["date"]) and value not in allowed:
        raise ParameterError("return_date", value, "only one report gives that return; "
                             f"returns with two or more: {', '.join(map(repr, allowed))}")
    return str(params.choice("return_date", value, allowed))


def check_unit(unit: object) -> str:
    return str(params.choice("unit", unit, UNITS))


def _dot_figure(title: str, subtitle: str, axis: str, labels: list[str], end: float,
                extra: int = 0, **layout) -> object:
    """A dot chart with one labelled row per report, in the house style."""
    fig = base_figure(title, subtitle=subtitle, hovermode="closest",
                      xaxis=dict(title=axis, tickformat=",", range=[0, end]),
                      height=150 + extra + 30 * len(labels),
                      **{"margin": dict(l=10, r=10), **layout})
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), title=None)
    return fig


def _marks(fig, xs, labels, texts, hovers, colour: str, end: float, symbol="circle",
           name=None) -> None:
    fig.add_scatter(x=xs, y=labels, mode="markers+text", text=[esc(t) for t in texts],
                    # each label goes towards the wider part of the plot
                    textposition=["middle right" if x < end / 2 else "middle left" for x in xs],
                    textfont=dict(size=12),
                    cliponaxis=False, marker=dict(symbol=symbol, size=11, color=colour),
                    hovertext=[esc(h) for h in hovers], hoverinfo="text", name=name,
                    showlegend=name is not None)


# Case A: one return, many reports
# ----------------------------------------------------------------------

def return_reports(returns: pd.DataFrame, sources: pd.DataFrame, date: str) -> pd.DataFrame:
    """The reports of the return on ``date``, and those dated only to its month or year
    (which may describe the same return), numbered for the sheet and the chart."""
    rows = returns[[date == d or date.startswith(d + "-") for d in returns["date"]]]
    rows = rows.assign(exact=rows["date"] == date,
                       figure=[int(lo if not missing(lo) else hi)
                               for lo, hi in zip(rows["low"], rows["high"], strict=True)])
    rows = _numbered(rows.sort_values(["exact", "figure", "reported_by"],
                                      ascending=[False, True, True]).drop(columns="figure"))
    rows["speaker"] = [speaker(r) for r in rows["reported_by"]]
    rows["number"] = [bound_label(lo, hi, upper="as many as")
                      for lo, hi in zip(rows["low"], rows["high"], strict=True)]
    rows["where"] = [_where(s, sources, date) for s in rows["source_id"]]
    return rows


def returns_sheet(reports: pd.DataFrame) -> pd.DataFrame:
    """Grading sheet A: one row per report, with a column for the student's scores."""
    return pd.DataFrame({
        "#": reports["#"],
        "reported by": [r if e else f"{r} [dated {date_text(d)} only]" for r, e, d in
                        zip(reports["reported_by"], reports["exact"], reports["date"],
                            strict=True)],
        "number": reports["number"], "their words": reports["description"],
        "where we read it": reports["where"], SCORES: SCORE_BLANK})


def returns_chart(reports: pd.DataFrame, date: str) -> Chart:
    """Each report's number for one return, on one axis from zero, labelled on the plot."""
    exact = reports[reports["exact"]]
    low, high = value_range(exact)
    when, brief = date_text(date), date_text(date, "%b")
    title = (f"{brief}: all {len(exact)} reports give {low:,} people" if low == high
             else f"{brief}: reports give {low:,}–{high:,} people")
    end = value_range(reports)[1] * 1.08
    labels = [esc(f"{i}. {short(s, 18)}") for i, s in
              zip(reports["#"], reports["speaker"], strict=True)]
    fig = _dot_figure(title, "People sent back, as each report words it (returns.csv)",
                      "People, as reported", labels, end, showlegend=False)
    for r, label in zip(reports.itertuples(), labels, strict=True):
        lo, hi = (None if missing(v) else int(v) for v in (r.low, r.high))
        colour = SERIES_COLOURS["total"] if r.exact else SERIES_COLOURS["published"]
        if lo is not None and hi is not None and lo != hi:
            fig.add_scatter(x=[lo, hi], y=[label, label], mode="lines", hoverinfo="skip",
                            line=dict(color=colour, width=3), showlegend=False)
        symbol = ("circle" if lo == hi else "triangle-right" if hi is None
                  else "triangle-left" if lo is None else "line-ns")
        text = r.number if r.exact else f"{r.number} (month only)"
        _marks(fig, [lo if lo is not None else hi], [label], [text],
               [f"{r.reported_by}: {r.description}"], colour, end, symbol)
    desc = f"A chart with one row per report of the return of {when}: " + "; ".join(
        f"{r['#']}. {r['speaker']}: {r['number']}"
        + ("" if r["exact"] else " (dated only to the month)") for _, r in reports.iterrows())
    return Chart(fig, caption=f"Figure 1: the reports of the return of {when}.",
                 description=desc + ".",
                 table=reports[["#", "date", "low", "high", "reported_by", "source_id"]])


# Case B: the film's runtime
# ----------------------------------------------------------------------

def runtimes(facts: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every runtime the sources give, shortest first, with where it was published."""
    rows = facts[facts["topic"] == "runtime"].copy()
    rows["minutes"] = [int(m.group()) if (m := re.search(r"\d+", str(v))) else None
                       for v in rows["value"]]
    rows = _numbered(rows.sort_values(["minutes", "source_id"]))
    rows["where"] = [_where(s, sources) for s in rows["source_id"]]
    return rows


def runtimes_sheet(rows: pd.DataFrame) -> pd.DataFrame:
    """Grading sheet B."""
    return pd.DataFrame({"#": rows["#"], "runtime, as given": rows["value"],
                         "where we read it": rows["where"], SCORES: SCORE_BLANK})


# Case C: the length of the journey
# ----------------------------------------------------------------------

def route_lengths(distances: pd.DataFrame, sources: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Every quoted length, in the source's words and converted to ``unit``; the film's
    journey first, shortest first."""
    rows = distances.assign(km=[to_km(v, u) for v, u in
                                zip(distances["value"], distances["unit"], strict=True)])
    rows = _numbered(rows.assign(other=rows["scope"] != FILM_SCOPE)
                     .sort_values(["other", "scope", "km"]).drop(columns="other"))
    rows["as quoted"] = [" ".join(p for p in (None if missing(q) else q, fmt(v), u) if p)
                         for q, v, u in zip(rows["qualifier"], rows["value"], rows["unit"],
                                            strict=True)]
    rows["length"] = [round(k if unit == "km" else k / KM_PER_MILE) for k in rows["km"]]
    rows["where"] = [_where(s, sources) for s in rows["source_id"]]
    publisher = dict(zip(sources["source_id"], sources["publisher"], strict=True))
    rows["publisher"] = [publisher[s] for s in rows["source_id"]]
    return rows


def lengths_sheet(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Grading sheet C."""
    return pd.DataFrame({"#": rows["#"], "scope": rows["scope"], "as quoted": rows["as quoted"],
                         f"in {unit}": [fmt(v) for v in rows["length"]], "stretch": rows["stretch"],
                         "where we read it": rows["where"], SCORES: SCORE_BLANK})


def lengths_chart(rows: pd.DataFrame, unit: str) -> Chart:
    """Every quoted length on one axis, in one unit, each labelled with its words."""
    film = rows[rows["scope"] == FILM_SCOPE]
    base = film if len(film) else rows
    what = "Film's journey" if len(film) else "The route"
    title = f"{what}: quoted as {base['length'].min():,}–{base['length'].max():,} {unit}"
    end = int(rows["length"].max()) * 1.08
    labels = [esc(f"{i}. {short(p, 18)}") for i, p in
              zip(rows["#"], rows["publisher"], strict=True)]
    fig = _dot_figure(title, f"Quoted lengths in {unit}; stretches differ (route_distances.csv)",
                      f"Length ({unit})", labels, end, extra=40,
                      margin=dict(l=10, r=10, b=100),
                      legend=dict(yref="container", y=0.01, yanchor="bottom"))
    for scope, colour, symbol in ((FILM_SCOPE, SERIES_COLOURS["published"], "circle"),
                                  ("the general route", SERIES_COLOURS["total"], "diamond")):
        sub = rows[rows["scope"] == scope]
        if len(sub):
            _marks(fig, list(sub["length"]), [labels[i] for i in sub.index], list(sub["as quoted"]),
                   [f"{q}: {s}" for q, s in zip(sub["as quoted"], sub["stretch"], strict=True)],
                   colour, end, symbol, name=scope)
    desc = f"A dot chart of {len(rows)} quoted lengths in {unit}: " + "; ".join(
        f"{r['#']}. {r['as quoted']} ({r['scope']}, {r['stretch']})" for _, r in rows.iterrows())
    return Chart(fig, caption=f"Figure 2: the length of the journey as quoted, in {unit}.",
                 description=desc + ".",
                 table=rows[["#", "scope", "qualifier", "value", "unit", "length", "stretch",
                             "source_id"]])


# Case D: two articles checked against the record
# ----------------------------------------------------------------------

def claims_sheet(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Grading sheet D: each statement and the evidence, with room for a verdict."""
    by_id = sources.set_index("source_id")
    rows = claims.reset_index(drop=True)
    return pd.DataFrame({
        "#": range(1, len(rows) + 1),
        "article": [by_id.loc[a, "publisher"] + ("" if missing(by_id.loc[a, "published"])
                                                 else f", {date_text(by_id.loc[a, 'published'])}")
                    for a in rows["article_id"]],
        "the article says": rows["claim"], "the evidence": rows["evidence"],
        "evidence from": [_where(s, sources) for s in rows["source_id"]],
        "your verdict": VERDICT_BLANK})


def verdict_key(claims: pd.DataFrame) -> str:
    """The collection's verdict for each statement, as a Markdown list (teacher edition)."""
    return "\n".join(f"{i}. *{esc_text(c)}* **{esc_text(v)}**" for i, (c, v) in
                     enumerate(zip(claims["claim"], claims["verdict"], strict=True), start=1))


# What the teacher notes quote
# ----------------------------------------------------------------------

def return_summary(returns: pd.DataFrame) -> pd.DataFrame:
    """For each return that two or more reports give: how many reports, how many groups
    of reports that share no speaking organisation, the lowest and highest figure, and
    their ratio."""
    rows = []
    for date in compared_returns(returns):
        group = _numbered(returns[returns["date"] == date])
        low, high = value_range(group)
        rows.append({"date": date, "reports": len(group),
                     "independent groups": len(independent_groups(group)),
                     "lowest": low, "highest": high, "ratio": round(high / low, 2)})
    return pd.DataFrame(rows)


def article_scores(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """For each article: its statements, how many were confirmed without a caveat, and
    the share (%), best first."""
    publisher = dict(zip(sources["source_id"], sources["publisher"], strict=True))
    out = claims.groupby("article_id")["verdict"].agg(
        statements="size", confirmed=lambda v: int((v == "confirmed").sum())).reset_index()
    out["share (%)"] = (out["confirmed"] / out["statements"] * 100).round().astype(int)
    out.insert(0, "article", [publisher.get(a, a) for a in out["article_id"]])
    return out.drop(columns="article_id").sort_values(["share (%)", "article"],
                                                      ascending=[False, True])


def _speakers_of(reports: pd.DataFrame, value: int) -> list[str]:
    return list(dict.fromkeys(r.speaker for r in reports.itertuples() if value in {
        None if missing(r.low) else int(r.low), None if missing(r.high) else int(r.high)}))


def _md_table(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * frame.shape[1]]
    return "\n".join(lines + ["| " + " | ".join(esc_text(v) for v in row) + " |"
                              for row in frame.astype(str).itertuples(index=False)])


def solution_values() -> dict:
    """Every number and list the teacher notes quote, for the default parameters."""
    returns, sources = data.load("returns"), data.load("sources")
    published = sources.set_index("source_id")["published"]
    date = check_return_date(returns, None)
    exact = return_reports(returns, sources, date).query("exact")
    low, high = value_range(exact)
    gaps = [g for g in (days_after(date, published[s]) for s in exact["source_id"])
            if g is not None]
    groups = independent_groups(exact)
    names = dict(zip(exact["#"], exact["speaker"], strict=True))
    shared = [" and ".join(f"#{n} ({names[n]})" for n in g) for g in groups if len(g) > 1]
    high_names = _speakers_of(exact, high)
    summary = return_summary(returns)
    widest = summary.sort_values(["ratio", "date"], ascending=[False, True]).iloc[0]
    runtime = runtimes(data.load("film_facts"), sources)
    distances = data.load("route_distances")
    km_rows = route_lengths(distances, sources, "km")
    lengths = km_rows.groupby("scope")["km"].agg(["count", "min", "max"]).reset_index()
    lengths["ratio"] = (lengths["max"] / lengths["min"]).round(1)
    film, film_rows = (f[f["scope"] == FILM_SCOPE] for f in (lengths, km_rows))
    twice = sorted(p for p, n in film_rows["publisher"].value_counts().items() if n > 1)
    claims = data.load("claims")
    counts = claims["verdict"].value_counts()
    kinds = kinds_used([exact, runtime, distances, claims], sources)
    return {
        "date_text": date_text(date), "reports": len(exact), "low": f"{low:,}",
        "high": f"{high:,}", "low_speakers": esc_text(join(_speakers_of(exact, low))),
        "high_some": esc_text(join(high_names[:2] + ([f"{len(high_names) - 2} more"]
                                                      if len(high_names) > 2 else []))),
        "groups": len(groups), "shared": esc_text("; ".join(shared)) or "none",
        "first_gap": min(gaps, default="?"), "last_gap": max(gaps, default="?"),
        "undated": int(published[exact["source_id"]].isna().sum()),
        "returns_table": _md_table(summary.rename(columns={"ratio": "highest ÷ lowest"})),
        "widest_date": date_text(widest["date"]), "widest_ratio": f"{widest['ratio']:.1f}",
        "runtime_list": "; ".join(f"{esc_text(v)} ({esc_text(w)})" for v, w in
                                  zip(runtime["value"], runtime["where"], strict=True)),
        "runtime_spread": int(runtime["minutes"].max() - runtime["minutes"].min()),
        "runtime_versions": "; ".join(esc_text(v) for v in runtime["value"]
                                      if "(" in str(v)) or "none",
        "lengths_table": _md_table(pd.DataFrame({
            "scope": lengths["scope"], "quotes": lengths["count"],
            "shortest (km)": lengths["min"].map(fmt), "longest (km)": lengths["max"].map(fmt),
            "longest ÷ shortest": lengths["ratio"]})),
        "stretches": int(distances["stretch"].nunique()),
        "units": join(sorted(set(distances["unit"]))),
        "film_stretches": esc_text("; ".join(dict.fromkeys(film_rows["stretch"]))),
        "film_ratio": f"{film['ratio'].iloc[0]:.1f}" if len(film) else "?",
        "double_quoted": esc_text(join(twice)) if twice else "none",
        "claims": len(claims),
        "verdict_counts": ", ".join(f"{v}: {int(counts.get(v, 0))}" for v in verdicts()),
        "verdict_key": verdict_key(claims),
        "articles_table": _md_table(article_scores(claims, sources)),
        "best_article": esc_text(article_scores(claims, sources).iloc[0]["article"]),
        "kinds_used": ", ".join(f"{k} {n}" for k, n in kinds.items() if n),
    }
