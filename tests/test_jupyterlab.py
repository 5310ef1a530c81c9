"""What a student sees in JupyterLab, in a real browser (the system Chromium)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beyond_utopia.paths import NOTEBOOK_DIR
from tools import build

from .browser_support import SHOTS, context
from .conftest import smallest_with_charts, stored_charts

LAB_CONFIG = build.ROOT / "tools" / "jupyter"
VISIBLE = ".jp-NotebookPanel:not(.lm-mod-hidden)"

pytestmark = pytest.mark.browser


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
    _forked_kernels(env, home / "data")
    # render every cell, not only those in view, so every chart is in the page
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
         "--ip", "127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.extension_manager=readonly",
         # window.jupyterapp: the tests open notebooks in one page as a person does from
         # the file browser, instead of loading JupyterLab afresh for each
         "--LabApp.expose_app_in_browser=True"],
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


def _forked_kernels(env: dict, data: Path) -> None:
    """Where the fork server works (tools/forkserver.py, Linux), JupyterLab's kernels are
    forked from it, as the builds' and the other tests' are: the environment's own kernel
    spec (name, display name, icons), with the command that asks the server for a kernel.
    A forked kernel sees what a fresh one sees (tests/test_forkserver.py); JupyterLab, its
    pages and the notebooks are what they are for a student."""
    from jupyter_client.kernelspec import KernelSpecManager

    from tools import forkserver, kernels

    spec = KernelSpecManager().get_kernel_spec(build.KERNEL)
    argv = [sys.executable if a in ("python", "python3") else a for a in spec.argv]
    forked = forkserver.command(argv, env, str(kernels._kernel_base()[0]))
    if forked == argv:  # no fork server here: JupyterLab starts its kernels afresh
        return
    folder = data / "kernels" / build.KERNEL
    shutil.copytree(spec.resource_dir, folder)
    kernel_json = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    (folder / "kernel.json").write_text(json.dumps(dict(kernel_json, argv=forked)),
                                        encoding="utf-8")
    env["JUPYTER_PATH"] = os.pathsep.join([str(data), *filter(None, [env.get("JUPYTER_PATH")])])


_IDLE = (f"document.querySelector('{VISIBLE} .jp-Notebook-ExecutionIndicator')"
         "?.getAttribute('data-status') === 'idle'")


def _kernel_ready(page, timeout: int = 60_000) -> None:
    """Wait until the visible notebook's kernel has started and answered. On a fresh server
    the kernel list can load after the notebook opens, and JupyterLab asks which kernel to
    start; accept its choice, as a person would. (Whichever comes first: no fixed wait.)"""
    page.wait_for_function(f"!!document.querySelector('.jp-Dialog') || {_IDLE}",
                           timeout=timeout)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        page.locator(".jp-Dialog .jp-mod-accept").click()
        dialog.wait_for(state="detached", timeout=30_000)
        page.wait_for_function(_IDLE, timeout=timeout)


def _menu(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f"[data-command='{command}']").click()


def _installed_config_is_current() -> None:
    """The environment's own Jupyter settings are the repository's (``make setup``)."""
    for rel in ("labconfig/page_config.json", "jupyter_server_config.py"):
        installed = Path(sys.prefix) / "etc" / "jupyter" / rel
        ours = (LAB_CONFIG / rel).read_text()
        same = installed.exists() and (json.loads(installed.read_text()) == json.loads(ours)
                                       if rel.endswith(".json") else installed.read_text() == ours)
        assert same, f"{installed} is missing or out of date: run `make setup`"


def _open_fresh(ctx, jupyterlab, name: str, folder: str):
    """Open a fresh copy of a stored notebook in a new workspace, as a double click in the
    file browser does, once JupyterLab has loaded its list of kernels. (On a busy machine a
    notebook opened before that list arrives makes JupyterLab ask which kernel to start,
    and the answer marks the notebook modified: a race in JupyterLab, not in the file.)"""
    (jupyterlab["root"] / folder).mkdir()
    shutil.copy(NOTEBOOK_DIR / name, jupyterlab["root"] / folder / name)
    page = ctx.new_page()
    page.goto(f"{jupyterlab['url']}lab/workspaces/{folder}?reset&token={jupyterlab['token']}")
    page.wait_for_function("!!window.jupyterapp?.commands?.hasCommand('docmanager:open') && "
                           "!!window.jupyterapp.serviceManager.kernelspecs.specs"
                           "?.kernelspecs?.python3", timeout=60_000)
    page.evaluate("""async (path) => {
        await window.jupyterapp.restored;
        window.testFresh = await window.jupyterapp.commands.execute('docmanager:open', {path});
    }""", f"{folder}/{name}")
    page.locator(VISIBLE).wait_for(timeout=60_000)
    _kernel_ready(page)
    # Wait for what a reader waits for, not for a time: the file's content has loaded, the
    # kernel has started and answered, and it is idle. (A busy machine once took longer
    # than a fixed wait, and the check saw a notebook still loading.)
    page.evaluate("""async () => {
        const w = window.testFresh;
        await w.context.ready;
        await w.sessionContext.ready;
        await w.sessionContext.session?.kernel?.info;
    }""")
    page.wait_for_function("window.testFresh.sessionContext.session?.kernel?.status === 'idle'",
                           timeout=60_000)
    page.wait_for_timeout(1500)  # metadata updates from the kernel land after that
    return page


def test_make_lab_opens_clean_on_notebook_00s_story(browser, jupyterlab):
    """``make lab`` opens notebook 00 in JupyterLab: with no "official Jupyter news"
    pop-up; unmodified once its kernel has started; on its story (the title, and no setup
    or prose-writing code on the first screen: those cells are collapsed, as the site
    hides them)."""
    from tools import render

    _installed_config_is_current()
    makefile = (build.ROOT / "Makefile").read_text()
    lab = next(line for line in makefile.splitlines() if "jupyter lab" in line)
    first = build.notebook_paths()[0]
    assert "--ServerApp.root_dir=notebooks" in lab and f"notebooks/{first.name}" in lab
    nb = json.loads(first.read_text())
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = context(browser, jupyterlab["url"], width=1280, height=900)
    page = _open_fresh(ctx, jupyterlab, first.name, "fresh")
    page.screenshot(path=str(SHOTS / "lab-opens-on-the-story.png"))
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], toasts
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, "opened as modified"
    title = page.locator(f"{VISIBLE} h1").first
    assert title.is_visible() and title.bounding_box()["y"] < 300
    cells = page.locator(f"{VISIBLE} .jp-Notebook .jp-Cell")
    assert cells.count() == len(nb["cells"])
    shown = []
    for i, cell in enumerate(nb["cells"]):
        box = cells.nth(i).bounding_box()
        if cell["cell_type"] != "code" or box is None or box["y"] > 900:
            continue
        code = cells.nth(i).locator(".jp-InputArea-editor")
        source = "".join(cell["source"])
        plumbing = ("hide-input" in cell["metadata"].get("tags", [])
                    or render.writes_prose(cell)
                    or re.search(r"^\s*(from|import)\s", source, re.M))
        if plumbing and code.count() and code.first.is_visible():
            shown.append(source[:60])
    ctx.close()
    assert blocked == [], f"requests left the machine: {blocked[:5]}"
    assert shown == [], f"setup or prose-writing code on the first screen: {shown}"
    hidden = [i for i, c in enumerate(nb["cells"]) if "hide-input" in c["metadata"].get(
        "tags", []) and not c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert hidden == [], f"cells tagged hide-input without source_hidden: {hidden}"


NAMES = [p.name for p in build.notebook_paths()]


def _panel(name: str) -> str:
    return f".jp-NotebookPanel[data-test-path='{name}']"


def _open_tab(page, name: str) -> None:
    """Open (or bring to the front) a notebook in the running JupyterLab, as a double click
    in its file browser does, and mark its panel for the selectors."""
    page.evaluate("""async (path) => {
        const w = await window.jupyterapp.commands.execute('docmanager:open', {path});
        w.node.setAttribute('data-test-path', path);
        (window.testTabs ??= {})[path] = w;
    }""", name)
    page.locator(f"{_panel(name)}:not(.lm-mod-hidden)").wait_for(timeout=60_000)


@pytest.fixture(scope="module")
def lab_tabs(browser, jupyterlab):
    """Every notebook in its own tab of one JupyterLab page, opened one after the other as
    a student would: what each shows before anything runs, and once its kernel has
    started. The page stays open for the last test."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, blocked = context(browser, jupyterlab["url"])
    paths = build.notebook_paths()
    page = ctx.new_page()
    page.goto(f"{jupyterlab['url']}lab/workspaces/tabs?reset&token={jupyterlab['token']}")
    page.wait_for_function("!!window.jupyterapp?.commands?.hasCommand('docmanager:open')",
                           timeout=60_000)
    seen: dict[str, dict] = {}
    for path in paths:
        expected = stored_charts(path)
        _open_tab(page, path.name)
        panel = _panel(path.name)
        if expected:
            page.wait_for_function(f"document.querySelectorAll(\"{panel} .js-plotly-plot "
                                   f"svg.main-svg\").length >= {expected}", timeout=60_000)
        # before anything runs
        seen[path.name] = {"expected": expected,
                           "charts": page.locator(f"{panel} .js-plotly-plot").count()}
        page.screenshot(path=str(SHOTS / f"lab-{path.stem}.png"))
    _kernel_ready(page)  # the last tab's kernel; JupyterLab asks at most once
    for path in paths:
        page.wait_for_function(  # every kernel has started and answered
            "path => window.testTabs[path].sessionContext.session?.kernel?.status === 'idle'",
            arg=path.name, timeout=60_000)
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    for path in paths:
        seen[path.name].update(
            news=[t for t in toasts if "news" in t.lower()],
            charts_after_start=page.locator(f"{_panel(path.name)} .js-plotly-plot").count())
    yield {"seen": seen, "blocked": blocked, "page": page}
    ctx.close()


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_shows_its_stored_charts_in_jupyterlab(lab_tabs, name):
    """Its stored charts show before anything runs (and stay once its kernel has started),
    with no news pop-up and no request leaving the machine."""
    seen = lab_tabs["seen"][name]
    assert seen["charts"] == seen["expected"], seen
    assert seen["charts_after_start"] == seen["expected"], seen
    assert seen["news"] == [], seen
    assert lab_tabs["blocked"] == [], f"requests left the machine: {lab_tabs['blocked'][:5]}"


