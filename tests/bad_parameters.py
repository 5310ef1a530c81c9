"""Bad parameter values, at least ten per notebook, and the check they all go through.

Split over two test files so that parallel workers share the work.
"""

from __future__ import annotations

import pytest

from tools import build, kernels

#: Bad parameter values: (notebook, parameters, the parameter named, words of the message).
BAD_RUNS = [
    # 00: its one parameter, in every wrong shape
    ("00", {"edition": "principal"}, "edition", "'student', 'teacher'"),
    ("00", {"edition": "Student"}, "edition", "'student', 'teacher'"),
    ("00", {"edition": "STUDENT"}, "edition", "'student', 'teacher'"),
    ("00", {"edition": "student "}, "edition", "'student', 'teacher'"),
    ("00", {"edition": ""}, "edition", "'student', 'teacher'"),
    ("00", {"edition": None}, "edition", "'student', 'teacher'"),
    ("00", {"edition": 1}, "edition", "'student', 'teacher'"),
    ("00", {"edition": True}, "edition", "'student', 'teacher'"),
    ("00", {"edition": ["student"]}, "edition", "'student', 'teacher'"),
    ("00", {"edition": "teachers"}, "edition", "'student', 'teacher'"),
    # 01
    ("01", {"milestone_kinds": ["premiere"]}, "milestone_kinds", "'festival', 'award'"),
    ("01", {"milestone_kinds": ["Award"]}, "milestone_kinds", "'festival', 'award'"),
    ("01", {"milestone_kinds": "award"}, "milestone_kinds", "give a list"),
    ("01", {"milestone_kinds": []}, "milestone_kinds", "empty"),
    ("01", {"milestone_kinds": [1]}, "milestone_kinds", "'festival', 'award'"),
    ("01", {"show_conflicts": 1}, "show_conflicts", "True, False"),
    ("01", {"show_conflicts": "yes"}, "show_conflicts", "True, False"),
    ("01", {"show_conflicts": None}, "show_conflicts", "True, False"),
    ("01", {"edition": None}, "edition", "'student', 'teacher'"),
    ("01", {"edition": "Teacher"}, "edition", "'student', 'teacher'"),
    # 02
    ("02", {"unit": "kilometres"}, "unit", "'km', 'miles'"),
    ("02", {"unit": "KM"}, "unit", "'km', 'miles'"),
    ("02", {"unit": None}, "unit", "'km', 'miles'"),
    ("02", {"unit": 5}, "unit", "'km', 'miles'"),
    ("02", {"highlight_legs": [1]}, "highlight_legs", "from 2 to 8"),
    ("02", {"highlight_legs": [9]}, "highlight_legs", "from 2 to 8"),
    ("02", {"highlight_legs": 3}, "highlight_legs", "give a list"),
    ("02", {"highlight_legs": ["3"]}, "highlight_legs", "give a list"),
    ("02", {"highlight_legs": [True]}, "highlight_legs", "give a list"),
    ("02", {"edition": "teachers"}, "edition", "'student', 'teacher'"),
    # 03
    ("03", {"edition": "Teacher"}, "edition", "'student', 'teacher'"),
    ("03", {"breakdown": "gender"}, "breakdown", "'total', 'sex', 'share'"),
    ("03", {"start_year": 1990}, "start_year", "1998 to 2025"),
    ("03", {"end_year": 2030}, "end_year", "1998 to 2025"),
    ("03", {"start_year": 2020, "end_year": 2010}, "start_year", "must not be after end_year"),
    ("03", {"start_year": "2010"}, "start_year", "whole year"),
    ("03", {"turning_points": "yes"}, "turning_points", "True, False"),
    ("03", {"event_categories": ["weather"]}, "event_categories", "'repatriation'"),
    ("03", {"event_categories": "border"}, "event_categories", "give a list"),
    ("03", {"end_year": 2020.5}, "end_year", "whole year"),
    # 04
    ("04", {"actors": ["Atlantis"]}, "actors", "'China', 'North Korea'"),
    ("04", {"actors": "China"}, "actors", "give a list"),
    ("04", {"actors": []}, "actors", "empty"),
    ("04", {"categories": ["rumour"]}, "categories", "'agreement', 'border'"),
    ("04", {"categories": "agreement"}, "categories", "give a list"),
    ("04", {"start_year": 1900}, "start_year", "the data cover 1957 to"),
    ("04", {"start_year": "1990"}, "start_year", "whole year"),
    ("04", {"end_year": 1950}, "end_year", "the data cover 1957 to"),
    ("04", {"actors": ["Japan"], "categories": ["film"]}, "actors", "no event in 1957–"),
    ("04", {"edition": "student edition"}, "edition", "'student', 'teacher'"),
    # 05
    ("05", {"edition": "Teacher"}, "edition", "'student', 'teacher'"),
    ("05", {"start_year": 1990}, "start_year", "2002 to 2025"),
    ("05", {"end_year": 2030}, "end_year", "2002 to 2025"),
    ("05", {"start_year": "2010"}, "start_year", "whole year"),
    ("05", {"end_year": 2020.0}, "end_year", "whole year"),
    ("05", {"start_year": 2020, "end_year": 2010}, "start_year", "must not be after end_year"),
    ("05", {"include_anonymous": "yes"}, "include_anonymous", "True, False"),
    ("05", {"include_anonymous": None}, "include_anonymous", "True, False"),
    ("05", {"include_anonymous": "False"}, "include_anonymous", "True, False"),
    ("05", {"end_year": "2020"}, "end_year", "whole year"),
    # 06
    ("06", {"body": "Security Council"}, "body", "'General Assembly', 'Third Committee'"),
    ("06", {"body": "general assembly"}, "body", "'General Assembly', 'Third Committee'"),
    ("06", {"body": None}, "body", "'General Assembly', 'Third Committee'"),
    ("06", {"start_year": 2099}, "start_year", "the data cover 2005 to"),
    ("06", {"start_year": 2004.0}, "start_year", "whole year"),
    ("06", {"end_year": 2004}, "end_year", "the data cover 2005 to"),
    ("06", {"end_year": "latest"}, "end_year", "whole year"),
    ("06", {"start_year": 2020, "end_year": 2010}, "start_year", "must not be after end_year"),
    ("06", {"edition": "t"}, "edition", "'student', 'teacher'"),
    ("06", {"edition": 0}, "edition", "'student', 'teacher'"),
    # 07
    ("07", {"return_date": "2023-10-9"}, "return_date", "'2023-10-09'"),
    ("07", {"return_date": "9 October 2023"}, "return_date", "'2023-10-09'"),
    ("07", {"return_date": 2023}, "return_date", "'2023-10-09'"),
    ("07", {"return_date": ["2023-10-09"]}, "return_date", "'2023-10-09'"),
    ("07", {"return_date": "1999-01-01"}, "return_date", "'2023-10-09'"),
    ("07", {"unit": "kilometres"}, "unit", "'km', 'miles'"),
    ("07", {"unit": "KM"}, "unit", "'km', 'miles'"),
    ("07", {"unit": None}, "unit", "'km', 'miles'"),
    ("07", {"edition": "teachers"}, "edition", "'student', 'teacher'"),
    ("07", {"edition": None}, "edition", "'student', 'teacher'"),
    # 08
    ("08", {"show_proposed": 1}, "show_proposed", "True, False"),
    ("08", {"show_proposed": 0}, "show_proposed", "True, False"),
    ("08", {"show_proposed": "False"}, "show_proposed", "True, False"),
    ("08", {"show_proposed": "yes"}, "show_proposed", "True, False"),
    ("08", {"show_proposed": None}, "show_proposed", "True, False"),
    ("08", {"show_proposed": [True]}, "show_proposed", "True, False"),
    ("08", {"edition": "Student"}, "edition", "'student', 'teacher'"),
    ("08", {"edition": "teacher "}, "edition", "'student', 'teacher'"),
    ("08", {"edition": None}, "edition", "'student', 'teacher'"),
    ("08", {"edition": ["teacher"]}, "edition", "'student', 'teacher'"),
]




