"""Execute, normalise and store the notebooks; ``python -m tools.build --help``.

``notebooks``: run every notebook under ``notebooks/`` with papermill (default
parameters, student edition) and store it executed and normalised: no papermill
metadata, no timings, sequential cell ids and execution counts. Two runs give the
same bytes, so strict nbval can compare the stored outputs with today's.
A notebook is replaced only when its run succeeded, by an atomic rename.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from beyond_utopia.paths import NOTEBOOK_DIR, ROOT

#: The output folder; an environment variable points it at a copy (the tests build
#: into temporary folders and never touch the stored files).
BUILD = Path(os.environ.get("BEYOND_UTOPIA_BUILD", ROOT / "build"))
KERNEL = "python3"


def notebook_paths(names: Iterable[str] = ()) -> list[Path]:
    """The collection's notebooks in reading order (or those whose name starts with ``names``)."""
    paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
    names = list(names)
    if names:
        paths = [p for p in paths if any(p.name.startswith(n) for n in names)]
    return paths


def normalise(nb: Any) -> Any:
    """Strip what changes between runs: papermill metadata, timings, random ids."""
    nb.metadata.pop("papermill", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    nb.metadata.pop("widgets", None)
    count = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
        for key in ("papermill", "execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None or cell.outputs:
                count += 1
                cell.execution_count = count
                for out in cell.outputs:
                    if "execution_count" in out:
                        out["execution_count"] = count
            else:
                cell.execution_count = None
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    return nb


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def execute(source: Path, target: Path, parameters: dict | None = None,
            timeout: int = 300) -> Any:
    """Run ``source`` with papermill, normalise the result and write it to ``target``.

    The run happens in a temporary file; ``target`` is replaced only when the run
    succeeded. Returns the executed notebook.
    """
    import nbformat
    import papermill as pm

    with tempfile.TemporaryDirectory(prefix="bu-run-") as tmp:
        out = Path(tmp) / source.name
        pm.execute_notebook(
            str(source), str(out), parameters=parameters or {}, kernel_name=KERNEL,
            cwd=str(source.parent), progress_bar=False, log_output=False,
            execution_timeout=timeout, request_save_on_cell_execute=False,
        )
        nb = normalise(nbformat.read(out, as_version=4))
    atomic_write_text(target, nbformat.writes(nb) + "\n")
    return nb


def store_notebooks(names: Sequence[str] = ()) -> list[Path]:
    """Execute each notebook (student edition, default parameters) and store it in place."""
    done = []
    for path in notebook_paths(names):
        print(f"executing {path.name}", flush=True)
        execute(path, path)
        done.append(path)
    return done


def unnormalised() -> list[Path]:
    """Stored notebooks that are not in normalised form (papermill metadata, random ids)."""
    import copy

    import nbformat

    bad = []
    for path in notebook_paths():
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        if nbformat.writes(normalise(copy.deepcopy(nb))) + "\n" != text:
            bad.append(path)
    return bad


def replace_dir(staging: Path, target: Path) -> None:
    """Swap a fully built ``staging`` folder in for ``target`` (the old one is removed after)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    nbp = sub.add_parser("notebooks", help="execute and store the notebooks")
    nbp.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 00 03")
    sub.add_parser("check", help="fail if a stored notebook is not normalised")
    sitep = sub.add_parser("site", help="build both editions and the static site into build/")
    sitep.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.command == "notebooks":
        store_notebooks(args.names)
    elif args.command == "check":
        bad = unnormalised()
        for path in bad:
            print(f"{path.name} is not normalised: run `make notebooks`")
        return 1 if bad else 0
    elif args.command == "site":
        from tools import site

        site.build_cli(jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
