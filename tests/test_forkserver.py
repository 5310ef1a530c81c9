"""Kernels forked from the warm fork server (tools/forkserver.py) are what a fresh kernel
is, only cheaper to start; they stop, take interrupts and end with their parent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tools import build, forkserver, kernels

from .conftest import ROOT
from .test_reliability import tiny_notebook

pytestmark = [pytest.mark.notebooks,
              pytest.mark.skipif(not forkserver.enabled(), reason="fork server: Linux only")]

#: What a notebook can see of the process it runs in, once it has imported pandas and made
#: a figure as every notebook here does. (The warning filters are compared as a set: numpy
#: and plotly add their own, each for its own warnings only, when they are imported, which
#: in a forked kernel is before IPython adds those for the notebook's code.)
LOOK = """
import json, os, sys, warnings
warm = 'pandas' in sys.modules
import pandas
import plotly.io as pio
import plotly.graph_objects as go
go.Figure(go.Scatter(x=[1], y=[1])).to_json()
seen = {"cwd": os.getcwd(), "path": sys.path, "argv0": sys.argv[0],
        "var": os.environ.get("BU_TEST_VAR"), "renderer": pio.renderers.default,
        "parent_is_init": os.getppid() == 1, "own_session": os.getsid(0) == os.getpid(),
        "main": sys.modules["__main__"].__name__, "executable": sys.executable,
        "flags": str(sys.flags), "warnings": sorted(str(f) for f in warnings.filters),
        "stdout": type(sys.stdout).__name__, "stdin_tty": os.isatty(0)}
print(json.dumps({"warm": warm, "seen": seen}))
"""


def _look(tmp_path, monkeypatch, fork: str) -> dict:
    monkeypatch.setenv(forkserver.ENV, fork)
    monkeypatch.setenv("BU_TEST_VAR", f"value {fork}")
    source = tiny_notebook(tmp_path / f"look{fork}.ipynb", LOOK)
    nb = build.execute(source, tmp_path / f"out{fork}.ipynb")
    return json.loads(nb.cells[1].outputs[0]["text"])


def test_a_forked_kernel_sees_what_a_fresh_one_sees(tmp_path, monkeypatch):
    fresh = _look(tmp_path, monkeypatch, "0")
    forked = _look(tmp_path, monkeypatch, "1")
    assert (fresh["warm"], forked["warm"]) == (False, True)  # the fork server was used
    assert forked["seen"]["var"] == "value 1" and fresh["seen"]["var"] == "value 0"
    forked["seen"]["var"] = fresh["seen"]["var"]
    assert forked["seen"] == fresh["seen"]


def _start(tmp_path, monkeypatch):
    monkeypatch.setenv(forkserver.ENV, "1")
    manager = kernels.kernel_managers()[1](kernel_name=build.KERNEL)
    manager.start_kernel(cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    outputs: list[dict] = []
    client.execute_interactive("import os, sys; print(os.getpid(), 'pandas' in sys.modules)",
                               timeout=60, output_hook=outputs.append)
    pid, warm = "".join(m["content"].get("text", "") for m in outputs).split()
    assert warm == "True"  # forked from the server
    return manager, client, int(pid)


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not kernels._alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_forked_kernel_takes_an_interrupt_and_stops_when_asked(tmp_path, monkeypatch):
    manager, client, pid = _start(tmp_path, monkeypatch)
    msg_id = client.execute("import time; time.sleep(60)")
    time.sleep(1)
    manager.interrupt_kernel()
    reply = client.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=30)
    assert (reply["content"]["status"], reply["content"].get("ename")) == (
        "error", "KeyboardInterrupt")
    client.stop_channels()
    manager.shutdown_kernel()
    assert _gone(pid)


def test_a_forked_kernel_ends_when_its_process_is_killed(tmp_path, monkeypatch):
    manager, client, pid = _start(tmp_path, monkeypatch)
    client.stop_channels()
    os.kill(manager.provisioner.process.pid, signal.SIGKILL)  # what jupyter_client does last
    assert _gone(pid)
    manager.cleanup_resources()


def test_a_dead_fork_server_is_started_again(tmp_path, monkeypatch):
    monkeypatch.setenv(forkserver.ENV, "1")
    source = tiny_notebook(tmp_path / "tiny.ipynb", "import sys\nprint('pandas' in sys.modules)")
    build.execute(source, tmp_path / "first.ipynb")
    killed = [proc for proc, _ in forkserver.SERVERS.servers.values()]
    assert killed
    for proc in killed:
        proc.kill()
        proc.wait()
    nb = build.execute(source, tmp_path / "second.ipynb")
    assert nb.cells[1].outputs[0]["text"].strip() == "True"  # forked from a new server
    assert [proc for proc, _ in forkserver.SERVERS.servers.values()
            if proc not in killed and proc.poll() is None]


def test_a_fork_server_and_its_kernels_end_with_the_process_that_started_them(tmp_path):
    """Whether that process exits or is killed with a kernel still running, nothing it
    started through the fork server is left: the server, the kernel, the kernel's process."""
    script = textwrap.dedent("""
        import sys, time
        from tools import forkserver, kernels
        manager = kernels.kernel_managers()[1](kernel_name="python3")
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        out = []
        client.execute_interactive("import os; print(os.getpid())", output_hook=out.append)
        servers = [p.pid for p, _ in forkserver.SERVERS.servers.values()]
        kernel = "".join(m["content"].get("text", "") for m in out).strip()
        print(*servers, kernel, manager.provisioner.process.pid)
        sys.stdout.flush()
        if sys.argv[1] == "stay":
            time.sleep(60)
        """)
    env = dict(os.environ, **{forkserver.ENV: "1"})
    for how in ("exit", "killed"):
        proc = subprocess.Popen([sys.executable, "-c", script, "stay" if how == "killed"
                                 else "go"], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                env=env)
        pids = [int(p) for p in proc.stdout.readline().split()]
        if how == "killed":
            proc.kill()
        proc.wait(timeout=60)
        assert len(pids) >= 3, how
        left = [pid for pid in pids if not _gone(pid)]
        assert left == [], (how, pids)


def test_a_new_environment_past_the_limit_ends_the_server_used_least_recently():
    """At most LIMIT servers run; the one used least recently makes room, and a kernel of
    its environment later gets a new server."""
    servers = forkserver._Servers()
    servers.LIMIT = 2
    base = str(kernels._kernel_base()[0])

    def server(name: str, suffix: str) -> str | None:
        return servers.socket_for(dict(os.environ, BU_TEST_VAR=name), f"{base}-{suffix}")

    try:
        a, b = server("a", "1"), server("b", "2")
        started = {path: proc for proc, path in servers.servers.values()}
        assert a and b and server("a", "3") == a  # a is used again: b is now the oldest
        c = server("c", "4")
        assert c and os.path.exists(a) and os.path.exists(c) and not os.path.exists(b)
        assert started[b].poll() is not None and started[a].poll() is None
        again = server("b", "5")
        assert again not in (None, b) and os.path.exists(again) and not os.path.exists(a)
    finally:
        servers.stop()
    assert not any(os.path.exists(p) for p in (a, b, c, again))