def check_bad_run(number: str, parameters: dict, name: str, words: str, tmp_path) -> None:
    """Through papermill: the run stops in the setup cell with a message naming the
    parameter and the allowed values, and leaves the target as it was (the last good
    file)."""
    import papermill as pm

    source = {p.name[:2]: p for p in build.notebook_paths()}[number]
    target = tmp_path / source.name
    target.write_text("the last good file", encoding="utf-8")
    with pytest.raises(pm.PapermillExecutionError) as info:
        build.execute(source, target, parameters)
    err = info.value
    assert err.ename == "ParameterError", err.evalue
    assert f"parameter '{name}'" in err.evalue and words in err.evalue, err.evalue
    assert err.exec_count <= 3  # the setup cell after the parameters: no chart was built
    # a failed run never writes its target
    assert target.read_text(encoding="utf-8") == "the last good file"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # and leaves nothing beside


def start_kernel() -> tuple:
    """A kernel in the notebooks' folder, as the builds start one: (manager, client)."""
    km, kc = kernels.start_kernel(build.KERNEL, what="bad parameters",
                                  cwd=str(build.notebook_paths()[0].parent))
    # the checks read the error's name and message; a one-line traceback costs the kernel
    # half as much as a full one (papermill's runs keep the full one)
    kc.execute_interactive("%xmode Minimal", timeout=60)
    return km, kc


