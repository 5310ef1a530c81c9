"""Execute, normalise and store the notebooks; ``python -m tools.build --help``.

``notebooks``: run every notebook under ``notebooks/`` with papermill (default
parameters, student edition) and store it executed and normalised: no papermill
metadata, no timings, sequential cell ids and execution counts. Two runs give the
same bytes, so strict nbval can compare the stored outputs with today's.
A notebook is replaced only when its run succeeded, by an atomic rename.

``run SOURCE TARGET -p name value ...``: one notebook with other parameters, like
papermill's command, but the run stops before any kernel starts when a parameter name
is not one of the notebook's, and TARGET is written only when the run succeeded.

``site``: both editions and the static site (``tools/site.py``); ``check-data``: load
and validate every table; ``stress``: the notebook tests on a loaded machine.

Kernels start over IPC where the platform has it, and a failed start is tried again
(``tools/kernels.py``).

Errors. A data or parameter error stops a command with its one-line message and no
traceback; ``BU_DEBUG=1`` brings the traceback back.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from beyond_utopia.errors import DataError, ParameterError
from beyond_utopia.paths import NOTEBOOK_DIR, ROOT
from tools import kernels
from tools.kernels import KernelStartError, nbval_kernels

__all__ = ["KernelStartError", "execute", "main", "nbval_kernels", "replace_dir",
           "swap_together"]

#: The output folder; an environment variable points it at a copy (the tests build
#: into temporary folders and never touch the stored files).
BUILD = Path(os.environ.get("BEYOND_UTOPIA_BUILD", ROOT / "build"))
KERNEL = "python3"
#: Set to 1 to see the full traceback of a data or parameter error.
DEBUG_ENV = "BU_DEBUG"

# Kernels write nothing under $HOME and print no debugger warning, also when this module
# is used without make (the Makefile and the tests set the same).
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def debug() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


# ---------------------------------------------------------------------------
# running one notebook
# ---------------------------------------------------------------------------


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


def notebook_parameters(source: Path) -> list[str]:
    """The names the notebook's ``parameters`` cell defines (papermill's inspection)."""
    import papermill as pm

    return list(pm.inspect_notebook(str(source)))


def check_parameter_names(source: Path, parameters: dict) -> None:
    """Stop before any kernel starts if a parameter is not one the notebook has (papermill
    would only warn, and the value would be ignored without a word)."""
    if not parameters:
        return
    known = notebook_parameters(source)
    for name, value in parameters.items():
        if name not in known:
            raise ParameterError(name, value, f"{source.name} has no parameter of that name; "
                                 f"its parameters: {', '.join(known)}")


def _papermill(source: Path, parameters: dict, timeout: int) -> Any:
    return kernels.run_papermill(source, parameters, timeout, KERNEL)


def execute(source: Path, target: Path, parameters: dict | None = None,
            timeout: int = 300) -> Any:
    """Run ``source`` with papermill, normalise the result and write it to ``target``.

    The parameter names are checked against the notebook's parameters cell first. The
    run happens in memory (no temporary folder to leave behind); ``target`` is replaced,
    by an atomic rename, only when the run succeeded. Returns the executed notebook.
    """
    import nbformat

    parameters = dict(parameters or {})
    check_parameter_names(source, parameters)
    nb = _papermill(source, parameters, timeout)
    nb = normalise(nbformat.reads(nbformat.writes(nb), as_version=4))
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


# ---------------------------------------------------------------------------
# swapping built folders in: one at a time, or several together
# ---------------------------------------------------------------------------

#: Folders swapped in during a :func:`swap_together` block: (target, old copy, had one).
_swaps: list[tuple[Path, Path, bool]] | None = None


def _journal() -> Path:
    return BUILD / ".swap-journal.json"


def _write_journal(swaps: list[tuple[Path, Path, bool]]) -> None:
    atomic_write_text(_journal(), json.dumps(
        [{"target": str(t), "old": str(o), "had_old": h} for t, o, h in swaps]) + "\n")


def _roll_back(swaps: list[tuple[Path, Path, bool]]) -> None:
    """Put back the folders a swap replaced (whatever step it was interrupted at)."""
    for target, old, had_old in reversed(swaps):
        if old.exists():
            if target.exists():
                shutil.rmtree(target)
            os.replace(old, target)
        elif not had_old and target.exists():
            shutil.rmtree(target)


def recover() -> bool:
    """Undo the swaps of a build that was killed before it finished (its journal is still
    there), so ``build/`` never mixes two runs. Returns True if there was one."""
    path = _journal()
    if not path.exists():
        return False
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        swaps = [(Path(e["target"]), Path(e["old"]), bool(e["had_old"])) for e in entries]
    except (ValueError, KeyError, TypeError):
        swaps = []
    _roll_back(swaps)
    path.unlink(missing_ok=True)
    return True


@contextlib.contextmanager
def swap_together(label: str = "build") -> Iterator[None]:
    """Every :func:`replace_dir` in the block takes effect together: if the block fails
    or is interrupted (Ctrl-C, SIGTERM; SIGKILL through :func:`recover` on the next
    run), every folder it swapped is put back. ``build/build-run.json`` then records
    which run the folders come from."""
    global _swaps
    if _swaps is not None:  # nested: the outer block decides
        yield
        return
    recover()
    _swaps = []
    committed = False
    try:
        yield
        committed = True
    finally:
        swaps, _swaps = _swaps, None
        if not committed:
            _roll_back(swaps)
            _journal().unlink(missing_ok=True)
    _journal().unlink(missing_ok=True)  # from here on the new folders stand
    for _, old, _ in swaps:
        if old.exists():
            shutil.rmtree(old)
    if swaps:
        atomic_write_text(BUILD / "build-run.json", json.dumps({
            "run": f"{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}-{os.getpid()}",
            "command": label, "folders": [t.name for t, _, _ in swaps]}, indent=1) + "\n")


def replace_dir(staging: Path, target: Path) -> None:
    """Swap a fully built ``staging`` folder in for ``target`` (the old one is removed
    after; inside :func:`swap_together`, only when the whole block has succeeded)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if _swaps is not None:
        _swaps.append((target, old, target.exists()))
        _write_journal(_swaps)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        return
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------


