"""A notebook as a reading page: the story, its charts and tables, without the plumbing.

Used by the site (``tools/site.py``) and the handouts (``tools/handouts.py``).

What a reader sees of each cell:

- Markdown: rendered, headings with stable ids (GitHub style, so ``glossary.md#asylum``
  finds its term), links to ``glossary.md`` pointed at the site's ``glossary.html``.
- A code cell tagged ``hide-input`` or with ``metadata.jupyter.source_hidden``: its
  outputs only (setup cells, cells that write prose).
- Papermill's ``injected-parameters`` cell, and any cell tagged ``remove-cell``: nothing.
- A code cell with no output (a teacher-only cell in the student edition): nothing,
  unless it holds only comments (an exercise's empty cell, shown as a short note).
- Any other code cell (a chart, a table, the parameters): its code folded in a
  ``<details>`` element, for readers who learn from it, then its outputs.
- Every HTML table sits in a labelled, keyboard-reachable region that scrolls sideways
  on a phone (and says so); a long table shows its first rows, the rest one click away.
  A long list does the same; a list after ``<!-- key points: N -->`` (a story told point
  by point) shows its first N points. A reference table (``nb.table(..., summary=...)``)
  waits, whole, behind its summary.
- The exercises and the list of sources fold under their headings ("Show the 8
  exercises"), one click away; the site's page script opens every fold before printing.
- Every stored plotly figure becomes a chart div drawn by the page's local plotly.js.
  Its caption and notes stay under it; its description in words (what a reader who
  cannot see it needs) moves into the fold of its data table, "The chart in words, and
  its data".
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Tables (and lists) longer than this show their first :data:`KEEP_ROWS` rows, the rest on request.
LONG_TABLE = 8
KEEP_ROWS = 5
#: The plotly.js configuration of every chart on the site (the phone width hides the
#: toolbar, see :data:`CHART_JS`).
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}
#: Trace types the vendored plotly.js basic bundle can draw.
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})


def slug(text: str) -> str:
    """A heading's id as GitHub writes it: lower case, punctuation dropped, spaces as -."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return re.sub(r" ", "-", text)


def _markdown():
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def heading(self, text: str, level: int, **attrs: Any) -> str:
            return f"<h{level} id=\"{html.escape(slug(text))}\">{text}</h{level}>\n"

    return mistune.create_markdown(renderer=Renderer(escape=False),
                                   plugins=["table", "strikethrough", "url"])


_MD = None


def markdown(text: str) -> str:
    """Markdown as HTML (raw HTML in it passes through, as in JupyterLab)."""
    global _MD
    if _MD is None:
        _MD = _markdown()
    return _MD(text)


GLOSSARY_LINK = re.compile(r"href=\"(?:(?:\.\./)*notebooks/|\./)?glossary\.md(#[^\"]*)?\"")


#: A link from one notebook to another (``02-the-journey.ipynb#a-section``).
NOTEBOOK_LINK = re.compile(r"href=\"(?:\./)?(\d\d-[\w-]+)\.ipynb(#[^\"]*)?\"")


def link_glossary(page: str, target: str = "glossary.html") -> str:
    """Point links at ``glossary.md`` (from a notebook or the teacher notes) at ``target``,
    and links to another notebook at that notebook's page of the same site."""
    page = GLOSSARY_LINK.sub(lambda m: f"href=\"{target}{m.group(1) or ''}\"", page)
    return NOTEBOOK_LINK.sub(lambda m: f"href=\"{m.group(1)}.html{m.group(2) or ''}\"", page)


# --------------------------------------------------------------------------- tables

_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_TR = re.compile(r"<tr\b", re.S)


def _columns(table: str) -> list[str]:
    head = re.search(r"<thead\b.*?</thead>", table, re.S)
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(0) if head else table, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.S)
_TD = re.compile(r"<td\b([^>]*)>(.*?)</td>", re.S)
#: Columns whose cells hold this many characters on average are words (``bu-mid``) or
#: text (``bu-text``): on a phone they get room to wrap into a few lines instead of a
#: narrow strip, and the table scrolls sideways.
MID_COLUMN, TEXT_COLUMN = 12, 50


