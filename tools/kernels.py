"""Kernels that start on a busy machine, for papermill (:func:`run_papermill`) and nbval
(:func:`nbval_kernels`), and ``make stress``, which proves it.

A kernel started on a busy machine could fail with "Kernel died before replying to
kernel_info" (ZMQError: Address already in use): jupyter_client picks free TCP ports and
closes them, and the kernel binds them a moment later, by which time another process may
hold one (papermill issue 511, jupyter_client issue 154). So every kernel started here
talks over IPC (Unix sockets with paths private to that kernel: no port to lose) where the
platform has it (Linux), and over encrypted TCP elsewhere (macOS, Windows); and a kernel
that does not start is started again, at most :data:`START_ATTEMPTS` times. Only a failed
start is retried: once the kernel has answered, an error in a cell stops the run at once.
Kernels shut down without a SIGINT, so a run prints nothing but its own messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from beyond_utopia.paths import ROOT
from tools import forkserver

#: How many times a kernel is started before a run gives up (only failed starts count).
START_ATTEMPTS = 3
#: ``ipc`` or ``tcp`` forces a kernel transport; unset: IPC on Linux, TCP elsewhere.
TRANSPORT_ENV = "BU_KERNEL_TRANSPORT"
#: A file to which every failed kernel start is appended (``make stress`` counts them).
KERNEL_LOG_ENV = "BU_KERNEL_LOG"


class KernelStartError(RuntimeError):
    """A kernel did not start in :data:`START_ATTEMPTS` attempts."""


#: A Unix socket's path has at most 107 bytes on Linux and 103 on macOS; the kernel adds
#: ``-N`` (its channel) to the prefix.
_IPC_PREFIX_MAX = 96
#: Kernel files made here: ``bu-<pid of the process that started it>-<random>``, then
#: ``.json`` (the connection file), ``.log`` (the kernel's own stderr), ``-ipc-<channel>``
#: (a socket) or ``.fork`` (a fork server's socket).
_KERNEL_FILE = re.compile(r"^bu-(\d+)-[0-9a-f]+(?:\.json|\.log|\.fork|-ipc-\d+)$")


def _kernel_folders() -> list[Path]:
    """Where kernel files go: Jupyter's runtime folder, or the temporary folder when the
    runtime folder's path is too long for a socket."""
    from jupyter_core.paths import jupyter_runtime_dir

    return [Path(jupyter_runtime_dir()), Path(tempfile.gettempdir())]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_kernel_files(min_age: float = 60.0) -> list[Path]:
    """Remove the kernel files (connection files, sockets, logs) of runs that were killed:
    those whose starting process is gone, once they are ``min_age`` seconds old (a
    process that has only just ended may have left a log that its caller is about to
    read). Done once per process, before its first kernel."""
    removed = []
    now = time.time()
    for folder in _kernel_folders():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = _KERNEL_FILE.match(path.name)
            if match and int(match.group(1)) != os.getpid() and not _alive(
                    int(match.group(1))):
                with contextlib.suppress(OSError):
                    if now - path.lstat().st_mtime >= min_age:
                        path.unlink()
                        removed.append(path)
    return removed


def _kernel_base() -> tuple[Path, bool]:
    """A path prefix, private to one kernel, for its connection file and (where IPC is
    used) its sockets; and whether IPC is used: on Linux (or with
    ``BU_KERNEL_TRANSPORT=ipc``) when a short enough path exists."""
    choice = os.environ.get(TRANSPORT_ENV, "").strip().lower()
    want_ipc = choice == "ipc" or (choice != "tcp" and sys.platform.startswith("linux"))
    if want_ipc:
        import zmq

        want_ipc = zmq.has("ipc")
    name = f"bu-{os.getpid()}-{secrets.token_hex(6)}"
    folders = _kernel_folders()
    if want_ipc:
        for folder in folders:
            base = folder / name
            if len(os.fsencode(base)) + len("-ipc") <= _IPC_PREFIX_MAX:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                return base, True
    folders[0].mkdir(mode=0o700, parents=True, exist_ok=True)
    return folders[0] / name, False


def _ipc_prefix() -> str | None:
    """The socket path prefix a new kernel would get; None where it would use TCP."""
    base, ipc = _kernel_base()
    return f"{base}-ipc" if ipc else None