def parameter_value(text: str) -> object:
    """A ``-p`` value: a Python literal (``2020``, ``True``, ``None``, ``[4, 5]``,
    ``'2020'``) where it is one, else the text itself (``-p edition teacher``)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def describe(exc: BaseException) -> str | None:
    """The one-line message for an error a reader can fix (data, parameters, a kernel that
    did not start); None for anything else (a bug: its traceback is shown)."""
    import papermill as pm

    if isinstance(exc, DataError | ParameterError | KernelStartError):
        return str(exc)
    if isinstance(exc, pm.PapermillExecutionError):
        where = getattr(exc, "notebook", "the notebook")
        return f"{where} stopped in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    return None


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: kernels are shut down, swaps rolled back


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build",
                                     description=__doc__.splitlines()[0],
                                     epilog=f"{DEBUG_ENV}=1 shows the traceback of an error.")
    sub = parser.add_subparsers(dest="command", required=True)
    nbp = sub.add_parser("notebooks", help="execute and store the notebooks")
    nbp.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 00 03")
    runp = sub.add_parser("run", help="run one notebook with parameters (like papermill)")
    runp.add_argument("source", type=Path)
    runp.add_argument("target", type=Path)
    runp.add_argument("-p", "--parameters", nargs=2, action="append", default=[],
                      metavar=("NAME", "VALUE"),
                      help="a parameter; VALUE is a Python literal or else text")
    runp.add_argument("-r", "--parameters-raw", nargs=2, action="append", default=[],
                      metavar=("NAME", "TEXT"), help="a parameter taken as text")
    runp.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    sub.add_parser("check", help="fail if a stored notebook is not normalised")
    sub.add_parser("check-data", help="load and validate every table")
    sitep = sub.add_parser("site", help="build both editions and the static site into build/")
    sitep.add_argument("--jobs", type=int, default=2)
    stp = sub.add_parser("stress", help="the notebook tests on a loaded machine")
    stp.add_argument("--rounds", type=int, default=3)
    stp.add_argument("--workers", type=int, default=8)
    stp.add_argument("--hogs", type=int, default=3, help="CPU-bound processes beside them")
    stp.add_argument("pytest_args", nargs="*", help="more arguments for pytest")
    args = parser.parse_args(argv)
    if threading_main():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _command(args)
    except KeyboardInterrupt:
        print("interrupted: nothing was half written", file=sys.stderr)
        return 130
    except Exception as exc:
        message = describe(exc)
        if message is None or debug():
            raise
        print(f"error: {message}", file=sys.stderr)
        print(f"({DEBUG_ENV}=1 shows the traceback)", file=sys.stderr)
        return 1


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _command(args: argparse.Namespace) -> int:
    if args.command == "notebooks":
        store_notebooks(args.names)
    elif args.command == "run":
        parameters = {n: parameter_value(v) for n, v in args.parameters}
        parameters.update(dict(args.parameters_raw))
        execute(args.source, args.target, parameters, timeout=args.timeout)
        print(f"wrote {args.target}")
    elif args.command == "check":
        bad = unnormalised()
        for path in bad:
            print(f"{path.name} is not normalised: run `make notebooks`")
        return 1 if bad else 0
    elif args.command == "check-data":
        from beyond_utopia import data

        counts = data.check_all()
        print(f"{len(counts)} tables, {sum(counts.values()):,} rows, all valid: "
              + ", ".join(f"{k} {v}" for k, v in counts.items()))
    elif args.command == "site":
        from tools import site

        with swap_together("site"):
            site.build_cli(jobs=args.jobs)
    elif args.command == "stress":
        return kernels.stress(args.rounds, args.workers, args.hogs, args.pytest_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