def _mark_text_columns(table: str) -> str:
    lengths: dict[int, list[int]] = {}
    for row in _ROW.finditer(table):
        for j, cell in enumerate(_TD.finditer(row.group(2))):
            lengths.setdefault(j, []).append(len(re.sub(r"<[^>]+>", "", cell.group(2))))
    kinds = {}
    for j, ls in lengths.items():
        mean = sum(ls) / len(ls)
        if mean >= MID_COLUMN:
            kinds[j] = "bu-text" if mean >= TEXT_COLUMN else "bu-mid"
        elif max(ls) <= MID_COLUMN:
            kinds[j] = "bu-short"  # a date, a number: kept on one line
    if not kinds:
        return table

    def row(m: re.Match) -> str:
        j = -1

        def cell(c: re.Match) -> str:
            nonlocal j
            j += 1
            return (f"<td class=\"{kinds[j]}\"{c.group(1)}>{c.group(2)}</td>" if j in kinds
                    and "class=" not in c.group(1) else c.group(0))

        return m.group(1) + _TD.sub(cell, m.group(2)) + m.group(3)

    return _ROW.sub(row, table)


def _fold_rows(table: str, keep: int) -> str:
    """Mark every body row after the first ``keep`` with the class ``bu-more``."""
    body = re.search(r"(<tbody\b[^>]*>)(.*?)(</tbody>)", table, re.S)
    if not body:
        return table
    count = 0

    def mark(m: re.Match) -> str:
        nonlocal count
        count += 1
        return m.group(0) if count <= keep else "<tr class=\"bu-more\""

    rows = _TR.sub(mark, body.group(2))
    return table[:body.start(2)] + rows + table[body.end(2):]


def wrap_tables(fragment: str, fold: bool = True) -> str:
    """Put every table of ``fragment`` in a labelled region a keyboard can scroll; fold
    long ones (``fold``) to their first rows with the whole table one click away."""

    def wrap(m: re.Match) -> str:
        table = _mark_text_columns(m.group(0))
        columns = _columns(table)
        body = re.search(r"<tbody\b.*?</tbody>", table, re.S)
        rows = len(_TR.findall(body.group(0) if body else table)) - (0 if body else 1)
        label = "Table: " + ", ".join(c for c in columns if c) if columns else "Table"
        toggle = ""
        if fold and rows > LONG_TABLE:
            table = _fold_rows(table, KEEP_ROWS)
            toggle = (f"<details class=\"bu-all\"><summary><span class=\"bu-closed\">Show all "
                      f"{rows} rows</span><span class=\"bu-opened\">Show the first {KEEP_ROWS}"
                      f" rows only</span></summary></details>"
                      f"<p class=\"bu-count\">The first {KEEP_ROWS} of {rows} rows.</p>")
            label += f" ({rows} rows)"
        return (f"<div class=\"bu-tablebox\">{toggle}"
                f"<p class=\"bu-cue\" aria-hidden=\"true\">Scroll sideways to see every column "
                f"&#8594;</p><div class=\"bu-table\" role=\"region\" tabindex=\"0\" "
                f"aria-label=\"{html.escape(label)}\">{table}</div></div>")

    return _TABLE.sub(wrap, fragment)


_LIST = re.compile(r"(<(ul|ol)\b[^>]*>)((?:(?!<ul\b|<ol\b).)*?)(</\2>)", re.S)


#: A list right after this comment shows its first N points, however short it is (a
#: story told point by point: notebook 01's ``film.story_markdown``).
KEY_POINTS = re.compile(r"<!-- key points: (\d+) -->\s*$")


def fold_lists(fragment: str) -> str:
    """A long flat list (a notebook's sources, say) shows its first items, the rest one
    click away."""

    def fold(m: re.Match) -> str:
        items = re.findall(r"<li\b", m.group(3))
        marked = KEY_POINTS.search(m.string, 0, m.start())
        keep = int(marked.group(1)) if marked else KEEP_ROWS
        if len(items) <= (keep + 1 if marked else LONG_TABLE):
            return m.group(0)
        count = 0

        def mark(li: re.Match) -> str:
            nonlocal count
            count += 1
            return li.group(0) if count <= keep else "<li class=\"bu-more\""

        body = re.sub(r"<li\b", mark, m.group(3))
        noun = "points" if marked else "items"
        return (f"<div class=\"bu-listbox\"><details class=\"bu-all\"><summary><span "
                f"class=\"bu-closed\">Show all {len(items)} {noun}</span><span class=\"bu-opened\">"
                f"Show the first {keep} only</span></summary></details>"
                f"<p class=\"bu-count\">The first {keep} of {len(items)}.</p>"
                f"{m.group(1)}{body}{m.group(4)}</div>")

    return _LIST.sub(fold, fragment)


