"""How long the collection takes, against the floor no notebook can avoid.

``python -m tools.bench`` (``make bench``) runs, in one process and interleaved
so that a noisy machine affects all alike:

- a floor notebook (start a kernel, import pandas and plotly.express, show one tiny
  figure) and every notebook of the collection, with papermill, ``--rounds`` times;
- the import of the helper package beyond pandas and plotly, in fresh interpreters;
- a site build, and the weight of each page apart from the shared plotly.js.

It reports medians and ratios to the floor, checks them against the targets, and
writes ``build/bench/bench.csv``, ``bench.md`` and a chart, ``bench.html``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import build, forkserver, kernels

OUT = build.BUILD / "bench"
TARGET_COLLECTION = 1.25  # x (number of notebooks x floor)
TARGET_IMPORT_S = 0.2  # seconds beyond pandas and plotly
TARGET_PAGE_KB = 300

FLOOR_CELLS = [
    "import pandas as pd\nimport plotly.express as px",
    "px.bar(pd.DataFrame({'x': [1, 2], 'y': [3, 4]}), x='x', y='y')",
]
HELPER_IMPORTS = ("from beyond_utopia import classroom, data, nb, params\n"
                  "from beyond_utopia.topics import arrivals, film, journey, law, start, timeline")


def floor_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in FLOOR_CELLS]
    nb.metadata["kernelspec"] = {"name": build.KERNEL, "display_name": "Python 3",
                                 "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def _time_papermill(source: Path, target: Path) -> float:
    """One run the way `make notebooks` runs a notebook (the same kernel transport, quiet),
    written to ``target``."""
    import nbformat

    start = time.perf_counter()
    nb = kernels.run_papermill(source, {}, 600, build.KERNEL)
    seconds = time.perf_counter() - start
    nbformat.write(nb, target)
    return seconds


def _time_python(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(rounds: int = 3, site: bool = True) -> dict:
    notebooks = build.notebook_paths()
    times: dict[str, list[float]] = {"floor": []}
    times.update({p.stem: [] for p in notebooks})
    with tempfile.TemporaryDirectory(prefix="bu-bench-") as tmp:
        folder = Path(tmp)
        floor = floor_notebook(folder)
        _time_papermill(floor, folder / "warm.ipynb")  # warm the disk cache once
        for _ in range(rounds):
            times["floor"].append(_time_papermill(floor, folder / "out.ipynb"))
            for p in notebooks:
                times[p.stem].append(_time_papermill(p, folder / p.name))
    base = "import pandas, plotly.express, plotly.graph_objects, plotly.io"
    imports = {"pandas and plotly": _time_python(base, 5),
               "pandas, plotly and the helper package": _time_python(
                   f"{base}; {HELPER_IMPORTS}", 5)}
    result: dict = {"rounds": rounds, "times": times, "imports": imports}
    if site:
        from tools import site as site_mod

        start = time.perf_counter()
        report = site_mod.build_site(jobs=2)
        result["site_seconds"] = time.perf_counter() - start
        result["pages"] = {p["page"]: (site_mod.SITE / p["page"]).stat().st_size
                           for p in report["pages"]}
        for extra in ("index.html",):  # each site's index and guide are in the report
            result["pages"][extra] = (site_mod.SITE / extra).stat().st_size
    return result


def summarise(result: dict) -> tuple[list[dict], list[tuple[str, str, bool]]]:
    med = {k: statistics.median(v) for k, v in result["times"].items()}
    floor = med["floor"]
    rows = [{"what": k, "median_s": round(v, 2), "ratio_to_floor": round(v / floor, 2),
             "runs": len(result["times"][k])} for k, v in med.items()]
    names = [k for k in med if k != "floor"]
    total = sum(med[k] for k in names)
    allowed = TARGET_COLLECTION * len(names) * floor
    rows.append({"what": "collection", "median_s": round(total, 2),
                 "ratio_to_floor": round(total / (len(names) * floor), 2), "runs": ""})
    extra = (result["imports"]["pandas, plotly and the helper package"]
             - result["imports"]["pandas and plotly"])
    checks = [
        ("collection vs notebooks x floor", f"{total / (len(names) * floor):.2f} "
         f"(target <= {TARGET_COLLECTION})", total <= allowed),
        ("helper package import beyond pandas and plotly", f"{extra:+.3f} s "
         f"(target <= {TARGET_IMPORT_S} s)", extra <= TARGET_IMPORT_S),
    ]
    if "pages" in result:
        biggest = max(result["pages"].items(), key=lambda kv: kv[1])
        checks.append(("largest page apart from plotly.js", f"{biggest[0]}: "
                       f"{biggest[1] / 1024:.0f} KB (target <= {TARGET_PAGE_KB} KB)",
                       biggest[1] <= TARGET_PAGE_KB * 1024))
    return rows, checks


def write(result: dict, rows: list[dict], checks: list) -> None:
    import csv

    import plotly.graph_objects as go

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "bench.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    lines = ["# Benchmark", "", f"Medians of {result['rounds']} interleaved papermill runs "
             "on this machine, in one run; ratios are to the floor notebook (kernel start, "
             "`import pandas, plotly.express`, one tiny figure).", "",
             "| what | median (s) | ratio to floor |", "|---|---|---|"]
    lines += [f"| {r['what']} | {r['median_s']} | {r['ratio_to_floor']} |" for r in rows]
    lines += ["", "| import | median of 5 (s) |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in result["imports"].items()]
    if "site_seconds" in result:
        lines += ["", f"Site build (both editions): {result['site_seconds']:.1f} s.", "",
                  "| page | size (KB), apart from the shared plotly.js |", "|---|---|"]
        lines += [f"| {p} | {s / 1024:.0f} |" for p, s in sorted(result["pages"].items())]
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in checks]
    (OUT / "bench.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fig = go.Figure(go.Bar(x=[r["what"] for r in rows[:-1]],
                           y=[r["ratio_to_floor"] for r in rows[:-1]],
                           marker_color="#3A3A3A"))
    fig.add_hline(y=1, line_dash="dot", annotation_text="floor")
    fig.update_layout(title="Execution time of each notebook, as a multiple of the floor",
                      yaxis_title="ratio to floor")
    fig.write_html(OUT / "bench.html", include_plotlyjs="directory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-site", action="store_true", help="skip the site build")
    args = parser.parse_args(argv)
    # The floor is a kernel started afresh, as JupyterLab starts one for a reader; the
    # builds' fork server (tools/forkserver.py) would hide the imports it is made of.
    os.environ[forkserver.ENV] = "0"
    result = measure(args.rounds, site=not args.no_site)
    rows, checks = summarise(result)
    write(result, rows, checks)
    print((OUT / "bench.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