class SetupRunner:
    """Runs in a kernel, for each bad value, exactly what papermill runs before the first
    chart: the parameters cell, papermill's injected assignments (written by papermill's
    own translator) and the setup cell. A fresh namespace each time (``%reset -f``); the
    notebooks of one test file share one kernel, as the values of one notebook do."""

    def __init__(self, number: str, kernel: tuple):
        import nbformat

        path = {p.name[:2]: p for p in build.notebook_paths()}[number]
        nb = nbformat.read(path, as_version=4)
        index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get(
            "tags", []))
        self.parameters_cell = nb.cells[index].source
        self.setup_cell = next(c.source for c in nb.cells[index + 1:] if c.cell_type == "code")
        assert path.parent == build.notebook_paths()[0].parent  # the kernel's folder
        self.km, self.kc = kernel

    def run(self, code: str) -> dict | None:
        """Run ``code``; return the error's ename/evalue, or None."""
        error: dict = {}

        def hook(msg: dict) -> None:
            if msg["msg_type"] == "error":
                error.update(ename=msg["content"]["ename"], evalue=msg["content"]["evalue"])

        self.kc.execute_interactive(code, output_hook=hook, timeout=120)
        return error or None

    def check(self, parameters: dict, name: str, words: str) -> None:
        from papermill.translators import PythonTranslator

        # a fresh namespace, the parameters cell and papermill's injected assignments, in
        # the order papermill runs them (one request: what runs is the same)
        assert self.run("\n".join(("%reset -f", self.parameters_cell,
                                    PythonTranslator.codify(parameters)))) is None
        err = self.run(self.setup_cell)
        assert err is not None, f"{parameters} ran the setup cell without an error"
        assert err["ename"] == "ParameterError", err
        assert f"parameter '{name}'" in err["evalue"] and words in err["evalue"], err

def make_test(numbers: tuple[str, ...]):
    """Tests over the bad values of the given notebooks (one test file per group, so that
    parallel workers share them): each notebook's first bad value goes through papermill
    end to end; every bad value goes through the same cells in one kernel for the file."""
    cases = [c for c in BAD_RUNS if c[0] in numbers]
    firsts = [next(c for c in cases if c[0] == n) for n in numbers if any(c[0] == n
                                                                          for c in cases)]

    @pytest.fixture(scope="module")
    def runners():
        made: dict[str, SetupRunner] = {}
        kernel: list[tuple] = []

        def runner(number: str) -> SetupRunner:
            # one kernel for the file, started on first use (a kernel per bad value, as
            # ``made.setdefault(number, SetupRunner(number))`` started, cost 80 starts)
            if not kernel:
                kernel.append(start_kernel())
            if number not in made:
                made[number] = SetupRunner(number, kernel[0])
            return made[number]

        yield runner
        for km, kc in kernel:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    @pytest.mark.notebooks
    @pytest.mark.parametrize("number,parameters,name,words", firsts,
                             ids=[c[0] for c in firsts])
    def test_a_bad_parameter_stops_papermill_in_the_setup_cell(number, parameters, name,
                                                               words, tmp_path):
        check_bad_run(number, parameters, name, words, tmp_path)

    @pytest.mark.notebooks
    @pytest.mark.parametrize("number,parameters,name,words", cases,
                             ids=[f"{c[0]}-{i}" for i, c in enumerate(cases)])
    def test_bad_parameters_stop_at_once_with_a_clear_message(number, parameters, name,
                                                              words, runners):
        runners(number).check(parameters, name, words)

    return runners, test_a_bad_parameter_stops_papermill_in_the_setup_cell, \
        test_bad_parameters_stop_at_once_with_a_clear_message