_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)
#: Sections a reader opens when they come to them (the template's exercises and its list
#: of sources): their heading stays in place, the rest of the section is one click away.
EXERCISES = re.compile(r"^(\d+\.\s*)?Exercises$")
SOURCES = re.compile(r"^Sources used in this notebook$")
_LIST_FOLD = re.compile(r"<details class=\"bu-all\">.*?</details><p class=\"bu-count\">.*?</p>",
                        re.S)


def fold_sections(page: str) -> str:
    """Fold the exercises and the sources of a reading page under their headings: the
    heading shows, then a "Show the N exercises" (or sources) button opens the rest, in
    full. Printing opens every fold (the site's page script)."""
    heads = list(_H2.finditer(page))
    for k in reversed(range(len(heads))):
        head = heads[k]
        name = html.unescape(re.sub(r"<[^>]+>", "", head.group(1))).strip()
        end = heads[k + 1].start() if k + 1 < len(heads) else len(page)
        body = page[head.end():end]
        if EXERCISES.match(name):
            count = len(set(re.findall(r"Exercise (\d+)", body)))
            what = f"the {count} exercises" if count > 1 else "the exercises"
        elif SOURCES.match(name):  # opened, the list shows whole: one click, not two
            body = _LIST_FOLD.sub("", body).replace("<li class=\"bu-more\"", "<li")
            count = len(re.findall(r"<li\b", body))
            what = f"the {count} sources" if count > 1 else "the source"
        else:
            continue
        page = (page[:head.end()] + f"<details class=\"bu-section\"><summary>Show {what}"
                f"</summary>{body}</details>\n" + page[end:])
    return page


# --------------------------------------------------------------------------- charts


def safe_json(value: Any) -> str:
    """JSON that can sit inside a ``<script>`` element whatever text the data holds."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def trace_types(spec: dict) -> set[str]:
    return {t.get("type", "scatter") for t in spec.get("data", [])}


def figure_html(spec: dict, div_id: str) -> str:
    """A stored plotly figure as a chart div, drawn by the page's local plotly.js (its
    toolbar shows on hover on a wide screen and never on a phone, where it would sit on
    the title)."""
    fig = {"data": spec.get("data", []), "layout": spec.get("layout", {})}
    return (f"<div class=\"bu-figure\"><div id=\"{div_id}\" class=\"plotly-graph-div\"></div>"
            f"<script>buChart({json.dumps(div_id)},{safe_json(fig)});</script></div>")


#: Defines ``buChart`` once per page (in the page's head). A chart with a wide layout
#: (``style.wide_layout``) draws it where its box is wide enough.
CHART_JS = ("window.PLOTLYENV=window.PLOTLYENV||{};function buChart(id,fig){var c="
            + json.dumps(CONFIG, sort_keys=True)
            + ";c.displayModeBar=window.innerWidth<700?false:'hover';"
              "var w=fig.layout.meta&&fig.layout.meta.wide,L=fig.layout,D=fig.data,k;"
              "if(w&&document.getElementById(id).clientWidth>=w.min_width){L=Object.assign({},L);"
              "D=w.data||D;"
              "for(k in w.layout){L[k]=L[k]&&w.layout[k].constructor===Object?"
              "Object.assign({},L[k],w.layout[k]):w.layout[k];}}"
              "if(window.Plotly){Plotly.newPlot(id,D,L,c);}}")


# --------------------------------------------------------------------------- cells


#: A chart's caption and description (``chart_text``), its notes, then its data fold.
_CHART_TEXT = re.compile(r'<p><strong>(Figure: [^<]*)</strong> (.+?)</p>((?:(?!<p><strong>Figure:)'
                         r'.)*?)<details class="bu-data"><summary>Data table: [^<]*</summary>',
                         re.DOTALL)


def fold_description(outputs: str) -> str:
    """A chart's description joins its data table in one fold; the caption and the notes
    stay in view."""
    return _CHART_TEXT.sub(
        lambda m: (f'<p><strong>{m[1]}</strong></p>{m[3]}<details class="bu-data"><summary>'
                   f'The chart in words, and its data</summary><p class="bu-desc">{m[2]}</p>'),
        outputs)


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def input_hidden(cell: Any) -> bool:
    """The cell's code is plumbing: tagged ``hide-input`` or collapsed in JupyterLab."""
    meta = cell.get("metadata", {})
    return "hide-input" in _tags(cell) or bool(meta.get("jupyter", {}).get("source_hidden"))


