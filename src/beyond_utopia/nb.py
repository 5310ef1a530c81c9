"""Small display helpers that keep notebook cells short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beyond_utopia import data
from beyond_utopia.formats import cell, html_table
from beyond_utopia.formats import esc as attr
from beyond_utopia.formats import esc_text as esc
from beyond_utopia.style import show

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table", "cited", "esc", "md", "show", "sources_list", "table"]


def md(text: str) -> None:
    """Show Markdown written in a notebook cell (numbers in it come from the data)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def cited(*frames: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sources.csv`` that the given tables cite, in order of first use."""
    ids: list[str] = []
    for frame in frames:
        for sid in frame["source_id"]:
            if sid not in ids:
                ids.append(sid)
    sources = data.load("sources").set_index("source_id")
    return sources.loc[ids].reset_index()


def sources_list(*frames: pd.DataFrame) -> None:
    """Show the sources a notebook used: a link with descriptive text, the publisher, the
    date and the kind of source (so students can weigh them). Maintainers' columns
    (``read_at``, ``note``) are never shown."""
    rows = cited(*frames)
    lines = []
    for r in rows.itertuples():
        when = f", {r.published}" if isinstance(r.published, str) and r.published else ""
        title = esc(r.title)
        if isinstance(r.url, str) and r.url:
            title = f"<a href=\"{attr(r.url)}\">{title}</a>"
        lines.append(f"- {title} ({esc(r.publisher)}{when}; *{esc(r.kind)}*; id "
                     f"`{r.source_id}`)")
    md("\n".join(lines))


class Table:
    """A table for a notebook: deterministic HTML (escaped, no random ids) and plain text."""

    def __init__(self, frame: pd.DataFrame, columns: list[str] | None = None,
                 summary: str | None = None):
        self.frame = (frame[columns] if columns else frame).reset_index(drop=True)
        self.summary = summary

    def _cells(self) -> list[list[str]]:
        return [[cell(v) for v in row] for row in self.frame.itertuples(index=False)]

    def _repr_html_(self) -> str:
        if self.summary is None:
            return html_table(self.frame)
        n = len(self.frame)
        return (f"<details class=\"bu-ref\"><summary>{esc(self.summary)} ({n} "
                f"{'row' if n == 1 else 'rows'})</summary>{html_table(self.frame)}</details>")

    def __repr__(self) -> str:
        rows = [list(map(str, self.frame.columns)), *self._cells()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                         for r in rows)


def table(frame: pd.DataFrame, columns: list[str] | None = None,
          summary: str | None = None) -> Table:
    """A table for display: chosen columns, missing values blank, no index. With a
    ``summary`` (what the table holds), a reference table the page does not need to show
    in full: it stays one click away, behind that summary."""
    return Table(frame, columns, summary)

