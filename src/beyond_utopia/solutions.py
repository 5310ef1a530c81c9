"""Values that fill the placeholders of the teacher notes (``notebooks/teacher/NN.md``).

Each function computes, from the data, every number a notebook's solutions quote.
"""

from __future__ import annotations

from beyond_utopia.formats import fmt, value_range


def values(number: str) -> dict:
    fn = globals().get(f"_nb{number}")
    return fn() if fn else {}


def _nb00() -> dict:
    from beyond_utopia import data

    counts = data.check_all()
    return {"tables": len(counts), "rows": fmt(sum(counts.values())),
            "events": fmt(counts["timeline"]), "sources": fmt(counts["sources"])}


def _nb03() -> dict:
    from beyond_utopia import arrivals as arr
    from beyond_utopia import data

    frame = arr.table()
    ch = arr.change(frame).dropna(subset=["change"])
    drop_year = int(ch["change"].idxmin())
    pct_year = int(ch["percent"].idxmin())
    rise_year = int(ch["change"].idxmax())
    before = arr.total_between(frame, 1999, 2011)
    allof = arr.total_between(frame, 1999, None)
    men = arr.years_men_outnumber_women(frame)
    cum = arr.compare_cumulative(frame, data.load("cumulative"))
    row24 = cum[cum["as_of"] == "2024-12-31"].iloc[0]
    return {
        "drop_year": drop_year, "drop": fmt(-ch.loc[drop_year, "change"]),
        "drop_from": fmt(ch.loc[drop_year, "total"] - ch.loc[drop_year, "change"]),
        "drop_to": fmt(ch.loc[drop_year, "total"]),
        "pct_year": pct_year, "pct": f"{-ch.loc[pct_year, 'percent']:.1f}",
        "rise_year": rise_year, "rise": fmt(ch.loc[rise_year, "change"]),
        "first_women": arr.first_year_women_outnumber_men(frame),
        "men_years": " and ".join(str(y) for y in men),
        "before_2012": fmt(before), "all_since_1999": fmt(allof),
        "share_before_2012": f"{before / allof * 100:.1f}",
        "last_year": int(arr.yearly(frame).index.max()),
        "cum_2024": fmt(row24["published"]), "sum_2024": fmt(row24["computed"]),
    }


def _nb04() -> dict:
    from beyond_utopia import data, timeline

    china = timeline.select(timeline.table(), actors=["China"], categories=["statement"])
    returns = data.load("returns")
    oct9 = returns[returns["date"] == "2023-10-09"]
    oct9_min, oct9_max = value_range(oct9)
    est = data.load("china_estimates")
    est_min, est_max = value_range(est)
    partial = est[est["basis"].str.contains("Yanbian")]
    return {
        "china_first_year": china["date"].iloc[0][:4], "china_first_title": china["title"].iloc[0],
        "china_count": len(china), "oct9_reports": len(oct9),
        "oct9_min": fmt(oct9_min), "oct9_max": fmt(oct9_max),
        "est_max": fmt(est_max), "est_min": fmt(est_min),
        "est_ratio": f"{est_max / est_min:.0f}",
        "partial_estimator": partial["estimator"].iloc[0],
    }


def _nb05() -> dict:
    from beyond_utopia import data, policy

    votes = data.load("un_votes")
    plenary = votes[(votes["body"] == "General Assembly") & (votes["method"] == "recorded vote")]
    over = plenary[plenary["yes"] > 100]
    share = policy.share_in_favour(votes)
    claims = data.load("claims")
    counts = claims["verdict"].value_counts()
    unconfirmed = claims[claims["verdict"] == "not found elsewhere"]["claim"]
    return {
        "first_without_vote": policy.first_without_vote(votes),
        "over_100": len(over), "over_100_years": ", ".join(str(int(y)) for y in over["year"]),
        "share_year": int(share.idxmax()), "share_max": f"{share.max():.1f}",
        "share_min_year": int(share.idxmin()), "share_min": f"{share.min():.1f}",
        "verdicts": ", ".join(f"{v} {n}" for v, n in counts.items()),
        "unconfirmed": "; ".join(unconfirmed),
    }


def _nb01() -> dict:
    from beyond_utopia import data, film

    facts = data.load("film_facts")
    ms = data.load("film_milestones")
    c = film.conflicts(facts).groupby("topic")["value"].nunique().sort_values(ascending=False)
    months = ms["date"].str[:7].value_counts()
    months = months[months.index.str.len() == 7]
    premiere = ms[ms["event"].str.contains("World premiere")]["date"].iloc[0]
    award = ms[ms["event"].str.contains("Audience Award")]["date"].iloc[0]
    return {
        "premiere": premiere, "award": award,
        "days": film.days_between(ms, "World premiere", "Audience Award"),
        "conflict_topics": ", ".join(c.index), "most_topic": c.index[0],
        "most_count": int(c.iloc[0]),
        "by_kind": ", ".join(f"{k} {n}" for k, n in ms["kind"].value_counts().items()),
        "busiest_month": months.index[0], "busiest_count": int(months.iloc[0]),
    }


def _nb02() -> dict:
    from beyond_utopia import data, route

    legs = route.legs()
    foot = legs[legs["mode"].str.contains("on foot")]
    p = route.waypoints()
    direct = route.haversine_km(p.latitude.iloc[0], p.longitude.iloc[0],
                                p.latitude.iloc[-1], p.longitude.iloc[-1])
    total = route.total_km(legs)
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
