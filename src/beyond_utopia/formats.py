"""How values from the tables are written out: one place for every module.

Missing values, escaping (markup in a table is shown as text, never run), whole
numbers, the HTML table, and the low/high bounds that several tables use for a
reported number ("more than 500" has only ``low``, "up to 600" only ``high``).
"""

from __future__ import annotations

import html
import json
from typing import Any


def missing(value: object) -> bool:
    """True for None, NaN and pandas' NA."""
    try:
        return bool(value is None or value != value)
    except TypeError:  # pd.NA compares ambiguously
        return True


def esc(text: object) -> str:
    """Escape text for HTML, attributes included (figures, tables, links)."""
    return html.escape(str(text), quote=True)


def esc_text(text: object) -> str:
    """Escape text for Markdown prose: markup is shown as text; quotes stay as they are."""
    return html.escape(str(text), quote=False)


def json_script(value: object, element_id: str) -> str:
    """``value`` as JSON in a data block (``<script type="application/json">``): a browser
    never runs it, and ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on, so no
    text in it (``</script><script>...``) can close the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                      default=str)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"<script type=\"application/json\" id=\"{esc(element_id)}\">{text}</script>"


#: A Content-Security-Policy for the site's pages: scripts only from the site's own files
#: (no inline script, no event-handler attributes, no eval), nothing fetched from anywhere
#: else, no plugins, no forms, no <base>. Plotly sets inline styles, hence 'unsafe-inline'
#: for styles only. Charts are drawn by ``style.CHARTS_JS`` from ``style.site_figure``.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")


def csp_meta(policy: str = CSP) -> str:
    """The ``<meta>`` element that applies ``policy`` to a page (put it first in ``<head>``)."""
    return f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(policy)}\">"


def fmt(n: object) -> str:
    """A number rounded to a whole one, with thousands separators (``2,914``)."""
    return f"{round(float(n)):,}"  # type: ignore[arg-type]


def cell(value: object) -> str:
    """A table cell's text: empty for a missing value."""
    return "" if missing(value) else str(value)


def html_table(frame: Any) -> str:
    """A deterministic, escaped HTML table (no index, no random ids)."""
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bounds(low: object, high: object) -> tuple[int | None, int | None]:
    """A reported number's bounds as whole numbers, None where not given."""
    return (None if missing(low) else int(low),  # type: ignore[call-overload]
            None if missing(high) else int(high))  # type: ignore[call-overload]


def bound_label(low: object, high: object, unit: str = "{:,}", upper: str = "up to") -> str:
    """How a number was reported: ``500``, ``50 to 60``, ``more than 500``, ``up to 600``.

    ``unit`` formats each number (``"${:,}"`` for dollars); ``upper`` is the word for an
    upper bound alone (``"up to"``, or ``"less than"`` where the source says so).
    """
    lo, hi = bounds(low, high)
    if lo is not None and hi is not None:
        return unit.format(lo) if lo == hi else f"{unit.format(lo)} to {unit.format(hi)}"
    if lo is not None:
        return f"more than {unit.format(lo)}"
    return f"{upper} {unit.format(hi)}"


def money(value: float, currency: str, unit: bool = True) -> str:
    """``$20,000``, ``3.5 million KRW`` (``unit=False``: ``3.5 million``)."""
    if currency == "USD":
        return f"${value:,.0f}"
    text = f"{value / 1e6:,.4g} million" if value >= 1e6 else f"{value:,.0f}"
    return f"{text} {currency}" if unit else text


def fee_text(low: int | None, high: int | None, currency: str) -> str:
    """A reported fee as its source gives it, short: ``20 to 30 million KRW``."""
    if low is not None and high is not None and low != high:
        return f"{money(low, currency, currency == 'USD')} to {money(high, currency)}"
    if low is not None and high is not None:
        return money(low, currency)
    return (f"more than {money(low, currency)}" if high is None else
            f"less than {money(high, currency)}")


def value_range(frame: Any) -> tuple[int, int]:
    """The smallest and the largest number in a table's ``low`` and ``high`` columns."""
    values = [int(v) for v in list(frame["low"].dropna()) + list(frame["high"].dropna())]
    return min(values), max(values)


def span_label(rows: Any) -> str:
    """The numbers some reports give, lowest to highest: ``500 to more than 600``."""
    low, high = value_range(rows)
    if low == high:
        return f"{low:,}"
    open_top = any(lo == high and hi is None for lo, hi in
                   (bounds(a, b) for a, b in zip(rows["low"], rows["high"], strict=True)))
    return f"{low:,} to {'more than ' if open_top else ''}{high:,}"


def date_label(date: str, long: bool = False) -> str:
    """A partial ISO date (``1986``, ``2020-01``, ``2023-10-09``) for a reader: ``1986``,
    ``Jan 2020``, ``9 Oct 2023``; with ``long``, ``January 2020``, ``9 October 2023``."""
    import calendar

    parts = [int(p) for p in str(date).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = f"{(calendar.month_name if long else calendar.month_abbr)[parts[1]]} {parts[0]}"
    return month if len(parts) == 2 else f"{parts[2]} {month}"
