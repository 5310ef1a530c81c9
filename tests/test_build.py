"""Normalisation, atomic writes, and strict nbval catching a changed stored output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from tools import build

from .conftest import ROOT


def test_stored_notebooks_are_normalised():
    assert build.unnormalised() == []


def test_normalise_strips_what_changes_between_runs():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"duration": 1.2}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["papermill"] = {"start_time": "x"}
    cell.metadata["execution"] = {"iopub.status.busy": "x"}
    cell.execution_count = 7
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"},
                                           execution_count=7)]
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    out = build.normalise(nb)
    assert "papermill" not in out.metadata and "version" not in out.metadata.language_info
    assert [c["id"] for c in out.cells] == ["cell-00", "cell-01"]
    assert out.cells[1].execution_count == 1 and out.cells[1].outputs[0].execution_count == 1
    assert out.cells[1].metadata == {}


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "a.txt"
    build.atomic_write_text(target, "one")
    build.atomic_write_text(target, "two")
    assert target.read_text() == "two" and os.listdir(tmp_path) == ["a.txt"]


def test_replace_dir_swaps_whole_folders(tmp_path):
    target, staging = tmp_path / "site", tmp_path / "staging"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    build.replace_dir(staging, target)
    assert os.listdir(target) == ["new.html"] and not staging.exists()


def test_every_notebook_has_a_parameters_cell_of_plain_literals():
    import ast

    for path in build.notebook_paths():
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, path.name
        tree = ast.parse(cells[0].source)
        for node in tree.body:
            assert isinstance(node, ast.Assign), path.name
            ast.literal_eval(node.value)  # raises if not a plain literal
        assert "edition" in cells[0].source, path.name


@pytest.mark.notebooks
def test_strict_nbval_fails_when_a_stored_output_is_changed(tmp_path):
    source = ROOT / "notebooks" / "03-arrivals.ipynb"
    nb = json.loads(source.read_text())
    changed = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown")
            if text and "2,914" in "".join(text):
                out["data"]["text/markdown"] = "".join(text).replace("2,914", "2,915")
                changed = True
    assert changed
    copy = tmp_path / source.name
    copy.write_text(json.dumps(nb))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-p", "no:xdist", str(copy)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout[-2000:]
    assert "2,915" in run.stdout and "failed" in run.stdout
