"""Notebook 07's topic: the grading sheets, the parameter checks and the teacher's key.

The data will change (sources replaced, rows added), so these tests check rules against
small made-up tables and relations against the real ones, never today's counts.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from beyond_utopia import classroom, data, formats
from beyond_utopia.errors import ParameterError
from beyond_utopia.paths import NOTEBOOK_DIR, ROOT
from beyond_utopia.topics import evidence

SOURCES = pd.DataFrame({
    "source_id": ["a", "b", "c"], "publisher": ["Outlet A", "Outlet B", "Outlet <C>"],
    "published": ["2023-10-12", None, "2023-10"], "kind": ["news", "NGO report", "news"]})


def fake_returns() -> pd.DataFrame:
    return pd.DataFrame({
        "date": ["2023-10-09", "2023-10-09", "2023-10-09", "2023-10", "2024-04-26"],
        "low": pd.array([500, 600, None, 90, 60], dtype="Int64"),
        "high": pd.array([None, 600, 600, 90, 60], dtype="Int64"),
        "reported_by": ["Group X (via Outlet A)", "Group Y and Group X, via Outlet B",
                        "Group <b>Z</b> citing a pastor", "Group W", "Group V"],
        "description": ["'more than 500'", "'600'", "'as many as 600'", "'90'", "'60'"],
        "source_id": ["a", "b", "c", "a", "b"]})


@pytest.mark.parametrize("text,expected", [
    ("Human Rights Watch (via International IDEA)", "Human Rights Watch"),
    ("Human Rights Watch (citing missionary Stephen Kim), via UCA News", "Human Rights Watch"),
    ("Justice for North Korea (NGO), via Yonhap", "Justice for North Korea"),
    ("Radio Free Asia citing a missionary organization (via NK Insider)", "Radio Free Asia"),
    ("Human Rights Foundation", "Human Rights Foundation"),
])
def test_speaker_drops_the_outlet(text, expected):
    assert evidence.speaker(text) == expected


def test_organisations_and_independent_groups():
    assert evidence.organisations("A and B (via C)") == ["A", "B"]
    assert evidence.organisations("A + B report (via C)") == ["A", "B report"]
    reports = pd.DataFrame({"#": [1, 2, 3, 4], "reported_by": [
        "Group X (via Outlet A)", "Group Y and Group X, via Outlet B", "Group Z", "Group Y"]})
    # 1 and 2 share Group X, 2 and 4 share Group Y: one chain of three
    assert evidence.independent_groups(reports) == [[1, 2, 4], [3]]


def test_dates_and_gaps():
    assert evidence.date_text("2023-10-09") == "9 October 2023"
    assert evidence.date_text("2023-10-09", "%b") == "9 Oct 2023"
    assert evidence.date_text("2024-04") == "April 2024"
    assert evidence.date_text("2023") == "2023"
    assert evidence.days_after("2023-10-09", "2023-10-16") == 7
    assert evidence.days_after("2023-10-09", "2023-10") is None
    assert evidence.days_after("2023-10-09", None) is None


def test_units():
    assert evidence.to_km(1, "miles") == pytest.approx(1.609344)
    assert evidence.to_km(5, "km") == 5
    assert evidence.check_unit("miles") == "miles"
    for bad in ("mi", "KM", None, 5):
        with pytest.raises(ParameterError, match="parameter 'unit'.*'km', 'miles'"):
            evidence.check_unit(bad)


def test_return_date_defaults_to_the_most_reported_and_rejects_the_rest():
    returns = fake_returns()
    assert evidence.compared_returns(returns) == ["2023-10-09"]
    assert evidence.check_return_date(returns, None) == "2023-10-09"
    assert evidence.check_return_date(returns, "2023-10-09") == "2023-10-09"
    with pytest.raises(ParameterError, match="only one report gives that return"):
        evidence.check_return_date(returns, "2024-04-26")
    for bad in ("2023-10-9", "9 October 2023", 2023, ["2023-10-09"]):
        with pytest.raises(ParameterError, match="parameter 'return_date'.*'2023-10-09'"):
            evidence.check_return_date(returns, bad)
    with pytest.raises(ParameterError, match="no return has two reports"):
        evidence.check_return_date(returns[returns["date"] != "2023-10-09"], None)


def test_return_reports_sheet_and_chart():
    reports = evidence.return_reports(fake_returns(), SOURCES, "2023-10-09")
    # the three reports of the day, by figure, then the one dated only to the month
    assert list(reports["#"]) == [1, 2, 3, 4]
    assert reports["number"][0] == "more than 500" and reports["number"][3] == "90"
    assert sorted(reports["number"][1:3]) == ["600", "as many as 600"]
    assert list(reports["exact"]) == [True, True, True, False]
    assert reports["where"][0] == "Outlet A · news · 12 October 2023 (3 days after)"
    assert reports["where"][3] == "Outlet A · news · 12 October 2023 (3 days after)"
    assert "· no date shown" in " ".join(reports["where"])
    sheet = evidence.returns_sheet(reports)
    assert list(sheet.columns)[-1] == evidence.SCORES
    assert "[dated October 2023 only]" in sheet["reported by"][3]
    chart = evidence.returns_chart(reports, "2023-10-09")
    title = chart.figure.layout.title.text
    assert title == "9 Oct 2023: reports give 500–600 people"
    assert len(title) <= 45  # fits a phone
    assert "(dated only to the month)" in chart.description
    # markup in a table is shown as text wherever it is drawn
    assert "<b>Z" not in str(chart.figure.to_dict())
    assert "Outlet <C> · news · October 2023" in " ".join(reports["where"])  # escaped later


def test_lengths_convert_and_keep_the_film_first():
    distances = pd.DataFrame({
        "scope": ["the general route", "the film's journey", "the film's journey"],
        "qualifier": ["about", None, "nearly"], "value": [2700.0, 1000.0, 4000.0],
        "unit": ["miles", "miles", "km"], "stretch": ["s1", "s2", "s3"],
        "source_id": ["a", "b", "c"]})
    rows = evidence.route_lengths(distances, SOURCES, "km")
    assert list(rows["scope"]) == ["the film's journey"] * 2 + ["the general route"]
    assert list(rows["km"]) == [1000 * evidence.KM_PER_MILE, 4000,
                                2700 * evidence.KM_PER_MILE]
    assert list(rows["as quoted"]) == ["1,000 miles", "nearly 4,000 km", "about 2,700 miles"]
    chart = evidence.lengths_chart(rows, "km")
    assert html.unescape(chart.figure.layout.title.text) == \
        "Film's journey: quoted as 1,609–4,000 km"
    miles = evidence.route_lengths(distances, SOURCES, "miles")
    assert list(miles["length"]) == [1000, round(4000 / evidence.KM_PER_MILE), 2700]
    assert list(rows["length"]) == [1609, 4000, 4345]


def test_sheets_on_the_real_data_have_a_row_per_source_row():
    sources = data.load("sources")
    returns = data.load("returns")
    date = evidence.check_return_date(returns, None)
    reports = evidence.return_reports(returns, sources, date)
    assert (reports["date"] == date).sum() == (returns["date"] == date).sum()
    facts = data.load("film_facts")
    assert len(evidence.runtimes_sheet(evidence.runtimes(facts, sources))) == \
        (facts["topic"] == "runtime").sum()
    claims = data.load("claims")
    sheet = evidence.claims_sheet(claims, sources)
    assert len(sheet) == len(claims)
    # the student's sheet never shows the collection's verdict
    assert "verdict" not in " ".join(sheet.columns).replace("your verdict", "")
    used = evidence.kinds_used([reports, claims], sources)
    assert list(used.index) == evidence._enum("sources", "kind")
    assert used.sum() == len(reports) + len(claims)


def test_summaries_agree_with_the_table():
    returns = data.load("returns")
    summary = evidence.return_summary(returns)
    for _, row in summary.iterrows():
        group = returns[returns["date"] == row["date"]]
        assert row["reports"] == len(group) >= 2
        assert (row["lowest"], row["highest"]) == formats.value_range(group)
        assert 1 <= row["independent groups"] <= row["reports"]
    scores = evidence.article_scores(data.load("claims"), data.load("sources"))
    assert scores["statements"].sum() == len(data.load("claims"))
    assert list(scores["share (%)"]) == sorted(scores["share (%)"], reverse=True)


def test_the_teacher_solution_code_for_exercise_5_gives_the_summary():
    """The code printed in teacher/07.md, exercise 5, runs and agrees with the key."""
    text = classroom.section("07", "Exercise 5", classroom.solution_values("07"))
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope = {"data": data, "evidence": evidence}
    exec(code, scope)  # noqa: S102 - our own teacher notes
    by_date = scope["by_date"]
    summary = evidence.return_summary(data.load("returns")).set_index("date")
    assert sorted(by_date.index) == sorted(summary.index)
    for date, row in by_date.iterrows():
        assert row["lowest"] == summary.loc[date, "lowest"]
        assert row["highest"] == summary.loc[date, "highest"]


def test_every_placeholder_of_the_teacher_notes_is_filled():
    values = classroom.solution_values("07")
    notes = (ROOT / "teacher" / "07.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\{(\w+)\}", notes)) == set(values)
    for name in ("Section 1", "Section 2", "Section 3", "Section 4", "Section 5",
                 *(f"Exercise {k}" for k in range(1, 8)), "Notes"):
        assert "{" not in classroom.section("07", name, values)


def _student_text() -> list[tuple[str, str]]:
    import nbformat

    nb = nbformat.read(NOTEBOOK_DIR / "07-weighing-the-evidence.ipynb", as_version=4)
    cells = []
    for cell in nb.cells:
        text = cell.source if cell.cell_type == "markdown" else ""
        for out in cell.get("outputs", []):
            text += "\n" + "\n".join(v for v in out.get("data", {}).values()
                                     if isinstance(v, str))
        cells.append((cell.source, text))
    return cells


def test_the_student_edition_prints_no_answer_above_its_question():
    """The collection's verdicts, the exercise 5 and 6 results and the model sentences
    appear nowhere in the stored student edition."""
    values = classroom.solution_values("07")
    text = "\n".join(t for _, t in _student_text())
    verdict_cell = "|".join(map(re.escape, evidence.verdicts()))
    assert not re.search(rf"<td>({verdict_cell})</td>", text)
    assert "your verdict" in text
    assert "independent groups" not in text
    assert values["widest_ratio"] + " times" not in text
    assert "**Solution" not in text and "For the teacher" not in text


def test_the_notebook_marks_its_paper_tasks_and_key_charts():
    import nbformat

    nb = nbformat.read(NOTEBOOK_DIR / "07-weighing-the-evidence.ipynb", as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    sheets = [t for t in tags if "grading-sheet" in t]
    assert len(sheets) == 4 and all("exercise-no-code" in t for t in sheets)
    assert sum("key-chart" in t for t in tags) == 2
    assert sum("exercise-no-code" in t and "grading-sheet" not in t for t in tags) == 4
    for cell, t in zip(nb.cells, tags, strict=True):
        if "hide-input" in t:
            assert cell.metadata["jupyter"]["source_hidden"] is True


GLOSSARY_IDS = ("refoulement", "non-refoulement", "sur-place", "asylum", "plenary",
                "third-committee", "recorded-vote", "without-a-vote", "hanawon", "broker",
                "defector", "log-scale", "forced-repatriation", "commission-of-inquiry", "upr",
                "political-prison-camp")


def test_the_glossary_defines_the_linked_terms_and_cites_real_sources():
    text = (NOTEBOOK_DIR / "glossary.md").read_text(encoding="utf-8")
    ids = re.findall(r'<a id="([a-z-]+)"></a>\n### ', text)
    assert len(ids) == len(set(ids)) >= 12
    assert set(GLOSSARY_IDS) <= set(ids)
    for target in re.findall(r"\]\(#([a-z-]+)\)", text):
        assert target in ids, target
    known = set(data.load("sources")["source_id"])
    cited = set(re.findall(r"`([a-z0-9][a-z0-9-]*-[a-z0-9-]+)`", text)) - {"broker_fees"}
    assert cited and cited <= known, cited - known
    # every entry has a definition of its own, not just a heading
    for block in re.split(r'<a id="[a-z-]+"></a>\n', text)[1:]:
        assert len(block.split("\n", 1)[1].strip()) > 60


def test_notebook_07_links_resolve_in_the_glossary():
    text = (NOTEBOOK_DIR / "glossary.md").read_text(encoding="utf-8")
    ids = set(re.findall(r'<a id="([a-z-]+)"></a>', text))
    for source, _ in _student_text():
        for target in re.findall(r"glossary\.md#([a-z-]+)", source):
            assert target in ids, target


def test_the_guide_carries_the_rubric_the_standards_and_every_notebook():
    from beyond_utopia import catalogue

    guide = (ROOT / "teacher" / "guide.md").read_text(encoding="utf-8")
    # the rubric in the guide is the notebook's, word for word
    for row in evidence.RUBRIC:
        assert "| " + " | ".join(row.values()) + " |" in guide, row["question"]
    # standards cited from their own texts, never through a secondary site
    assert "study.com" not in guide.lower() and "proactiveinstruction" not in guide
    for code in ("RH.9-10.2", "RH.11-12.7", "RH.11-12.8", "SL.11-12.2"):
        assert f"CCSS.ELA-Literacy.{code} |" in guide
    assert "thecorestandards.org" in guide and "socialstudies.org" in guide
    table = guide[guide.index("## The notebooks"):guide.index("## A 55-minute lesson")]
    for entry in catalogue.ENTRIES:
        assert f"| {entry.number} " in table, entry.number
    # in-page and glossary links resolve
    ids = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', guide))
    for target in re.findall(r"\]\(#([a-z0-9-]+)\)", guide):
        assert target in ids, target
    glossary = (NOTEBOOK_DIR / "glossary.md").read_text(encoding="utf-8")
    for target in re.findall(r"glossary\.md#([a-z-]+)", guide):
        assert f'<a id="{target}"></a>' in glossary, target
