"""Markup in every free-text field of every table is shown as text, never run.

The test reads ``datapackage.json``, appends markup that runs script in four ways (an
``<img onerror>``, a ``<script>``, an ``<svg onload>`` and a quote that closes an
attribute first) to every free-text value of every table in a copy of the data, builds
both editions, both sites and the handouts' pages from that copy into a temporary build
folder, and loads every page in Chromium: no script dialog may open. Each payload names
its table and field, so a failure says where the unescaped value came from; the built HTML
is searched too, so the message also names the page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from .browser_support import ALL_DRAWN, context, served
from .conftest import ROOT, DataCopy

pytestmark = pytest.mark.browser

#: Field types that take any text (dates, numbers, keys, enums and patterns are checked
#: by the loader, so markup cannot get into them).
FREE = "string"


def free_text_fields(descriptor: dict) -> dict[str, list[dict]]:
    """Every field a teacher could put any text into: strings with no enum, pattern,
    format or special parsing, and not part of a key that other rows point at."""
    keys: dict[str, set[str]] = {}
    for res in descriptor["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            keys.setdefault(res["name"], set()).update(fields)
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            keys.setdefault(ref["resource"], set()).update(ref_fields)
    found = {}
    for res in descriptor["resources"]:
        fields = []
        for field in res["schema"]["fields"]:
            constraints = field.get("constraints", {})
            if (field.get("type", "string") == FREE and not field.get("format")
                    and not field.get("x-parse") and "enum" not in constraints
                    and "pattern" not in constraints
                    and field["name"] not in keys.get(res["name"], set())):
                fields.append(field)
        if fields:
            found[res["path"]] = fields
    return found


def payload(tag: str) -> str:
    """Markup that would open a dialog naming ``tag`` if it ever ran."""
    return (f"\"'><img src=x onerror=alert('{tag}')><script>alert('{tag}')</script>"
            f"<svg onload=alert('{tag}')>")


def short_payload(tag: str) -> str:
    """The shortest markup that would open a dialog naming ``tag``, for short fields."""
    return f"<svg onload=alert('{tag}')>"


def poison(copy: DataCopy) -> dict[str, str]:
    """Append a payload to every free-text value; return {tag: "table.field"}."""
    descriptor = json.loads(copy.path("datapackage.json").read_text(encoding="utf-8"))
    tags = {}
    for t, (path, fields) in enumerate(sorted(free_text_fields(descriptor).items())):
        rows = copy.rows(path)
        for f, field in enumerate(fields):
            tag = f"T{t}F{f}"
            tags[tag] = f"{path}.{field['name']}"
            limit = field.get("constraints", {}).get("maxLength")
            mark = payload(tag)
            if limit and len(mark) > limit:  # a short field takes the shortest payload
                mark = short_payload(tag)
            # A row whose value would have to be cut to fit keeps its text (cutting it
            # would change what the notebooks find in it), but every field is reached.
            name = field["name"]
            fits = [r for r in rows if not limit or len(r[name]) + 1 + len(mark) <= limit]
            if not fits:
                shortest = min(rows, key=lambda r: len(r[field["name"]]))
                shortest[field["name"]] = shortest[field["name"]][: max(0, limit - 1 - len(mark))]
                fits = [shortest]
            for row in fits:
                row[field["name"]] = f"{row[field['name']]} {mark}".lstrip()
        copy.write_rows(path, rows, list(rows[0].keys()))
    return tags


def test_every_free_text_field_is_poisoned_somewhere(data_copy: DataCopy):
    """The poison reaches every table that has free text, and the data still load."""
    from beyond_utopia import data

    tags = poison(data_copy)
    assert len({t.split(".")[0] for t in tags.values()}) >= 10, tags
    assert {"eras.csv.name", "route.csv.place", "route.csv.leg_mode"} <= set(tags.values())
    data.check_all()


#: Both sites, then each notebook's worksheet and answer key as the HTML that is printed
#: to PDF (served beside the sites, with the sites' copy of plotly.js).
BUILD = """
import nbformat
from beyond_utopia import catalogue
from tools import handouts, site
site.build_site(jobs=2)
out = site.SITE / "handouts"
out.mkdir()
plotly = (handouts.ASSETS / "plotly-basic.min.js").resolve().as_uri()
for entry in catalogue.available():
    for edition, make, kind in (("student", handouts.worksheet_html, "worksheet"),
                                ("teacher", handouts.answer_key_html, "answer-key")):
        nb = nbformat.read(site.EXECUTED / edition / entry.filename, as_version=4)
        page = make(entry, nb).replace(plotly, "../student/assets/plotly-basic.min.js")
        (out / f"{entry.number}-{kind}.html").write_text(page, encoding="utf-8")
