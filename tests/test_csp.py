"""A page under the Content-Security-Policy (``formats.CSP``) draws its charts, and markup
that slipped into it could not run (a second wall behind escaping)."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from beyond_utopia import formats, style
from beyond_utopia.paths import NOTEBOOK_DIR

from .browser_support import check_page, context, served

PLOTLY_MIME = "application/vnd.plotly.v1+json"
INJECTED = ("<img src=x onerror=alert('img')><script>alert('script')</script>"
            "<svg onload=alert('svg')></svg><a href=\"javascript:alert('href')\">link</a>"
            "<div onclick=\"alert('click')\" id=\"clickme\">click</div>")


def stored_figures(limit: int = 6) -> list[dict]:
    """Figures from the stored notebooks (a map among them)."""
    figures = []
    for path in sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if PLOTLY_MIME in out.get("data", {}):
                    figures.append(out["data"][PLOTLY_MIME])
    return figures[:limit]


def test_json_script_cannot_be_closed_by_its_content():
    block = formats.json_script({"t": "</script><script>alert(1)</script>&<!--"}, "a\"b")
    assert block.count("</script>") == 1 and "<script>alert" not in block
    inner = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert json.loads(inner) == {"t": "</script><script>alert(1)</script>&<!--"}
    assert 'id="a&quot;b"' in block


def test_the_policy_allows_no_inline_script_and_nothing_from_elsewhere():
    policy = dict(part.strip().split(" ", 1) for part in formats.CSP.split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in formats.CSP
    assert "http" not in formats.CSP and "*" not in formats.CSP
    meta = formats.csp_meta()
    assert meta.startswith('<meta http-equiv="Content-Security-Policy"')


def _page(figures: list[dict]) -> str:
    charts = "".join(style.site_figure(spec, f"fig{i}") for i, spec in enumerate(figures))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{formats.csp_meta()}
<title>CSP</title><script src="assets/plotly.min.js"></script>
<script src="assets/charts.js"></script></head>
<body><h1>Charts</h1>{charts}<p>{INJECTED}</p></body></html>"""


@pytest.mark.browser
def test_charts_draw_under_the_policy_and_injected_markup_does_not_run(browser, tmp_path):
    import plotly

    (tmp_path / "assets").mkdir()
    shutil.copyfile(plotly.__path__[0] + "/package_data/plotly.min.js",
                    tmp_path / "assets" / "plotly.min.js")
    (tmp_path / "assets" / "charts.js").write_text(style.CHARTS_JS, encoding="utf-8")
    figures = stored_figures()
    assert len(figures) >= 3
    (tmp_path / "index.html").write_text(_page(figures), encoding="utf-8")
    with served(tmp_path) as url:
        for address, prefix in ((url + "index.html", url),
                                ((tmp_path / "index.html").as_uri(), "file://")):
            ctx, blocked = context(browser, prefix)
            page = ctx.new_page()
            dialogs: list[str] = []
            errors: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
            page.goto(address)
            check_page(page, len(figures))
            page.click("#clickme")
            page.click("text=link")
            page.wait_for_timeout(300)
            ctx.close()
            assert dialogs == [], (address, dialogs)
            assert errors == [], (address, errors)
            assert blocked == [], blocked
