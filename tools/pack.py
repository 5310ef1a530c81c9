"""The student pack: a zip a teacher can hand out, with no solutions in it.

``python -m tools.pack`` (``make student-pack``) writes
``build/beyond-utopia-student-pack.zip``: the stored notebooks (the student edition), the
helper package, the data, and what a student needs to run them (``make lab``):
``pyproject.toml``, ``constraints.txt``, ``environment.yml``, ``postBuild``, the README,
the Makefile and the JupyterLab settings. It leaves out the teacher notes (``teacher/``),
the tools that build the teacher's site and handouts, and the tests.

Before writing the zip, every text file in it is checked against the teacher notes:
no sentence of any section of ``teacher/*.md`` (with its numbers filled in) may appear.
The zip is deterministic: sorted names, fixed timestamps.
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from beyond_utopia.paths import ROOT, TEACHER_DIR
from tools import build

PACK = build.BUILD / "beyond-utopia-student-pack.zip"
FOLDER = "beyond-utopia"
#: What the pack holds: files and folders of the checkout.
INCLUDE = ("notebooks", "src", "data", "tools/jupyter", "tools/__init__.py",
           "pyproject.toml", "constraints.txt", "environment.yml", "postBuild", "README.md",
           "Makefile", "SECURITY.md")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache"}
TEXT = {".ipynb", ".md", ".py", ".csv", ".json", ".txt", ".toml", ".yml", ".yaml", ""}
STAMP = (2024, 1, 1, 0, 0, 0)
START = """Beyond Utopia, explained: the student pack

Notebooks, with sourced data, about the documentary Beyond Utopia (2023) and China's
forced return of North Koreans who escape across its border.

To read and run them: install Python 3.11 and make, open a terminal in this folder and
type

    make lab

It installs what the notebooks need into .venv/ (once) and opens notebook 00 in
JupyterLab. Read the notebooks in order; the exercises are at the end of each.

This pack holds the student edition only. The commands in the README that build the
sites, the handouts or run the tests need the full collection.
"""


def files(root: Path = ROOT) -> list[Path]:
    """The files the pack holds, relative to the checkout, sorted."""
    found = []
    for name in INCLUDE:
        path = root / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for p in candidates:
            rel = p.relative_to(root)
            if p.is_file() and not SKIP_PARTS & set(rel.parts) and not p.name.endswith(
                    (".pyc", ".egg-info")) and ".egg-info" not in str(rel):
                found.append(rel)
    return sorted(set(found))


def given_text(data_dir: Path | None = None) -> str:
    """Every value of every data table, one per line: what students are given to work on.
    A teacher note that quotes it (the claims students grade in notebook 07, for one)
    gives no answer away."""
    import csv

    folder = data_dir or ROOT / "data"
    values: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                values.update(" ".join(v.split()) for v in row if len(v) > 50)
    return "\n".join(sorted(values))


def solution_sentences() -> list[str]:
    """Every sentence of the teacher notes long enough to identify them, as written and
    with their numbers filled in, except those that quote the data students are given."""
    from beyond_utopia import classroom

    sentences: set[str] = set()
    for path in sorted(TEACHER_DIR.glob("[0-9][0-9].md")):
        number = path.stem
        values = classroom.solution_values(number)
        for name in classroom._sections(number):
            for text in (classroom.section(number, name), classroom.section(number, name, values)):
                sentences.update(_sentences(text))
    given = given_text()
    return sorted(s for s in sentences if s not in given)


def _sentences(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    prose = re.sub(r"\*\*|`|(?<!\w)\*|\*(?!\w)", "", prose)
    out = []
    for line in prose.splitlines():
        line = re.sub(r"^\s*(>\s*)?(\d+\.|-)\s+", "", line)
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line)]
    return [s for s in out if len(s) > 50 and "{" not in s]


def leaks(texts: Iterable[tuple[str, str]], sentences: list[str]) -> list[tuple[str, str]]:
    """(file, sentence) for each teacher sentence found in a file's text."""
    found = []
    for name, text in texts:
        flat = " ".join(text.replace("\\n", " ").split())
        found += [(name, s) for s in sentences if s in flat]
    return found


def build_pack(target: Path = PACK, root: Path = ROOT) -> Path:
    """Write the zip; refuse (SystemExit) if any file in it holds solution text."""
    chosen = files(root)
    texts = [(str(rel), (root / rel).read_text(encoding="utf-8", errors="replace"))
             for rel in chosen if (root / rel).suffix in TEXT]
    found = leaks(texts, solution_sentences())
    if found:
        raise SystemExit("the student pack would hold solution text:\n" + "\n".join(
            f"  {name}: {sentence[:90]}" for name, sentence in found[:10]))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{FOLDER}/START-HERE.txt", STAMP)
        info.external_attr, info.compress_type = 0o644 << 16, zipfile.ZIP_DEFLATED
        zf.writestr(info, START)
        for rel in chosen:
            info = zipfile.ZipInfo(f"{FOLDER}/{rel.as_posix()}", STAMP)
            info.external_attr = (0o755 if (root / rel).stat().st_mode & 0o111 else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, (root / rel).read_bytes())
    tmp.replace(target)
    return target


def main() -> int:
    target = build_pack()
    with zipfile.ZipFile(target) as zf:
        count = len(zf.namelist())
    print(f"{target.relative_to(ROOT)}: {count} files, {target.stat().st_size / 1e6:.1f} MB, "
          "no solutions (checked against teacher/*.md). Students unzip it and run `make lab`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
