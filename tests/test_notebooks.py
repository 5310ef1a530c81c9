"""Every notebook runs under papermill: with its defaults (and then equals the stored
file), with other parameters, and with bad parameters that stop it at once."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from beyond_utopia import build

NOTEBOOKS = {p.name[:2]: p for p in build.notebook_paths()}

#: Other parameter sets, with a string each run's output must contain.
OTHER_RUNS = {
    "00": [({"edition": "teacher"}, "Teaching notes")],
    "01": [
        ({"milestone_kinds": ["award", "nomination"], "show_conflicts": False},
         "A timeline of 7 milestones"),
        ({"edition": "teacher"}, "**Solution 1.**"),
    ],
    "02": [
        ({"unit": "miles", "highlight_legs": [4, 5]}, "Highlighted: leg 4 and 5."),
        ({"edition": "teacher", "highlight_legs": None}, "**Solution 3.**"),
    ],
    "03": [
        ({"start_year": 2010, "end_year": 2020, "breakdown": "sex", "show_events": False},
         "Figure: arrivals per year, 2010–2020, by sex."),
        ({"edition": "teacher", "breakdown": "share", "event_categories": ["resolution"]},
         "**Solution 3.**"),
        ({"start_year": 2019, "end_year": 2019}, "Figure: arrivals per year, 2019–2019."),
    ],
    "04": [
        ({"start_year": 2020, "end_year": 2025, "actors": ["China", "United Nations"]},
         "Figure: the timeline, 2020–2025."),
        ({"edition": "teacher", "categories": ["repatriation", "statement"]}, "**Solution 2.**"),
    ],
    "05": [
        ({"body": "Third Committee", "start_year": 2005, "end_year": 2015},
         "Figure: Third Committee votes, 2005–2015."),
        ({"edition": "teacher"}, "not found elsewhere"),
    ],
}

#: Bad parameter values: (notebook, parameters, the parameter named, words of the message).
BAD_RUNS = [
    ("00", {"edition": "principal"}, "edition", "'student', 'teacher'"),
    ("01", {"milestone_kinds": ["premiere"]}, "milestone_kinds", "'festival', 'award'"),
    ("01", {"show_conflicts": 1}, "show_conflicts", "True, False"),
    ("01", {"edition": None}, "edition", "'student', 'teacher'"),
    ("02", {"unit": "kilometres"}, "unit", "'km', 'miles'"),
    ("02", {"highlight_legs": [1]}, "highlight_legs", "from 2 to 8"),
    ("02", {"highlight_legs": 3}, "highlight_legs", "give a list"),
    ("02", {"edition": "teachers"}, "edition", "'student', 'teacher'"),
    ("03", {"edition": "Teacher"}, "edition", "'student', 'teacher'"),
    ("03", {"breakdown": "gender"}, "breakdown", "'total', 'sex', 'share'"),
    ("03", {"start_year": 1990}, "start_year", "1998 to 2025"),
    ("03", {"end_year": 2030}, "end_year", "1998 to 2025"),
    ("03", {"start_year": 2020, "end_year": 2010}, "start_year", "must not be after end_year"),
    ("03", {"start_year": "2010"}, "start_year", "whole year"),
    ("03", {"show_events": "yes"}, "show_events", "True, False"),
    ("03", {"event_categories": ["weather"]}, "event_categories", "'repatriation'"),
    ("03", {"event_categories": "border"}, "event_categories", "give a list"),
    ("04", {"actors": ["Atlantis"]}, "actors", "'China', 'North Korea'"),
    ("04", {"categories": ["rumour"]}, "categories", "'agreement', 'border'"),
    ("04", {"start_year": 1900}, "start_year", "1957 to 2025"),
    ("04", {"actors": ["Japan"], "categories": ["film"]}, "actors", "no event in 1957–2025"),
    ("04", {"edition": "student edition"}, "edition", "'student', 'teacher'"),
    ("05", {"body": "Security Council"}, "body", "'General Assembly', 'Third Committee'"),
    ("05", {"start_year": 2030}, "start_year", "2005 to 2025"),
    ("05", {"end_year": 2004}, "end_year", "2005 to 2025"),
]


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


def test_every_notebook_has_other_parameter_runs():
    assert set(OTHER_RUNS) == set(NOTEBOOKS)


@pytest.mark.notebooks
@pytest.mark.parametrize("number,parameters,name,words", BAD_RUNS,
                         ids=[f"{n}-{next(iter(p))}={p[next(iter(p))]!r}"
                              for n, p, _, _ in BAD_RUNS])
def test_bad_parameters_stop_at_once_with_a_clear_message(number, parameters, name, words,
                                                          tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as info:
        run(number, parameters, tmp_path)
    err = info.value
    assert err.ename == "ParameterError", err.evalue
    assert f"parameter '{name}'" in err.evalue and words in err.evalue, err.evalue
    # it stops in the setup cell right after the parameters, before any chart is built
    nb = nbformat.read(tmp_path / NOTEBOOKS[number].name, as_version=4) \
        if (tmp_path / NOTEBOOKS[number].name).exists() else None
    assert nb is None  # a failed run never replaces the target
    assert err.exec_count <= 3


def test_a_failed_run_leaves_the_target_untouched(tmp_path):
    import papermill as pm

    target = tmp_path / "03-arrivals.ipynb"
    target.write_text("the last good file", encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError):
        build.execute(NOTEBOOKS["03"], target, {"breakdown": "gender"})
    assert target.read_text(encoding="utf-8") == "the last good file"
