"""Every notebook's exercises, as a student meets them in the stored student edition:
tiers that start without code, key charts marked for the handouts, and no answer printed
above its question."""

from __future__ import annotations

import re

import nbformat
import pytest

from beyond_utopia import catalogue, classroom
from beyond_utopia.paths import NOTEBOOK_DIR

EXERCISE = re.compile(r"(?:#+\s*(?:\d+\.\s*)?|\*\*)Exercise (\d+)\b")
NUMBERS = [e.number for e in catalogue.ENTRIES]


def _notebook(number: str):
    (path,) = NOTEBOOK_DIR.glob(f"{number}-*.ipynb")
    return nbformat.read(path, as_version=4)


def _outputs(cell) -> str:
    return "".join(str(v) for out in cell.get("outputs", [])
                   for v in out.get("data", {}).values()) + "".join(
        str(out.get("text", "")) for out in cell.get("outputs", []))


def telling(value: str) -> bool:
    """A value that, printed above the question, would give its answer away: a long text
    or a number of 100 or more. A short word, a small number or a year is on every page
    (in the data tables, at least), so finding one above proves nothing."""
    digits = value.replace(",", "")
    year = bool(re.fullmatch(r"(19|20)\d\d", value))
    return len(value) >= 20 or (digits.isdigit() and int(digits) >= 100 and not year)


def answers(solution: str) -> list[str]:
    """The placeholders a solution marks as its answer: those in bold (``**{peak}**``)."""
    return [key for bold in solution.split("**")[1::2] for key in re.findall(r"{(\w+)}", bold)]


def exercises_with_text_above(nb) -> list[tuple[str, str]]:
    """(exercise number, all the student text above it) for each exercise, in order."""
    found, seen = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in EXERCISE.finditer(cell.source):
                found.append((m.group(1), seen + cell.source[:m.start()]))
        seen += cell.source + _outputs(cell)
    return found


@pytest.mark.parametrize("number", NUMBERS)
def test_every_notebook_starts_its_exercises_without_code(number):
    nb = _notebook(number)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert sum("exercise-no-code" in t for t in tags) >= 2, number
    numbers = [int(n) for n, _ in exercises_with_text_above(nb)]
    assert numbers and numbers == sorted(set(numbers)), (number, numbers)
    exercises = [i for i, c in enumerate(nb.cells)
                 if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    assert "exercise-no-code" in tags[exercises[0]], f"{number}: the no-code tier comes first"


@pytest.mark.parametrize("number", NUMBERS)
def test_every_chart_notebook_marks_its_key_charts(number):
    nb = _notebook(number)
    charts = sum("application/vnd.plotly.v1+json" in out.get("data", {})
                 for c in nb.cells for out in c.get("outputs", []))
    keys = sum("key-chart" in c.metadata.get("tags", []) for c in nb.cells)
    assert (keys >= 1) == (charts >= 1), (number, charts, keys)


@pytest.mark.parametrize("number", NUMBERS)
def test_no_answer_is_printed_above_its_question(number):
    nb = _notebook(number)
    sections = classroom._sections(number)
    values = classroom.solution_values(number)
    for exercise, above in exercises_with_text_above(nb):
        for key in answers(sections.get(f"Exercise {exercise}", "")):
            value = str(values[key])
            if telling(value):
                assert value not in above, f"{number}, exercise {exercise}: {key} = {value!r}"
    assert "**Solution" not in "".join(c.source + _outputs(c) for c in nb.cells)


def test_the_check_finds_an_answer_printed_above_its_question():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("In 2019, 1,047 people arrived."),
                nbformat.v4.new_markdown_cell("**Exercise 1.** How many arrived in 2019?")]
    ((exercise, above),) = exercises_with_text_above(nb)
    assert exercise == "1" and "1,047" in above and telling("1,047") and not telling("2019")
    assert answers("In **{year}**, **{n} people** came; {other} is not the answer.") == [
        "year", "n"]


def test_solution_values_are_computed_once_and_again_when_the_data_changes(tmp_path,
                                                                           monkeypatch):
    """A teacher edition asks for its values a dozen times: they are computed once, and
    again as soon as a byte of the data package changes (a kernel that outlives an edit
    shows today's figures)."""
    import shutil

    from beyond_utopia import data
    from beyond_utopia.topics import arrivals

    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    calls = []
    compute = arrivals.solution_values
    monkeypatch.setattr(arrivals, "solution_values", lambda: calls.append(1) or compute())
    first = classroom.solution_values("03")
    first["peak"] = "changed by the caller"
    again = classroom.solution_values("03")
    assert len(calls) == 1 and again["peak"] != "changed by the caller"
    table = folder / "arrivals.csv"
    text = table.read_text(encoding="utf-8")
    assert "\n2021,40,23,63," in text
    table.write_text(text.replace("\n2021,40,23,63,", "\n2021,40,24,64,"), encoding="utf-8")
    changed = classroom.solution_values("03")
    assert len(calls) == 2
    assert (again["low"], changed["low"]) == ("63", "64")
