"""Parameter checks name the parameter and the values it allows."""

from __future__ import annotations

import pytest

from beyond_utopia import params
from beyond_utopia.errors import ParameterError


def test_choice_accepts_allowed_values_only():
    assert params.choice("breakdown", "sex", ("total", "sex")) == "sex"
    with pytest.raises(ParameterError, match=r"parameter 'breakdown' = 'Sex'.*'total', 'sex'"):
        params.choice("breakdown", "Sex", ("total", "sex"))


def test_choice_does_not_take_true_for_one():
    with pytest.raises(ParameterError):
        params.choice("n", True, (1, 2))


@pytest.mark.parametrize("value", ["student", "teacher"])
def test_edition(value):
    assert params.edition(value) == value


@pytest.mark.parametrize("value", ["Student", "", None, 1, "teachers"])
def test_bad_edition(value):
    with pytest.raises(ParameterError, match="parameter 'edition'.*'student', 'teacher'"):
        params.edition(value)


def test_choices():
    assert params.choices("c", None, ["a", "b"]) == ["a", "b"]
    assert params.choices("c", ["b", "b", "a"], ["a", "b"]) == ["b", "a"]
    with pytest.raises(ParameterError, match="unknown 'x'; allowed values: 'a', 'b'"):
        params.choices("c", ["a", "x"], ["a", "b"])
    with pytest.raises(ParameterError, match="give a list"):
        params.choices("c", "a", ["a", "b"])
    with pytest.raises(ParameterError, match="empty"):
        params.choices("c", [], ["a", "b"])


def test_flag():
    assert params.flag("f", False) is False
    for bad in ("True", 1, None):
        with pytest.raises(ParameterError, match="parameter 'f'.*True, False"):
            params.flag("f", bad)


@pytest.mark.parametrize("start,end,name,words", [
    (1997, 2000, "start_year", "1998 to 2025"),
    (2000, 2026, "end_year", "1998 to 2025"),
    (2010, 2009, "start_year", "must not be after end_year"),
    (2010.0, 2012, "start_year", "whole year"),
    ("2010", 2012, "start_year", "whole year"),
    (True, 2012, "start_year", "whole year"),
])
def test_year_range_rejects(start, end, name, words):
    with pytest.raises(ParameterError) as info:
        params.year_range("start_year", start, "end_year", end, 1998, 2025)
    assert info.value.name == name and words in str(info.value)


def test_year_range_edges():
    assert params.year_range("s", 1998, "e", 2025, 1998, 2025) == (1998, 2025)
    assert params.year_range("s", 2025, "e", 2025, 1998, 2025) == (2025, 2025)


def test_number():
    assert params.number("x", 2, 0, 5) == 2.0
    with pytest.raises(ParameterError, match="from 0 to 5"):
        params.number("x", 6, 0, 5)