class _QuietStart:
    """What every kernel manager here does: IPC where it can (else TCP, encrypted where
    the kernel supports it, which also silences ipykernel's warning about TCP without
    encryption), its files named so that a killed run's are swept away by the next one,
    and a shutdown that asks the kernel to stop instead of first sending it SIGINT (which
    made it log "KeyboardInterrupt caught in kernel" after every run). A kernel that does
    not stop is still terminated, then killed, by jupyter_client."""

    def _use_transport(self) -> None:
        base, ipc = _kernel_base()
        self.connection_file = f"{base}.json"
        if ipc:
            self.transport = "ipc"
            self.ip = f"{base}-ipc"
        else:
            import zmq

            if zmq.has("curve"):
                self.transport_encryption = "auto"

    @property
    def stderr_log(self) -> Path:
        return Path(self.connection_file).with_suffix(".log")  # type: ignore[attr-defined]

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        # The kernel process's own stderr (a cell's comes back as its output) goes to a log
        # beside its connection file: as a kernel exits on a busy machine, libzmq can print
        # an assertion there after the run has succeeded, and a reader must not see it.
        # Where it can, the kernel is forked from a process that has imported what every
        # kernel here imports (tools/forkserver.py, which gives the cost of each way).
        kernel_cmd = forkserver.command(kernel_cmd, kw.get("env"),
                                        str(Path(self.connection_file).with_suffix("")))  # type: ignore[attr-defined]
        with open(self.stderr_log, "ab") as log:
            kw.setdefault("stderr", log)
            await super()._async_launch_kernel(kernel_cmd, **kw)  # type: ignore[misc]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)  # type: ignore[misc]
        # an empty log goes with the kernel; one with messages stays, to be read, until the
        # next run's sweep (sweep_kernel_files) once this process has ended
        with contextlib.suppress(OSError):
            if not restart and self.stderr_log.stat().st_size == 0:
                self.stderr_log.unlink()

    async def _async_interrupt_kernel(self) -> None:
        if getattr(self, "shutting_down", False):
            return
        await super()._async_interrupt_kernel()  # type: ignore[misc]


def _managers() -> tuple[type, type]:
    """(async manager for papermill/nbclient, blocking manager for nbval)."""
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    class QuietAsyncKernelManager(_QuietStart, AsyncKernelManager):
        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self._use_transport()

    class QuietKernelManager(_QuietStart, KernelManager):
        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self._use_transport()

    return QuietAsyncKernelManager, QuietKernelManager


_MANAGERS: tuple[type, type] | None = None


def kernel_managers() -> tuple[type, type]:
    global _MANAGERS
    if _MANAGERS is None:
        sweep_kernel_files()
        _MANAGERS = _managers()
    return _MANAGERS


def _failed_start(what: str, attempt: int, exc: BaseException) -> None:
    """Say that a kernel did not start, and record it for ``make stress``."""
    line = (f"{what}: the kernel did not start (attempt {attempt} of {START_ATTEMPTS}): "
            f"{type(exc).__name__}: {str(exc)[:200]} (the kernel's own messages, if any: "
            f"bu-{os.getpid()}-*.log in {' or '.join(str(f) for f in _kernel_folders())})")
    print(line, file=sys.stderr, flush=True)
    log = os.environ.get(KERNEL_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now().isoformat(timespec='seconds')} {os.getpid()} {line}\n")


def start_kernel(kernel_name: str, startup_timeout: float = 60, what: str = "kernel",
                 kernel_spec_manager: Any = None, **kwargs: Any) -> tuple[Any, Any]:
    """A kernel started the way the builds start theirs (IPC, forked where it can be, a
    quiet shutdown), and answering: (blocking manager, client). A start that fails is tried
    again, at most :data:`START_ATTEMPTS` times."""
    manager = kernel_managers()[1]
    extra = {"kernel_spec_manager": kernel_spec_manager} if kernel_spec_manager else {}
    for attempt in range(1, START_ATTEMPTS + 1):
        km = manager(kernel_name=kernel_name, **extra)
        kc = None
        try:
            km.start_kernel(**kwargs)
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=startup_timeout)
            return km, kc
        except Exception as exc:  # the kernel never answered: a failed start
            if kc is not None:
                kc.stop_channels()
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
            _failed_start(what, attempt, exc)
            if attempt == START_ATTEMPTS:
                raise KernelStartError(f"the kernel did not start in {START_ATTEMPTS} "
                                       f"attempts: {exc}") from exc
    raise AssertionError("unreachable")


