"""Shared fixtures: a throw-away copy of the data package, so no test touches data/."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from beyond_utopia import data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


GUARD = Path(__file__).resolve().parent / "netguard"
PROTECTED = ("notebooks", "data")


def _snapshot() -> dict[str, str]:
    """A digest of every stored notebook and data file."""
    digests = {}
    for folder in PROTECTED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                digests[str(path.relative_to(ROOT))] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return digests


def pytest_configure(config: pytest.Config) -> None:
    """Kernels started by the tests use this environment's Python, Jupyter writes nothing
    under $HOME, and no process the tests start may reach the network."""
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the controlling process
        log = ROOT / ".cache" / "network-attempts.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        os.environ["BEYOND_UTOPIA_NETWORK_LOG"] = str(log)
        config._bu_snapshot = _snapshot()  # type: ignore[attr-defined]
    os.environ["BEYOND_UTOPIA_BLOCK_NETWORK"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(GUARD), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(0, str(GUARD))
    import sitecustomize as guard  # this folder's: blocks the network in this process

    guard.install()
    cache = ROOT / ".cache"
    for var, sub in (("JUPYTER_CONFIG_DIR", "jupyter/config"), ("JUPYTER_DATA_DIR", "jupyter/data"),
                     ("JUPYTER_RUNTIME_DIR", "jupyter/runtime"), ("IPYTHONDIR", "ipython")):
        if var not in os.environ:
            (cache / sub).mkdir(parents=True, exist_ok=True)
            os.environ[var] = str(cache / sub)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # kernels keep their .pyc (Makefile)
    from tools import build

    build.nbval_kernels()  # nbval's kernels start like the build's (IPC, retried start)


def stored_charts(path: Path) -> int:
    """How many charts (plotly figures) a stored notebook's outputs hold."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum("application/vnd.plotly.v1+json" in o.get("data", {})
               for c in nb["cells"] for o in c.get("outputs", []))


def smallest_with_charts(paths: list[Path]) -> Path:
    """The smallest stored notebook with at least two charts: the one the tests run whole
    where running every notebook would repeat what strict nbval already does."""
    return min((p for p in paths if stored_charts(p) >= 2), key=lambda p: p.stat().st_size)


class DataCopy:
    """A copy of ``data/`` that the package reads while the test runs."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / name

    def rows(self, name: str) -> list[dict]:
        with open(self.path(name), newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    def write_rows(self, name: str, rows: list[dict], header: list[str] | None = None) -> None:
        header = header or list(rows[0].keys())
        with open(self.path(name), "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def edit(self, name: str, row: int, field: str, value: str) -> None:
        """Set ``field`` of data row ``row`` (counted from 1) to ``value``."""
        rows = self.rows(name)
        rows[row - 1][field] = value
        self.write_rows(name, rows)

    def append(self, name: str, record: dict) -> None:
        rows = self.rows(name)
        rows.append(record)
        self.write_rows(name, rows)

    def write_text(self, name: str, text: str, encoding: str = "utf-8") -> None:
        self.path(name).write_bytes(text.encode(encoding))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if anything tried to reach the network or changed a stored file."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    problems = []
    log = Path(os.environ.get("BEYOND_UTOPIA_NETWORK_LOG", "/nonexistent"))
    if log.exists() and log.read_text().strip():
        problems.append("something tried to reach the network:\n" + log.read_text())
    before = getattr(session.config, "_bu_snapshot", None)
    if before is not None:
        after = _snapshot()
        changed = sorted(k for k in before.keys() | after.keys()
                         if before.get(k) != after.get(k))
        if changed:
            problems.append("the tests changed stored files: " + ", ".join(changed))
    orphans = _orphaned_fork_processes()
    if orphans:
        problems.append("fork server processes outlived the run: " + "; ".join(orphans))
    if problems:
        print("\n\n" + "\n".join(problems))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _orphaned_fork_processes(grace: float = 5.0) -> list[str]:
    """Fork servers, kernels and kernel processes of tools/forkserver.py started from this
    checkout whose parent is gone, once they have had ``grace`` seconds to end."""
    import time

    marker = str(ROOT / "tools" / "forkserver.py")
    deadline = time.monotonic() + grace
    while True:
        found = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if marker in cmd and ppid == 1:
                found.append(f"{proc.name}: {cmd[:120]}")
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


@pytest.fixture(scope="session")
def browser():
    """The system Chromium through Playwright (skipped, with how to install it, if missing)."""
    from .browser_support import browser_fixture

    yield from browser_fixture()


@pytest.fixture(scope="session")
def site():
    """The site built from the stored notebooks and served on loopback."""
    from .browser_support import site_fixture

    yield from site_fixture()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataCopy:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    return DataCopy(folder)


#: Checks that fail on the merged collection and are being fixed (issues 14-17 stay open
#: until this list is empty). They still run and report; they do not block a landing.
#: Each entry names what fails, so nobody mistakes a quarantined check for a passing one.
KNOWN_FAILING: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    for item in items:
        reason = KNOWN_FAILING.get(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