"""


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    """Both editions and the site, built from poisoned data into a temporary folder."""
    base = tmp_path_factory.mktemp("poison")
    folder = base / "data"
    import shutil

    shutil.copytree(ROOT / "data", folder)
    tags = poison(DataCopy(folder))
    out = base / "build"
    env = dict(os.environ, BEYOND_UTOPIA_DATA=str(folder), BEYOND_UTOPIA_BUILD=str(out))
    run = subprocess.run([sys.executable, "-c", BUILD], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-4000:]
    site = out / "site"
    with served(site) as url:
        yield {"root": site, "url": url, "tags": tags, "notebooks": out / "notebooks"}


#: A payload that reached a page as markup, not as text.
LIVE = re.compile(r"<(?:img src=x onerror|svg onload)=alert\('(T\d+F\d+)'\)>"
                  r"|<script>alert\('(T\d+F\d+)'\)</script>")


def live_markup(text: str) -> list[str]:
    """The tags of the payloads that appear as markup in ``text``."""
    return sorted({a or b for a, b in LIVE.findall(text)})


def test_no_page_of_the_poisoned_site_runs_the_markup(browser, poisoned_site):
    root, tags = poisoned_site["root"], poisoned_site["tags"]
    pages = sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    assert len(pages) >= 4 and sum(p.startswith("handouts/") for p in pages) >= 2
    static = {page: [tags[t] for t in live_markup((root / page).read_text(encoding="utf-8"))]
              for page in pages}
    ctx, blocked = context(browser, poisoned_site["url"])
    dialogs: list[tuple[str, str]] = []
    shown_as_text = 0
    page = ctx.new_page()  # one tab for every page, as a reader clicks from page to page
    current = [""]
    page.on("dialog", lambda d: (dialogs.append(
        (current[0], tags.get(d.message, d.message))), d.dismiss()))
    for page_name in pages:
        current[0] = page_name
        page.goto(poisoned_site["url"] + page_name)
        # The load event waits for every image, so each <img onerror> has fired by then;
        # then every chart has drawn, with whatever text plotly put in it.
        page.wait_for_load_state("load")
        page.wait_for_function(ALL_DRAWN, timeout=30_000)
        shown_as_text += page.locator("body").inner_text().count("onerror=alert(")
    ctx.close()
    unescaped = {p: sorted(set(v)) for p, v in static.items() if v}
    assert dialogs == [] and unescaped == {}, (
        f"{len(dialogs)} dialogs: {sorted(set(dialogs))}; markup in the HTML: {unescaped}")
    assert shown_as_text > 0  # the poison did reach the pages, as text
    assert blocked == [], blocked[:5]


def test_the_poisoned_notebooks_hold_the_markup_as_text_only(poisoned_site):
    """What JupyterLab renders from the executed notebooks (HTML and Markdown outputs,
    the figures): the markup is escaped there too."""
    import nbformat

    tags = poisoned_site["tags"]
    found = {}
    for path in sorted(poisoned_site["notebooks"].rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                for mime, value in out.get("data", {}).items():
                    if mime in ("text/html", "text/markdown"):
                        live = live_markup(value)
                        if live:
                            key = f"{path.parent.name}/{path.name} cell {i} ({mime})"
                            found[key] = sorted({tags[t] for t in live})
    assert found == {}, found
