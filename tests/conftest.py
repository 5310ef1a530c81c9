"""Shared fixtures: a throw-away copy of the data package, so no test touches data/."""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path

import pytest

from beyond_utopia import data

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Kernels started by the tests use this environment's Python, and Jupyter writes
    nothing under $HOME."""
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    cache = ROOT / ".cache"
    for var, sub in (("JUPYTER_CONFIG_DIR", "jupyter/config"), ("JUPYTER_DATA_DIR", "jupyter/data"),
                     ("JUPYTER_RUNTIME_DIR", "jupyter/runtime"), ("IPYTHONDIR", "ipython")):
        if var not in os.environ:
            (cache / sub).mkdir(parents=True, exist_ok=True)
            os.environ[var] = str(cache / sub)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


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


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataCopy:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    return DataCopy(folder)