def test_running_a_notebook_in_jupyterlab_redraws_its_charts(lab_tabs):
    """In one notebook, with every output cleared, Run All brings every chart back with no
    error. Running every notebook here would repeat what strict nbval (the same kernel,
    every cell run, every output compared with the stored one) already proves; what only
    JupyterLab shows is that running cells there works and redraws the charts."""
    page, path = lab_tabs["page"], smallest_with_charts(build.notebook_paths())
    expected = stored_charts(path)
    _open_tab(page, path.name)
    panel = page.locator(_panel(path.name))
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(f"document.querySelectorAll(\"{_panel(path.name)} .js-plotly-plot\")"
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
        }""", arg=[_panel(path.name), expected], timeout=180_000)
    assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
        path.name
    assert panel.locator(".js-plotly-plot").count() == expected, path.name
    page.screenshot(path=str(SHOTS / f"lab-{path.stem}-run.png"))
    assert lab_tabs["blocked"] == [], f"requests left the machine: {lab_tabs['blocked'][:5]}"


def test_a_chart_notebook_read_and_saved_stays_as_stored(browser, jupyterlab):
    """Plotly's renderer adds a PNG snapshot to each chart it draws, which marks the
    notebook modified; saving it (Ctrl+S) writes the file exactly as it was stored, with
    no snapshot and no machine's Python version in it."""
    name = smallest_with_charts(build.notebook_paths()).name
    ctx, blocked = context(browser, jupyterlab["url"], width=1280, height=900)
    page = _open_fresh(ctx, jupyterlab, name, "saved")
    path = jupyterlab["root"] / "saved" / name
    os.utime(path, (0, 0))  # so that a save shows in the file's time
    page.wait_for_function(f"document.querySelectorAll('{VISIBLE} .js-plotly-plot').length > 0",
                           timeout=60_000)
    dirty = ".lm-TabBar-tab.lm-mod-current.jp-mod-dirty"
    page.wait_for_selector(dirty, timeout=30_000)  # the renderer's snapshots
    page.locator(f"{VISIBLE} .jp-Notebook").click()
    page.keyboard.press("Control+s")
    page.wait_for_function(f"!document.querySelector('{dirty}')", timeout=30_000)
    ctx.close()
    assert path.stat().st_mtime > 0, "the notebook was not saved"
    saved = path.read_text(encoding="utf-8")
    assert "image/png" not in saved
    assert json.loads(saved) == json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
    assert blocked == []


def test_saving_leaves_out_what_opening_added():
    """The server's save hook, on its own: snapshots of charts go, other images stay."""
    text = (LAB_CONFIG / "jupyter_server_config.py").read_text(encoding="utf-8")
    space: dict = {"get_config": lambda: type("C", (), {"ServerApp": type("S", (), {})()})()}
    exec(compile(text, "jupyter_server_config.py", "exec"), space)  # noqa: S102
    nb = {"metadata": {"language_info": {"name": "python", "version": sys.version.split()[0]}},
          "cells": [{"outputs": [{"data": {"application/vnd.plotly.v1+json": {},
                                           "image/png": "iVBOR"}},
                                 {"data": {"image/png": "kept"}}]}]}
    out = space["as_stored"](nb)
    assert out["cells"][0]["outputs"] == [{"data": {"application/vnd.plotly.v1+json": {}}},
                                         {"data": {"image/png": "kept"}}]
    assert "version" not in out["metadata"]["language_info"]
