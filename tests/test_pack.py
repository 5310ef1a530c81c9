"""The student pack (``make student-pack``) and the file browser students see in
JupyterLab hold no solutions, and the pack has what the notebooks need to run."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import nbformat
import pytest

from beyond_utopia import classroom
from beyond_utopia.paths import NOTEBOOK_DIR, ROOT, TEACHER_DIR
from tools import build, pack

from .test_site import re_sentences


def _teacher_sentences() -> list[str]:
    """Sentences of every section of teacher/NN.md, as written and with numbers filled."""
    found = set()
    for path in sorted(TEACHER_DIR.glob("[0-9][0-9].md")):
        number = path.stem
        values = classroom.solution_values(number)
        for name in classroom._sections(number):
            found.update(re_sentences(classroom.section(number, name)))
            found.update(re_sentences(classroom.section(number, name, values)))
    return sorted(s for s in found if "{" not in s)


def _answer_sentences() -> list[str]:
    """The teacher sentences a student file must not hold: all but those that quote the
    data students are given (``pack.given_text``)."""
    given = pack.given_text()
    return [s for s in _teacher_sentences() if s not in given]


@pytest.fixture(scope="module")
def student_pack(tmp_path_factory):
    target = tmp_path_factory.mktemp("pack") / "pack.zip"
    pack.build_pack(target)
    return target


def _flat(text: str) -> str:
    return " ".join(text.replace("\\n", " ").split())


def test_the_pack_holds_the_notebooks_and_what_they_need_to_run(student_pack):
    with zipfile.ZipFile(student_pack) as zf:
        names = {n.split("/", 1)[1] for n in zf.namelist()}
    for path in build.notebook_paths():
        assert f"notebooks/{path.name}" in names
    for name in ("src/beyond_utopia/__init__.py", "src/beyond_utopia/classroom.py",
                 "data/datapackage.json", "pyproject.toml", "constraints.txt", "README.md",
                 "Makefile", "tools/jupyter/labconfig/page_config.json", "START-HERE.txt"):
        assert name in names, name
    assert not [n for n in names if n.startswith(("teacher/", "tests/"))]
    assert not [n for n in names if "__pycache__" in n or ".egg-info" in n]


def test_the_pack_holds_no_solution_text(student_pack):
    sentences = _answer_sentences()
    assert len(sentences) > 20
    with zipfile.ZipFile(student_pack) as zf:
        for name in zf.namelist():
            text = _flat(zf.read(name).decode("utf-8", errors="replace"))
            found = [s for s in sentences if s in text]
            assert not found, f"{name}: {found[:2]}"


def test_the_leak_check_finds_a_teacher_sentence():
    sentence = pack.solution_sentences()[0]
    assert pack.leaks([("a.md", f"text {sentence} more")], [sentence]) == [("a.md", sentence)]


def test_quoting_the_given_data_is_no_leak_but_an_answer_is():
    """The exclusion covers the claims students grade, and only data they are given."""
    claims = [s for s in _teacher_sentences() if s in pack.given_text()]
    assert claims, "no teacher sentence quotes the data: the exclusion is not needed"
    kept = set(pack.solution_sentences())
    assert not kept & set(claims)
    assert len(kept) > 10 * len(claims)


def test_the_jupyterlab_file_browser_shows_no_solutions():
    """Students see notebooks/ (``make lab``'s root): no file in it holds teacher text."""
    assert TEACHER_DIR.resolve() not in NOTEBOOK_DIR.resolve().parents
    assert "--ServerApp.root_dir=notebooks" in (ROOT / "Makefile").read_text()
    sentences = _answer_sentences()
    for path in sorted(NOTEBOOK_DIR.rglob("*")):
        if path.is_file():
            text = _flat(path.read_text(encoding="utf-8", errors="replace"))
            assert not [s for s in sentences if s in text], path.name


@pytest.mark.notebooks
def test_a_notebook_runs_from_the_unzipped_pack(student_pack, tmp_path, monkeypatch):
    with zipfile.ZipFile(student_pack) as zf:
        zf.extractall(tmp_path)
    root = tmp_path / pack.FOLDER
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    for var in ("BEYOND_UTOPIA_NOTEBOOKS", "BEYOND_UTOPIA_TEACHER", "BEYOND_UTOPIA_DATA"):
        monkeypatch.delenv(var, raising=False)
    where = subprocess.run([sys.executable, "-c", "import beyond_utopia.paths as p; "
                            "print(p.ROOT)"], capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(root.resolve())  # the pack's package, not the checkout
    source = root / "notebooks" / build.notebook_paths()[0].name
    nb = build.execute(source, tmp_path / "out.ipynb")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    stored = nbformat.read(build.notebook_paths()[0], as_version=4)
    assert nbformat.writes(nb) == nbformat.writes(stored)
