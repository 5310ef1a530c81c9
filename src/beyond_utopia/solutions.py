"""Values that fill the placeholders of the teacher notes (``notebooks/teacher/NN.md``).

Each function computes, from the data, every number a notebook's solutions quote.
"""

from __future__ import annotations

from beyond_utopia.charts import fmt


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
