"""The package's shape: one room per topic, tooling outside, no cycles, a README that
names every module. These are the rules a contributor relies on."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from beyond_utopia import catalogue

from .conftest import ROOT

SRC = ROOT / "src" / "beyond_utopia"
TOOLING = ("papermill", "nbconvert", "nbformat", "nbclient", "playwright", "frictionless",
           "tools")
MAX_LINES = 450


def _modules(folder):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _module_name(path) -> str:
    rel = path.relative_to(ROOT / "src").with_suffix("")
    return ".".join(p for p in rel.parts if p != "__init__")


@pytest.mark.parametrize("path", _modules(SRC), ids=lambda p: p.name)
def test_the_package_imports_no_repository_tooling(path):
    bad = {n for n in _imports(path) if n.split(".")[0] in TOOLING}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", _modules(SRC) + _modules(ROOT / "tools"), ids=lambda p: p.name)
def test_no_module_is_over_450_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_import_cycle():
    known = {_module_name(p): p for p in _modules(SRC)}
    graph = {m: {n for n in _imports(p) if n in known and n != m} for m, p in known.items()}
    # also count ``from beyond_utopia import x`` as an edge to beyond_utopia.x
    for m, p in known.items():
        for n in _imports(p):
            if n.startswith("beyond_utopia.") and n in known:
                graph[m].add(n)
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack, node, nxt]))
            if nxt not in state:
                visit(nxt, [*stack, node])
        state[node] = 2

    for m in graph:
        if m not in state:
            visit(m, [])


def test_every_notebook_has_one_topic_module_and_teacher_notes():
    for entry in catalogue.ENTRIES:
        assert (SRC / "topics" / f"{entry.topic}.py").exists(), entry.topic
        assert (ROOT / "teacher" / f"{entry.number}.md").exists(), entry.number
        assert (ROOT / "notebooks" / entry.filename).exists(), entry.filename
    assert {p.stem for p in (SRC / "topics").glob("*.py")} - {"__init__"} == \
        {e.topic for e in catalogue.ENTRIES}


def test_the_readme_names_every_module_and_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    for path in _modules(SRC) + _modules(ROOT / "tools"):
        if path.name == "__init__.py" and path.parent.name in ("topics", "tools"):
            continue
        assert re.search(rf"\b{re.escape(path.name)}\b", layout), f"README omits {path.name}"
    for folder in ("data/", "notebooks/", "teacher/", "src/beyond_utopia/", "topics/",
                   "assets/", "tools/", "tests/"):
        assert folder in layout, f"README omits {folder}"


def test_importing_the_package_stays_cheap():
    """``import beyond_utopia`` and its core pull in neither pandas nor plotly."""
    code = ("import sys, beyond_utopia, beyond_utopia.data, beyond_utopia.params, "
            "beyond_utopia.formats, beyond_utopia.paths, beyond_utopia.catalogue; "
            "print(sorted(m for m in ('pandas', 'plotly', 'nbformat', 'papermill') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", out
