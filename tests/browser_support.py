"""Shared pieces of the browser tests: the system Chromium, the built sites, request blocking.

These tests drive the system Chromium through Playwright (its own browser download does
not work offline). Where Chromium is missing they are skipped with a message that says
how to install it; CI installs it. Every request that is not for the loopback server is
blocked and counted: the pages must make none. Screenshots of the last run are kept under
build/screenshots/ for a person to look at.

The sites are built once per test run, whichever test process asks first (pytest-xdist
runs several); the others wait for it and reuse it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import socketserver
import threading

import pytest

from tools import build, chromium

SHOTS = build.BUILD / "screenshots"
CHROMIUM_ARGS = chromium.ARGS
WIDTHS = (1280, 390)


def chromium_path() -> str | None:
    return chromium.find()


def browser_fixture():
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found: install it with `apt-get install chromium` "
                    "(Debian) to run the browser tests")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request."""

    def log_message(self, *args):  # noqa: ANN002
        pass


@contextlib.contextmanager
def served(folder, handler: type = Quiet):
    """``folder`` served on loopback while the block runs; yields its URL (ending in /)."""
    server = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def built_site() -> dict:
    """Build both sites once per test run (the student edition from the stored notebooks,
    which strict nbval proves current), shared by every test process."""
    from tools import site as site_mod

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"
    build.BUILD.mkdir(parents=True, exist_ok=True)
    stamp = build.BUILD / ".site-test-run.json"
    with open(build.BUILD / ".site-test.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            saved = json.loads(stamp.read_text())
            if saved.get("run") == run and (site_mod.SITE / "site.json").exists():
                return saved["report"]
        report = site_mod.build_site(jobs=2, stored=True)
        stamp.write_text(json.dumps({"run": run, "report": report}))
        return report


def site_fixture():
    from tools import site as site_mod

    report = built_site()
    with served(site_mod.SITE) as url:
        yield {"url": url, "report": report, "root": site_mod.SITE}


def pages(site: dict, edition: str | None = None, charts: bool = False) -> list[dict]:
    """The site's pages (of one edition; only those with charts)."""
    return [p for p in site["report"]["pages"]
            if (edition is None or p["edition"] == edition) and (not charts or p["figures"])]


def context(browser, allowed_prefix: str, width: int = 1200, height: int = 900):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(allowed_prefix) or url.startswith("data:") or url.startswith("blob:"):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    ctx.route("**/*", route)
    return ctx, blocked


#: How many charts have drawn (plotly adds the class and its svg when it draws one).
DRAWN = ("[...document.querySelectorAll('.js-plotly-plot')]"
         ".filter(c => c.querySelector('svg.main-svg')).length")
#: Every chart div on the page has been drawn (true on a page with none).
ALL_DRAWN = ("[...document.querySelectorAll('.plotly-graph-div')]"
             ".every(d => d.querySelector('svg.main-svg'))")


def check_page(page, expected_charts: int) -> None:
    if expected_charts:
        page.wait_for_function(f"{DRAWN} >= {expected_charts}", timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == expected_charts
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} did not draw"


def shot_name(page_path: str, suffix: str = "") -> str:
    return page_path.replace("/", "-").replace(".html", "") + suffix + ".png"