def removed(cell: Any) -> bool:
    return bool(_tags(cell) & {"injected-parameters", "remove-cell"})


def writes_prose(cell: Any) -> bool:
    """The cell only writes text (``md(f"...")``): every output is Markdown."""
    outs = cell.get("outputs", [])
    return bool(outs) and all(set(o.get("data", {})) <= {"text/markdown", "text/plain"}
                              and "text/markdown" in o.get("data", {}) for o in outs)


def _only_comments(source: str) -> bool:
    lines = [ln.strip() for ln in source.splitlines() if ln.strip()]
    return bool(lines) and all(ln.startswith("#") for ln in lines)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class Renderer:
    """Renders one notebook's cells; counts its charts, and the trace types they use."""

    def __init__(self, prefix: str, fold_tables: bool = True):
        self.prefix = prefix
        self.fold_tables = fold_tables
        self.figures = 0
        self.traces: set[str] = set()

    def output(self, out: Any) -> str:
        kind = out.get("output_type")
        if kind == "stream":
            return ("" if out.get("name") == "stderr" else
                    f"<pre class=\"bu-stream\">{html.escape(_text(out.get('text', '')))}</pre>")
        if kind == "error":
            text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.get("traceback", [])))
            return f"<pre class=\"bu-error\">{html.escape(text)}</pre>"
        data = out.get("data", {})
        if PLOTLY_MIME in data:
            self.figures += 1
            spec = data[PLOTLY_MIME]
            self.traces |= trace_types(spec)
            return figure_html(spec, f"{self.prefix}-fig{self.figures}")
        if "text/html" in data:
            return wrap_tables(_text(data["text/html"]), self.fold_tables)
        if "text/markdown" in data:
            text = wrap_tables(markdown(_text(data["text/markdown"])), self.fold_tables)
            return fold_lists(text) if self.fold_tables else text
        for mime in ("image/png", "image/jpeg"):
            if mime in data:
                alt = html.escape(_text(data.get("text/plain", "")))
                return f"<img src=\"data:{mime};base64,{_text(data[mime]).strip()}\" alt=\"{alt}\">"
        if "text/plain" in data:
            return f"<pre>{html.escape(_text(data['text/plain']))}</pre>"
        return ""

    def cell(self, cell: Any) -> str:
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            return wrap_tables(markdown(source), self.fold_tables) if source.strip() else ""
        if cell.get("cell_type") != "code" or removed(cell):
            return ""
        outputs = "".join(self.output(o) for o in cell.get("outputs", []))
        if self.fold_tables and self.figures:
            outputs = fold_description(outputs)
        if "parameters" in _tags(cell):  # folded, output or not: what a reader may change
            summary = "The notebook's parameters (change them in JupyterLab)"
        elif input_hidden(cell) or writes_prose(cell):
            return outputs
        elif not outputs.strip():
            if _only_comments(source):  # an exercise's empty code cell
                return ("<div class=\"bu-try\"><p>In JupyterLab, this cell is where you write "
                        f"your code:</p><pre>{html.escape(source.strip())}</pre></div>")
            return ""
        else:
            summary = "Show the code"
        return (f"<details class=\"bu-code\"><summary>{summary}</summary>"
                f"<pre><code>{html.escape(source)}</code></pre></details>{outputs}")

    def notebook(self, nb: Any) -> str:
        return "\n".join(part for part in map(self.cell, nb.cells) if part.strip())


def render(nb: Any, prefix: str, fold_tables: bool = True) -> tuple[str, Renderer]:
    """The reading HTML of a notebook, and its renderer (charts counted, traces seen)."""
    r = Renderer(prefix, fold_tables)
    page = r.notebook(nb)
    return link_glossary(fold_sections(page) if fold_tables else page), r


def title(nb: Any) -> str:
    """The notebook's title: its one ``# `` heading, without emphasis marks."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].replace("*", "").strip()
    return "Notebook"