def nbval_kernels() -> None:
    """Make nbval (``pytest --nbval``) start its kernels the same way (start_kernel).
    Called from the tests' ``pytest_configure``; does nothing where nbval is not
    installed."""
    try:
        import nbval.kernel as nbk
    except ImportError:
        return
    if getattr(nbk.start_new_kernel, "_beyond_utopia", False):
        return

    def start_new_kernel(startup_timeout: float = 60, kernel_name: str = "python",
                         **kwargs: Any):
        return start_kernel(kernel_name, startup_timeout, "nbval",
                            nbk.NbvalKernelspecManager(), **kwargs)

    start_new_kernel._beyond_utopia = True  # type: ignore[attr-defined]
    nbk.start_new_kernel = start_new_kernel


def run_papermill(source: Path, parameters: dict, timeout: int, kernel_name: str) -> Any:
    """Run ``source`` with papermill in memory (no output file); a kernel that does not
    start is started again (at most :data:`START_ATTEMPTS` times), never a failed cell."""
    import papermill as pm

    manager = kernel_managers()[0]
    for attempt in range(1, START_ATTEMPTS + 1):
        started = False

        def on_start(**_: Any) -> None:
            nonlocal started
            started = True

        try:
            return pm.execute_notebook(
                str(source), None, parameters=parameters, kernel_name=kernel_name,
                cwd=str(source.parent), progress_bar=False, log_output=False,
                execution_timeout=timeout, request_save_on_cell_execute=False,
                kernel_manager_class=manager, on_notebook_start=on_start,
            )
        except pm.PapermillExecutionError as exc:
            exc.notebook = source.name  # type: ignore[attr-defined]
            raise
        except Exception as exc:
            if started:  # the kernel answered: whatever failed later is no start failure
                raise
            _failed_start(source.name, attempt, exc)
            if attempt == START_ATTEMPTS:
                raise KernelStartError(f"{source.name}: the kernel did not start in "
                                       f"{START_ATTEMPTS} attempts: {exc}") from exc
    raise AssertionError("unreachable")


def stress(rounds: int, workers: int, hogs: int, extra: Sequence[str] = ()) -> int:
    """Run the notebook tests (papermill and strict nbval) ``rounds`` times with
    ``workers`` pytest workers beside ``hogs`` CPU-bound processes; report each round."""
    log = Path(tempfile.mkstemp(prefix="bu-kernel-starts-", suffix=".log")[1])
    env = dict(os.environ, **{KERNEL_LOG_ENV: str(log)})
    command = [sys.executable, "-m", "pytest", "-p", "tests.notebook_marks", "-p",
               "no:randomly", "-n", str(workers), "--dist", "loadfile", "--nbval",
               "--nbval-current-env", "-m", "notebooks", "-q", "-rfE", "tests", "notebooks",
               *extra]
    spin = "import time\nwhile True:\n    sum(i * i for i in range(100000))\n"
    busy = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(hogs)]
    results = []
    try:
        for n in range(1, rounds + 1):
            start = time.perf_counter()
            run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            tail = [line for line in run.stdout.splitlines() if line.strip()][-1:]
            summary = tail[0] if tail else f"exit {run.returncode}"
            retries = len(log.read_text(encoding="utf-8").splitlines())
            results.append((run.returncode, summary, seconds))
            print(f"round {n} of {rounds}: {summary} ({seconds:.0f} s; "
                  f"failed kernel starts so far, all retried: {retries})", flush=True)
            if run.returncode != 0:
                print(run.stdout[-6000:], run.stderr[-3000:], sep="\n", flush=True)
    finally:
        for proc in busy:
            proc.terminate()
        for proc in busy:
            proc.wait()
    print(f"{rounds} rounds, {workers} workers, {hogs} CPU-bound processes: "
          f"{sum(code != 0 for code, _, _ in results)} rounds with failures; "
          f"failed kernel starts (retried): {len(log.read_text().splitlines())}; "
          f"log: {log}")
    return 0 if all(code == 0 for code, _, _ in results) else 1
