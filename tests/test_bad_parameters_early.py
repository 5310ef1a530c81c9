"""Bad parameters for notebooks 00, 01, 02, through papermill."""

from __future__ import annotations

import pytest

from .bad_parameters import BAD_RUNS, check_bad_run

CASES = [c for c in BAD_RUNS if c[0] in ('00', '01', '02')]


@pytest.mark.notebooks
@pytest.mark.parametrize("number,parameters,name,words", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_parameters_stop_at_once_with_a_clear_message(number, parameters, name, words,
                                                          tmp_path):
    check_bad_run(number, parameters, name, words, tmp_path)
