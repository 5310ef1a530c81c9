"""Notebook 00, start here: the date the data run to, the articles the collection starts
from, and the numbers its teacher notes quote."""

from __future__ import annotations

from beyond_utopia import data
from beyond_utopia.formats import date_label, esc_text, fmt


def runs_to() -> str:
    """The date the data run to, for a reader: ``4 February 2026``."""
    return date_label(data.runs_to(), long=True)


def starting_articles() -> list[str]:
    """The ``source_id`` of each article the collection starts from (``claims.csv``), in
    order of first use."""
    return list(dict.fromkeys(data.load("claims")["article_id"]))


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    counts = data.check_all()
    sources = data.load("sources")
    kinds = sources["kind"].value_counts()
    returns = data.load("returns").merge(sources[["source_id", "kind"]], on="source_id")
    by_kind = returns["kind"].value_counts()
    news = int((returns["kind"] == "news").sum())
    film = data.load("timeline")
    film = film[film["category"] == "film"]
    return {"tables": len(counts), "rows": fmt(sum(counts.values())),
            "events": fmt(counts["timeline"]), "sources": fmt(counts["sources"]),
            "runs_to": runs_to(),
            "kinds": ", ".join(f"{esc_text(k)} {n}" for k, n in kinds.items()),
            "top_kind": esc_text(kinds.index[0]), "top_kind_n": int(kinds.iloc[0]),
            "top_kind_pct": f"{kinds.iloc[0] / kinds.sum() * 100:.0f}",
            "milestones": len(film), "returns_n": len(returns), "returns_news": news,
            "returns_news_pct": f"{news / len(returns) * 100:.0f}",
            "returns_kinds": ", ".join(f"{esc_text(k)} {n}" for k, n in by_kind.items())}
