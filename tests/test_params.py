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


# ---------------------------------------------------------------------------
# periods follow the data; long bad values are quoted short
# ---------------------------------------------------------------------------


def test_year_range_none_means_the_datas_own_first_and_last_year():
    assert params.year_range("s", None, "e", None, 1998, 2026) == (1998, 2026)
    assert params.year_range("s", 2010, "e", None, 1998, 2026) == (2010, 2026)
    assert params.year_range("s", None, "e", 2000, 1998, 2026) == (1998, 2000)
    with pytest.raises(ParameterError, match="start_year must not be after end_year"):
        params.year_range("start_year", 2020, "end_year", 2019, 1998, 2026)
    with pytest.raises(ParameterError, match="or None for the latest in the data"):
        params.year_range("start_year", 2000, "end_year", "2020", 1998, 2026)


def test_year_and_span():
    import pandas as pd

    assert params.span(pd.Series([2003, None, 1998, 2026], dtype="Int64")) == (1998, 2026)
    assert params.span([2001.0, float("nan")]) == (2001, 2001)
    assert params.year("y", None, 1998, 2026) == 2026
    assert params.year("y", None, 1998, 2026, default=1998) == 1998
    assert params.year("y", 2001, 1998, 2026) == 2001
    for bad, words in ((1990, "the data cover 1998 to 2026"), ("2001", "whole year"),
                       (True, "whole year")):
        with pytest.raises(ParameterError, match=words):
            params.year("y", bad, 1998, 2026)


def test_a_period_default_follows_a_year_added_to_the_table(data_copy):
    from beyond_utopia.topics import arrivals

    frame = arrivals.table()
    first, last = arrivals.check_period(frame, None, None)
    data_copy.append("arrivals.csv", {"year": str(last + 1), "male": "20", "female": "200",
                                      "total": "220", "source_id": "mou-cn-stats"})
    frame = arrivals.table()
    assert arrivals.check_period(frame, None, None) == (first, last + 1)


@pytest.mark.parametrize("check", [
    lambda v: params.edition(v),
    lambda v: params.choice("unit", v, ("km", "miles")),
    lambda v: params.choices("actors", [v, "China"], ["China"]),
    lambda v: params.choices("actors", v, ["China"]),
    lambda v: params.flag("show", v),
    lambda v: params.year_range("start_year", v, "end_year", 2020, 1998, 2025),
    lambda v: params.number("x", v, 0, 5),
], ids=["edition", "choice", "choices-item", "choices", "flag", "year_range", "number"])
def test_a_huge_bad_value_is_quoted_in_at_most_about_80_characters(check):
    huge = "x" * 5_000_000
    with pytest.raises(ParameterError) as info:
        check(huge)
    message = str(info.value)
    assert len(message) < 400, len(message)
    assert "5,000,000 characters" in message or "(2 items)" in message


def test_quote_keeps_short_values_whole():
    from beyond_utopia.errors import quote

    assert quote("principal") == "'principal'"
    assert quote([1, 2]) == "[1, 2]"
    long = quote(list(range(10_000)))
    assert len(long) < 120 and long.endswith("(10,000 items)")
