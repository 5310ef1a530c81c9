"""Shared pieces of the browser tests: the system Chromium, the built site, request blocking.

These tests drive the system Chromium through Playwright (its own browser download does
not work offline). Where Chromium is missing they are skipped with a message that says
how to install it; CI installs it. Every request that is not for the loopback server is
blocked and counted: the pages must make none. Screenshots of the last run are kept under
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

from tools import build

SHOTS = build.BUILD / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]

def chromium_path() -> str | None:
    for candidate in (os.environ.get("BU_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: ANN002
        pass


def site_fixture():
    from tools import site as site_mod

    report = site_mod.build_site(jobs=2)
    server = socketserver.TCPServer(("127.0.0.1", 0),
                                    functools.partial(_Quiet, directory=str(site_mod.SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "report": report,
           "root": site_mod.SITE}
    server.shutdown()
    server.server_close()


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


def check_page(page, expected_charts: int) -> None:
    if expected_charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= "
            f"{expected_charts}", timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == expected_charts
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} did not draw"


