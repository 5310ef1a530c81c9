"""Notebook 00, start here: the numbers its teacher notes quote."""

from __future__ import annotations

from beyond_utopia import data
from beyond_utopia.formats import fmt


def solution_values() -> dict:
    """Every number the teacher notes quote, computed from the data."""
    counts = data.check_all()
    return {"tables": len(counts), "rows": fmt(sum(counts.values())),
            "events": fmt(counts["timeline"]), "sources": fmt(counts["sources"])}
