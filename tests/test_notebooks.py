"""Every notebook runs under papermill: with its defaults (and then equals the stored
file), with other parameters, and with bad parameters that stop it at once."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools import build

NOTEBOOKS = {p.name[:2]: p for p in build.notebook_paths()}

#: Other parameter sets, with a string each run's output must contain.
OTHER_RUNS = {
    "00": [({"edition": "teacher"}, "**For the teacher.**")],
    "01": [
        ({"milestone_kinds": ["award", "nomination"], "show_conflicts": False},
         "A timeline of 8 milestones"),
        ({"edition": "teacher"}, "**For the teacher.** **Objectives.**"),
        ({"edition": "teacher", "milestone_kinds": ["festival"]}, "**Solution 8.**"),
    ],
    "02": [
        ({"unit": "miles", "highlight_legs": [4, 5]}, "Highlighted: leg 4 and 5."),
        ({"edition": "teacher", "highlight_legs": None}, "**Solution 8.**"),
    ],
    "03": [
        ({"start_year": 2010, "end_year": 2020, "breakdown": "sex", "turning_points": False},
         "Figure: arrivals per year, 2010–2020, by sex."),
        ({"edition": "teacher", "breakdown": "share", "event_categories": ["resolution"]},
         "**Solution 9.**"),
        ({"start_year": 2019, "end_year": 2019}, "Figure: arrivals per year, 2019–2019."),
        ({"start_year": 2015}, "Figure: arrivals per year, 2015–2025."),
    ],
    "04": [
        ({"start_year": 2020, "end_year": 2025, "actors": ["China", "United Nations"]},
         "Figure: the timeline, 2020–2025."),
        ({"edition": "teacher", "categories": ["repatriation", "statement"]}, "**Solution 2.**"),
        ({"start_year": 2000}, "Figure: the timeline, 2000–"),
    ],
    "05": [
        ({"start_year": 2010, "end_year": 2020, "include_anonymous": False,
          "show_proposed": False},
         "Figure: women's share of arrivals, 2010–2020, beside the estimates from China."),
        ({"edition": "teacher", "start_year": 2019, "end_year": 2019}, "**Solution 6.**"),
    ],
    "06": [
        ({"body": "Third Committee", "start_year": 2005, "end_year": 2015},
         "Passed in all 8 recorded votes, 2005–2015"),
        ({"end_year": 2011}, "Passed in all 7 recorded votes, 2005–2011"),
        ({"edition": "teacher"}, "not found elsewhere"),
    ],
    "07": [
        ({"return_date": "2024-04-26", "unit": "miles"},
         "Figure 2: the length of the journey as quoted, in miles."),
        ({"edition": "teacher"}, "**Solution 5.**"),
    ],
}

def run(number: str, parameters: dict, tmp_path: Path):
    source = NOTEBOOKS[number]
    return build.execute(source, tmp_path / source.name, parameters)


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for value in out.get("data", {}).values():
                parts.append(value if isinstance(value, str) else "")
    return "\n".join(parts)


def errors(nb) -> list[str]:
    return [f"{o['ename']}: {o['evalue']}" for c in nb.cells for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


@pytest.mark.notebooks
@pytest.mark.parametrize("number", sorted(NOTEBOOKS))
def test_default_run_reproduces_the_stored_notebook(number, tmp_path):
    """`make notebooks` would write exactly the file that is stored."""
    nb = run(number, {}, tmp_path)
    assert not errors(nb)
    stored = NOTEBOOKS[number].read_text(encoding="utf-8")
    assert nbformat.writes(nb) + "\n" == stored, (
        f"{NOTEBOOKS[number].name} is out of date: run `make notebooks NB={number}`")


@pytest.mark.notebooks
@pytest.mark.parametrize("number,parameters,expected",
                         [(n, p, e) for n, runs in OTHER_RUNS.items() for p, e in runs],
                         ids=lambda v: str(v) if not isinstance(v, dict) else
                         ",".join(f"{k}={v[k]}" for k in v))
def test_runs_with_other_parameters(number, parameters, expected, tmp_path):
    nb = run(number, parameters, tmp_path)
    assert not errors(nb)
    assert expected in outputs_text(nb)


def test_every_notebook_has_other_parameter_runs_and_ten_bad_ones():
    from .bad_parameters import BAD_RUNS

    assert set(OTHER_RUNS) == set(NOTEBOOKS)
    for number in NOTEBOOKS:
        assert sum(n == number for n, _, _, _ in BAD_RUNS) >= 10, number


def test_a_failed_run_leaves_the_target_untouched(tmp_path):
    import papermill as pm

    target = tmp_path / "03-arrivals.ipynb"
    target.write_text("the last good file", encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError):
        build.execute(NOTEBOOKS["03"], target, {"breakdown": "gender"})
    assert target.read_text(encoding="utf-8") == "the last good file"
