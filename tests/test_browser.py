"""What a reader sees, in a real browser: the offline site, and the notebooks in JupyterLab.

These tests drive the system Chromium through Playwright (its own browser download does
not work offline). Where Chromium is missing they are skipped with a message that says
how to install it; CI installs it. Every request that is not for the loopback server is
blocked and counted: the pages must make none. Screenshots of the last run are kept under
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from beyond_utopia import build

SHOTS = build.BUILD / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]

pytestmark = pytest.mark.browser


def chromium_path() -> str | None:
    for candidate in (os.environ.get("BU_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
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


@pytest.fixture(scope="module")
def site():
    from beyond_utopia import site as site_mod

    report = site_mod.build_site(jobs=2)
    server = socketserver.TCPServer(("127.0.0.1", 0),
                                    functools.partial(_Quiet, directory=str(site_mod.SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/", "report": report,
           "root": site_mod.SITE}
    server.shutdown()
    server.server_close()


def _context(browser, allowed_prefix: str):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
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


def _check_page(page, expected_charts: int) -> None:
    if expected_charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= "
            f"{expected_charts}", timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == expected_charts
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} did not draw"


def test_every_site_page_loads_draws_every_chart_and_stays_offline(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = _context(browser, site["url"])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    pages = [{"page": "index.html", "figures": 0}, {"page": "guide.html", "figures": 0},
             *site["report"]["pages"]]
    for entry in pages:
        response = page.goto(site["url"] + entry["page"])
        assert response is not None and response.ok, entry["page"]
        page.wait_for_load_state("networkidle")
        _check_page(page, entry["figures"])
        assert page.locator("h1").count() == 1, entry["page"]
        page.screenshot(path=str(SHOTS / ("site-" + entry["page"].replace("/", "-")
                                          .replace(".html", ".png"))), full_page=True)
    ctx.close()
    assert errors == [], errors
    assert blocked == [], f"requests left the machine: {blocked[:5]}"
    assert sum(p["figures"] for p in pages) == site["report"]["figures"] > 0


def test_a_page_opened_from_disk_draws_its_charts(browser, site):
    entry = next(p for p in site["report"]["pages"] if p["figures"] >= 3)
    ctx, blocked = _context(browser, "file://")
    page = ctx.new_page()
    page.goto((site["root"] / entry["page"]).resolve().as_uri())
    _check_page(page, entry["figures"])
    ctx.close()
    assert blocked == []


def test_the_student_edition_gives_no_solution_away(site):
    from beyond_utopia import classroom, solutions

    root = site["root"]
    for entry in site["report"]["pages"]:
        if not entry["page"].startswith("student/"):
            continue
        number = Path(entry["page"]).name[:2]
        student = (root / entry["page"]).read_text(encoding="utf-8")
        teacher = (root / entry["page"].replace("student/", "teacher/")).read_text(
            encoding="utf-8")
        assert "Solution 1." not in student and "Teaching notes" not in student
        values = solutions.values(number)
        sections = classroom._sections(number)
        for name in sections:
            text = classroom.section(number, name, values)
            # every long enough sentence of the teacher notes: in the teacher page only
            for sentence in re_sentences(text):
                assert sentence not in _text(student), (entry["page"], sentence)
                assert sentence in _text(teacher), (entry["page"], sentence)


def re_sentences(text: str) -> list[str]:
    """The prose sentences of a Markdown text, without code blocks or emphasis marks."""
    import re

    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    prose = re.sub(r"\*\*|`|(?<!\w)\*|\*(?!\w)", "", prose)
    sentences = []
    for line in prose.splitlines():
        line = re.sub(r"^\s*(\d+\.|-)\s+", "", line)
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line)]
    return [s for s in sentences if len(s) > 60]


def _text(html_page: str) -> str:
    import html as html_mod
    import re

    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", "", html_page)).split())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for p in build.notebook_paths():
        shutil.copy(p, root / p.name)  # a copy: the stored notebooks are never touched
    home = tmp_path_factory.mktemp("lab-home")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"))
    for d in ("config", "runtime", "ipython", "workspaces", "settings"):
        (home / d).mkdir()
    # render every cell, not only those in view, so every chart is in the page
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
         "--ip", "127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start")
    yield {"url": url, "token": token, "root": root}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _stored_charts(path: Path) -> int:
    nb = json.loads(path.read_text())
    return sum("application/vnd.plotly.v1+json" in o.get("data", {})
               for c in nb["cells"] for o in c.get("outputs", []))


def _accept_kernel_dialog(page, wait_ms: int = 5000) -> None:
    """On a fresh server the kernel list can load after the notebook opens, and JupyterLab
    asks which kernel to start; accept its choice, as a person would."""
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=wait_ms)
    except Exception:  # noqa: BLE001 - no dialog: nothing to do
        return
    page.locator(".jp-Dialog .jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=30_000)


def _menu(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f"[data-command='{command}']").click()


def test_jupyterlab_shows_stored_charts_and_runs_every_notebook(browser, jupyterlab):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = _context(browser, jupyterlab["url"])
    visible = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    for i, path in enumerate(build.notebook_paths()):
        expected = _stored_charts(path)
        page = ctx.new_page()
        page.goto(f"{jupyterlab['url']}lab/workspaces/t{i}/tree/{path.name}"
                  f"?reset&token={jupyterlab['token']}")
        panel = page.locator(visible)
        panel.wait_for(timeout=60_000)
        if expected:
            page.wait_for_function(f"document.querySelectorAll('{visible} .js-plotly-plot "
                                   f"svg.main-svg').length >= {expected}", timeout=60_000)
        # the stored outputs show before anything runs
        assert panel.locator(".js-plotly-plot").count() == expected, path.name
        _accept_kernel_dialog(page)
        _menu(page, "Edit", "editmenu:clear-all")
        page.wait_for_function(f"document.querySelectorAll('{visible} .js-plotly-plot')"
                               ".length === 0", timeout=30_000)
        _menu(page, "Run", "runmenu:run-all")
        # every code cell has run again (a number, no [*]) and every chart is back
        page.wait_for_function(
            """([sel, n]) => {
                const p = document.querySelector(sel);
                if (!p) return false;
                const prompts = [...p.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                    .map(e => e.textContent.trim());
                return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t))
                    && p.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n;
            }""", arg=[visible, expected], timeout=120_000)
        assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
            path.name
        assert panel.locator(".js-plotly-plot").count() == expected, path.name
        page.screenshot(path=str(SHOTS / f"lab-{path.stem}.png"))
        page.close()
    ctx.close()
    assert blocked == [], f"requests left the machine: {blocked[:5]}"


def test_a_teacher_row_reaches_the_site_after_one_command_and_stays_text(browser, tmp_path,
                                                                        data_copy):
    """Add a row to a copy of timeline.csv, run the site build on it, and read the page."""
    from .test_robustness import SCRIPT_TITLE, _add_teacher_rows

    _add_teacher_rows(data_copy)
    out = tmp_path / "build"
    env = dict(os.environ, BEYOND_UTOPIA_BUILD=str(out))
    subprocess.run([sys.executable, "-m", "beyond_utopia.build", "site"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    for edition in ("student", "teacher"):
        text = (out / "site" / edition / "04-repatriation-timeline.html").read_text()
        assert "A teacher&#x27;s own event" in text or "A teacher's own event" in text
        assert "<script>alert" not in text and "<img src=x" not in text
    ctx, blocked = _context(browser, "file://")
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((out / "site" / "student" / "04-repatriation-timeline.html").as_uri())
    page.wait_for_load_state("load")
    assert SCRIPT_TITLE.split("</script>")[0] in page.inner_text("main")  # shown as text
    page.wait_for_timeout(500)
    ctx.close()
    assert dialogs == [] and blocked == []


def test_pages_print_with_their_charts(browser, site):
    entry = next(p for p in site["report"]["pages"] if p["figures"] >= 3)
    ctx, blocked = _context(browser, site["url"])
    page = ctx.new_page()
    page.goto(site["url"] + entry["page"])
    page.wait_for_load_state("networkidle")
    _check_page(page, entry["figures"])
    page.emulate_media(media="print")
    assert page.locator("header nav").is_hidden()
    for i in range(entry["figures"]):
        box = page.locator(".js-plotly-plot").nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, f"chart {i} in print"
    pdf = SHOTS / ("print-" + entry["page"].replace("/", "-").replace(".html", ".pdf"))
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 50_000
    ctx.close()
    assert blocked == []
