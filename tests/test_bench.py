"""The benchmark's arithmetic and target checks (the timing itself runs in `make bench`)."""

from __future__ import annotations

from tools import bench


def _result(notebook_times, helper=0.45):
    return {"rounds": 3,
            "times": {"floor": [1.0, 1.2, 1.1], **{f"0{i}-x": t for i, t in
                                                   enumerate(notebook_times)}},
            "imports": {"pandas and plotly": 0.4,
                        "pandas, plotly and the helper package": helper},
            "pages": {"student/a.html": 100 * 1024, "teacher/a.html": 120 * 1024}}


def test_ratios_are_medians_over_the_floor():
    rows, checks = bench.summarise(_result([[1.1, 1.0, 1.2], [2.2, 2.2, 2.2]]))
    by = {r["what"]: r for r in rows}
    assert by["floor"]["median_s"] == 1.1
    assert by["00-x"]["ratio_to_floor"] == 1.0
    assert by["01-x"]["ratio_to_floor"] == 2.0
    assert by["collection"]["ratio_to_floor"] == 1.5
    assert [ok for _, _, ok in checks] == [False, True, True]


def test_targets_pass_and_fail():
    _, checks = bench.summarise(_result([[1.1, 1.1, 1.1]], helper=0.75))
    assert dict((name, ok) for name, _, ok in checks) == {
        "collection vs notebooks x floor": True,
        "helper package import beyond pandas and plotly": False,
        "largest page apart from plotly.js": True}


def test_the_floor_notebook_imports_pandas_and_plotly(tmp_path):
    import nbformat

    nb = nbformat.read(bench.floor_notebook(tmp_path), as_version=4)
    assert "import pandas" in nb.cells[0].source and "plotly.express" in nb.cells[0].source


def test_a_timed_run_is_the_builds_quiet_run(tmp_path, capfd):
    """The benchmark times notebooks the way `make notebooks` runs them: the same kernel
    transport, so its report is not buried in kernel warnings."""
    import nbformat

    seconds = bench._time_papermill(bench.floor_notebook(tmp_path), tmp_path / "out.ipynb")
    captured = capfd.readouterr()
    assert seconds > 0
    assert "without encryption" not in captured.err, captured.err[-500:]
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert any(o.get("data", {}).get("application/vnd.plotly.v1+json")
               for o in out.cells[1].get("outputs", []))
