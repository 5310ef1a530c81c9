"""Kernels forked from a warm process, for the builds and the tests (Linux).

A kernel started afresh spends most of its start importing ipykernel, pandas and numpy,
and then most of its first chart importing plotly's figure classes, their validators and
nbformat (plotly's notebook renderer checks its version): the floor notebook (a kernel,
``import pandas, plotly.express``, one figure) costs about 2.2 CPU-seconds that way, and
about 1.3 when its kernel is forked from a process that has already imported ipykernel,
pandas and numpy. Warming plotly's figures too takes the nine notebooks, run in turn,
from 1.4 to 0.9 CPU-seconds each. The builds and the tests start about 100 kernels.

So the first kernel a process starts through ``tools/kernels.py`` also starts a *fork
server*: ``python tools/forkserver.py serve SOCKET PARENT`` imports those modules once and
forks a kernel for each request. jupyter_client still gets a real child to signal, wait
for and kill: the kernel command becomes ``python -S tools/forkserver.py client SOCKET
<ipykernel arguments>``, a small process that hands the server its arguments, environment,
working folder and standard streams, passes on SIGINT and SIGTERM to the kernel, and exits
when the kernel does. If it is killed, the kernel ends too.

What the kernel sees is what a fresh one sees: the same environment, folder, arguments,
streams and ``sys.path``. The server imports nothing that reads the environment of the
kernel to come: it builds a figure, which imports plotly's figure classes, but never
imports ``plotly.io._renderers``, which picks the default renderer from the environment
and from whether IPython is running (a server that has imported it exits, and its kernels
start afresh). It is started with the environment of the kernels it serves: a kernel
whose environment differs in anything but its own parent and test names gets another
server.
Strict nbval checks every output byte for byte either way.

``BU_KERNEL_FORK=0`` turns it off (``make bench`` does, to measure what a reader's
JupyterLab does). This file imports only the standard library, so the client starts in
milliseconds.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

#: Set to 0 to start every kernel afresh.
ENV = "BU_KERNEL_FORK"
#: What the server imports once, for every kernel it forks (plotly.express brings narwhals,
#: which plotly uses for a figure's pandas columns; the rest, what a kernel imports as it
#: shows its first chart).
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "numpy", "pandas",
        "nbformat", "plotly.graph_objects", "plotly.express", "psutil", "http.server",
        "webbrowser")
#: Imported only when a kernel first shows a chart; the server must never import it.
RENDERERS = "plotly.io._renderers"
#: Variables that differ from kernel to kernel and that nothing the server imports reads.
PER_KERNEL = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "PYTEST_CURRENT_TEST",
                        "BU_KERNEL_LOG", "BEYOND_UTOPIA_DATA", "BEYOND_UTOPIA_BUILD"})
_HEADER = struct.Struct("!Q")
#: The file ``python -m ipykernel_launcher`` runs: a fresh kernel's ``sys.argv[0]``.
_LAUNCHER = "ipykernel_launcher"


# --------------------------------------------------------------------------- the client


def _client(path: str, args: list[str]) -> int:
    request = json.dumps({"env": dict(os.environ), "cwd": os.getcwd(), "args": args}).encode()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    socket.send_fds(conn, [_HEADER.pack(len(request))], [0, 1, 2])
    conn.sendall(request)
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = conn.recv(64)
        if not chunk:
            return 1  # the server could not fork a kernel
        reply += chunk
    pid = int(reply)
    def pass_on(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # the kernel has gone already
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(signum, pass_on)
    parent = os.getppid()

    def end_with_parent() -> None:  # as a fresh kernel ends when its parent is gone
        while os.getppid() == parent:
            time.sleep(0.5)
        try:
            os.kill(pid, signal.SIGKILL)
        finally:
            os._exit(1)

    threading.Thread(target=end_with_parent, daemon=True).start()
    while conn.recv(64):  # until the kernel has exited and its end of the socket closed
        pass
    return 0


# --------------------------------------------------------------------------- the server


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    head, fds, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
    while len(head) < _HEADER.size:
        more = conn.recv(_HEADER.size - len(head))
        if not more:
            raise OSError("the client left")
        head += more
    (size,) = _HEADER.unpack(head)
    body = b""
    while len(body) < size:
        more = conn.recv(min(size - len(body), 1 << 16))
        if not more:
            raise OSError("the client left")
        body += more
    if len(fds) != 3:
        raise OSError("no standard streams")
    return json.loads(body), fds


def _become_kernel(server: socket.socket, conn: socket.socket, request: dict,
                   fds: list[int]) -> None:
    """In the forked child: take the client's streams, environment, folder and arguments,
    then run ipykernel as ``python -m ipykernel_launcher`` would."""
    server.close()
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()  # a session of its own, as jupyter_client starts a kernel
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    # as `python -m ipykernel_launcher` leaves them (it takes the working folder off the
    # path; the kernel puts '' back). ipykernel read JPY_PARENT_PID when the server
    # imported it: give it the kernel's own.
    sys.argv = [_LAUNCHER, *request["args"],
                f"--IPKernelApp.parent_handle={int(os.environ.get('JPY_PARENT_PID') or 0)}"]
    from ipykernel import kernelapp

    conn.sendall(f"{os.getpid()}\n".encode())

    def end_with_client() -> None:
        while conn.recv(64):
            pass
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=end_with_client, daemon=True).start()
    kernelapp.launch_new_instance()


def _warm_figures() -> None:
    """Build and serialise a figure with the parts the notebooks' charts use (lines,
    markers, bars, text, shapes, annotations, a legend, axis titles): plotly imports the
    class and validator of each part the first time it is used."""
    import plotly.graph_objects as go

    font = {"size": 9}
    marker = {"color": "#000", "line": {"width": 1}}
    fig = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], mode="lines+markers+text", text=["a", "b"],
                                line={"dash": "dot"}, marker=marker, textfont=font,
                                hovertemplate="%{y}"),
                     go.Bar(x=[1], y=[1], marker={**marker, "pattern": {"shape": ""}},
                            textfont=font, text=["c"])])
    fig.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, line={"width": 0})
    fig.add_annotation(x=1, y=1, text="d", showarrow=False, font=font)
    fig.update_layout(font=font, title={"text": "e", "font": font,
                                        "subtitle": {"text": "f", "font": font}},
                      legend={"x": 1, "font": font}, margin={"t": 1},
                      hoverlabel={"font": font}, xaxis={"title": {"text": "g"}},
                      yaxis={"title": {"text": "h"}})
    fig.to_json()


def _serve(path: str, parent: int) -> None:
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # this folder is no kernel's business
    import importlib
    import importlib.util

    global _LAUNCHER
    _LAUNCHER = importlib.util.find_spec("ipykernel_launcher").origin or "ipykernel_launcher"
    for name in WARM:
        importlib.import_module(name)
    _warm_figures()
    if RENDERERS in sys.modules:
        sys.exit(f"{RENDERERS} was imported: kernels forked from here would not pick "
                 "their own renderer")
    # What the kernels inherit from here (the modules above) lives as long as they do:
    # their garbage collections need not scan it again and again (the gc module's advice
    # for a process that forks without exec).
    gc.collect()
    gc.freeze()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(f"{path}.new")
    server.listen(64)
    os.rename(f"{path}.new", path)  # the socket appears only once it takes connections
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit

    def end_with_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        try:
            os.unlink(path)
        finally:
            os._exit(0)

    threading.Thread(target=end_with_parent, daemon=True).start()
    while True:
        conn, _ = server.accept()
        fds: list[int] = []
        try:
            request, fds = _read_request(conn)
        except (OSError, ValueError):
            conn.close()
            for fd in fds:
                os.close(fd)
            continue
        if os.fork() == 0:
            try:
                _become_kernel(server, conn, request, fds)
            finally:
                os._exit(1)
        conn.close()
        for fd in fds:
            os.close(fd)


# --------------------------------------------------------------------------- the parent


class _Servers:
    """The fork servers of this process, one per kernel environment. At most three run at
    a time: a fourth environment ends the server used least recently (the kernels it
    forked run on)."""

    LIMIT = 3

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.servers: dict[tuple, tuple[object, str]] = {}  # the most recently used last
        self.registered = False

    def socket_for(self, env: dict[str, str], base: str) -> str | None:
        import subprocess

        key = tuple(sorted((k, v) for k, v in env.items() if k not in PER_KERNEL))
        with self.lock:
            known = self.servers.pop(key, None)
            if known and known[0].poll() is None and os.path.exists(known[1]):  # type: ignore[attr-defined]
                self.servers[key] = known
                return known[1]
            if known:  # it has died, or its socket was swept
                self._end(*known)
            while len(self.servers) >= self.LIMIT:
                self._end(*self.servers.pop(next(iter(self.servers))))
            path = f"{base}.fork"
            proc = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "serve", path, str(os.getpid())],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + 60
            while not os.path.exists(path):
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    return None
                time.sleep(0.02)
            if not self.registered:
                import atexit

                atexit.register(self.stop)
                self.registered = True
            self.servers[key] = (proc, path)
            return path

    @staticmethod
    def _end(proc: object, path: str) -> None:
        proc.kill()  # type: ignore[attr-defined]
        proc.wait()  # type: ignore[attr-defined]
        if os.path.exists(path):
            os.unlink(path)

    def stop(self) -> None:
        with self.lock:
            for proc, path in self.servers.values():
                self._end(proc, path)
            self.servers.clear()


SERVERS = _Servers()


def enabled() -> bool:
    return (sys.platform.startswith("linux") and hasattr(socket, "send_fds")
            and os.environ.get(ENV, "1").strip() != "0")


def command(kernel_cmd: list[str], env: dict[str, str] | None, base: str) -> list[str]:
    """The command that starts this kernel: forked from a warm server where the kernel is
    this Python's ipykernel, else ``kernel_cmd`` unchanged. ``base`` is the kernel's own
    file prefix (its server's socket is named after the first kernel's)."""
    if not (enabled() and len(kernel_cmd) >= 3 and kernel_cmd[1:3] == ["-m", "ipykernel_launcher"]
            and os.path.realpath(kernel_cmd[0]) == os.path.realpath(sys.executable)):
        return kernel_cmd
    path = SERVERS.socket_for(dict(env if env is not None else os.environ), base)
    if path is None:
        return kernel_cmd
    return [sys.executable, "-S", os.path.abspath(__file__), "client", path, *kernel_cmd[3:]]


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        sys.exit(_client(sys.argv[2], sys.argv[3:]))
    if sys.argv[1:2] == ["serve"]:
        _serve(sys.argv[2], int(sys.argv[3]))
    sys.exit(f"usage: {sys.argv[0]} client SOCKET ARGS... | serve SOCKET PARENT_PID")
