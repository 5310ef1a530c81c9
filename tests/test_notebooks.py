"""Every notebook runs under papermill with other parameters (strict nbval runs it with its
defaults), and with bad parameters that stop it at once (tests/bad_parameters.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import build

from .conftest import smallest_with_charts

NOTEBOOKS = {p.name[:2]: p for p in build.notebook_paths()}

#: Other parameter sets, with a string (or strings) each run's output must contain. One run
#: checks several things where it can: each run costs a kernel and a whole notebook.
OTHER_RUNS = {
    "00": [({"edition": "teacher"}, "**For the teacher.**")],
    "01": [
        ({"milestone_kinds": ["award", "nomination"], "show_conflicts": False},
         "A timeline of 8 milestones"),
        ({"edition": "teacher", "milestone_kinds": ["festival"]},
         ("**For the teacher.** **Objectives.**", "**Solution 8.**")),
    ],
    "02": [
        ({"unit": "miles", "highlight_legs": [4, 5]}, "Highlighted: leg 4 and 5."),
        ({"edition": "teacher", "highlight_legs": None}, "**Solution 8.**"),
    ],
    "03": [
        ({"start_year": 2010, "end_year": 2020, "breakdown": "sex", "turning_points": False},
         "Figure: arrivals per year, 2010–2020, by sex."),
        ({"edition": "teacher", "breakdown": "share", "event_categories": ["resolution"],
          "start_year": 2015}, ("**Solution 9.**", "Figure: arrivals per year, 2015–2025")),
        ({"start_year": 2019, "end_year": 2019}, "Figure: arrivals per year, 2019–2019."),
    ],
    "04": [
        ({"start_year": 2020, "end_year": 2025, "actors": ["China", "United Nations"]},
         "Figure: the timeline, 2020–2025."),
        ({"edition": "teacher", "categories": ["repatriation", "statement"], "start_year": 2000},
         ("**Solution 2.**", "Figure: the timeline, 2000–")),
    ],
    "05": [
        ({"start_year": 2010, "end_year": 2020, "include_anonymous": False},
         "Figure: women's share of arrivals, 2010–2020, beside the estimates from China."),
        ({"edition": "teacher", "start_year": 2019, "end_year": 2019}, "**Solution 6.**"),
    ],
    "06": [
        ({"body": "Third Committee", "start_year": 2005, "end_year": 2015},
         "Passed in all 8 recorded votes, 2005–2015"),
        ({"edition": "teacher", "end_year": 2011},
         ("Passed in all 7 recorded votes, 2005–2011", "not found elsewhere")),
    ],
    "07": [
        ({"return_date": "2024-04-26", "unit": "miles"},
         "Figure 2: the length of the journey as quoted, in miles."),
        ({"edition": "teacher"}, "**Solution 5.**"),
    ],
    "08": [
        ({"edition": "teacher", "show_proposed": False},
         ("**Solution 5.**", "**For the teacher.** **Objectives.**", "7 million won for 2013")),
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


# Strict nbval (``--nbval``) runs every stored notebook top to bottom in the same kernel
# and compares every output of every cell, and test_build's
# test_stored_notebooks_are_normalised proves each stored file is in the normal form. One
# notebook with charts is still run the way `make notebooks` runs it and compared byte for
# byte: what neither of those sees (output metadata, the order of outputs, the figure JSON
# as written) stays checked for the whole pipeline.


@pytest.mark.notebooks
def test_the_build_writes_a_stored_notebook_byte_for_byte(tmp_path):
    """`make notebooks` would write exactly the file that is stored."""
    import nbformat

    number = smallest_with_charts(list(NOTEBOOKS.values())).name[:2]
    nb = run(number, {}, tmp_path)
    assert not errors(nb)
    stored = NOTEBOOKS[number].read_text(encoding="utf-8")
    assert nbformat.writes(nb) + "\n" == stored, (
        f"{NOTEBOOKS[number].name} is out of date: run `make notebooks NB={number}`")


@pytest.mark.notebooks
@pytest.mark.parametrize("number,parameters,expected",
                         [(n, p, e) for n, runs in OTHER_RUNS.items() for p, e in runs],
                         ids=lambda v: ",".join(f"{k}={v[k]}" for k in v) if isinstance(v, dict)
                         else "+".join(v) if isinstance(v, tuple) else str(v))
def test_runs_with_other_parameters(number, parameters, expected, tmp_path):
    nb = run(number, parameters, tmp_path)
    assert not errors(nb)
    text = outputs_text(nb)
    for words in (expected,) if isinstance(expected, str) else expected:
        assert words in text, words


def test_every_notebook_has_other_parameter_runs_and_ten_bad_ones():
    from .bad_parameters import BAD_RUNS

    assert set(OTHER_RUNS) == set(NOTEBOOKS)
    for number in NOTEBOOKS:
        assert sum(n == number for n, _, _, _ in BAD_RUNS) >= 10, number


# A failed run leaves an existing target untouched: checked on every notebook's first bad
# value by test_a_bad_parameter_stops_papermill_in_the_setup_cell (tests/bad_parameters.py).
