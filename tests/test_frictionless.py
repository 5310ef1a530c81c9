"""Standards conformance: the data package is valid for Frictionless itself, not only for
the package's own loader (which stays the run-time path: Frictionless costs 0.4 s to
import and is a test dependency only)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import DATA


def test_frictionless_validates_the_data_package():
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json",
         str(DATA / "datapackage.json")],
        capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)
    errors = [(t.get("name"), e.get("message")) for t in report.get("tasks", [])
              for e in t.get("errors", [])] + [e.get("message") for e in report.get("errors", [])]
    assert report["valid"], errors[:10]
    assert len(report["tasks"]) == len(json.loads((DATA / "datapackage.json").read_text())
                                       ["resources"])


def test_frictionless_catches_a_broken_table(data_copy):
    data_copy.edit("arrivals.csv", 4, "total", "many")
    proc = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json",
         str(data_copy.path("datapackage.json"))], capture_output=True, text=True, timeout=120)
    assert json.loads(proc.stdout)["valid"] is False
