"""Student and teacher editions.

Every notebook has an ``edition`` parameter. The stored notebooks are the student
edition: exercises without solutions. Papermill runs the same files with
``edition="teacher"`` to add the solutions and teaching notes. Their prose lives in
``teacher/NN.md`` (one ``## `` section per exercise, plus ``## Notes``); the numbers in
it are placeholders (``{peak_year}``) filled from the data by the notebook's topic
module (its ``solution_values()``), so a teacher's answer is always today's figure.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from beyond_utopia import catalogue, data, params
from beyond_utopia.formats import esc_text
from beyond_utopia.paths import TEACHER_DIR

STUDENT_NOTE = "*Solutions are in the teacher edition of this notebook.*"


@cache
def _sections(number: str) -> dict[str, str]:
    path = TEACHER_DIR / f"{number}.md"
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts), 2)}


def section(number: str, name: str, values: dict | None = None) -> str:
    """One section of a notebook's teacher notes, with its placeholders filled."""
    sections = _sections(number)
    if name not in sections:
        raise KeyError(f"teacher/{number}.md has no section '## {name}'; "
                       f"it has: {', '.join(sections)}")
    text = sections[name]
    if not values:
        return text
    # values quote the tables (titles, names): escaped, so markup in a table is text
    return text.format(**{k: esc_text(v) if isinstance(v, str) else v
                          for k, v in values.items()})


@lru_cache(maxsize=32)
def _values(number: str, package: tuple) -> dict:
    fn = getattr(catalogue.entry(number).module(), "solution_values", None)
    return fn() if fn else {}


def solution_values(number: str) -> dict:
    """The numbers notebook ``number``'s teacher notes quote, from its topic module:
    computed once per data package (``data.package_stamp``), not for each of the dozen
    solutions and notes of a teacher edition that quote them."""
    return dict(_values(number, data.package_stamp()))


def _display(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def solution(edition: str, number: str, exercise: int) -> None:
    """Show exercise ``exercise``'s solution in the teacher edition; a pointer otherwise."""
    params.edition(edition)
    if edition != "teacher":
        _display(STUDENT_NOTE)
        return
    values = solution_values(number)
    _display(f"**Solution {exercise}.** " + section(number, f"Exercise {exercise}", values))


def notes(edition: str, number: str, name: str) -> None:
    """The teacher notes for one section of a notebook (``## Section 1`` in
    ``teacher/NN.md``: objectives, minutes, likely misconceptions, answers), shown beside
    that section in the teacher edition; nothing at all in the student edition."""
    params.edition(edition)
    if edition != "teacher":
        return
    _display("> **For the teacher.** " + section(number, name, solution_values(number))
             .replace("\n", "\n> "))


def teacher_notes(edition: str, number: str) -> None:
    """Show the teaching notes (time, objectives, handling the content, answers to the
    discussion questions) in the teacher edition; nothing in the student edition."""
    params.edition(edition)
    if edition != "teacher":
        return
    _display("### Teaching notes\n\n" + section(number, "Notes", solution_values(number)))

