"""The data package: the real tables load, and every kind of fault gives one clear error."""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from beyond_utopia import data
from beyond_utopia.errors import DataError

from .conftest import DATA, DataCopy

TABLES = data.table_names()


def _rows(name: str) -> int:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_every_table_loads_and_every_row_has_a_known_source():
    counts = data.check_all()
    assert set(counts) == {r["name"] for r in json.loads((DATA / "datapackage.json")
                                                       .read_text())["resources"]}
    sources = set(data.load("sources")["source_id"])
    for name in TABLES:
        frame = data.load(name)
        assert len(frame) == counts[name] > 0
        if name != "sources":
            assert set(frame["source_id"]) <= sources, name


def test_every_csv_file_is_described_in_the_package():
    described = {r["path"] for r in data.descriptor()["resources"]}
    assert described == {p.name for p in DATA.glob("*.csv")}


def test_sources_are_cited_and_urls_unique():
    sources = data.load("sources")
    urls = sources["url"].dropna()
    assert urls.is_unique, sorted(urls[urls.duplicated()])
    cited = set()
    for name in TABLES:
        if name != "sources":
            cited |= set(data.load(name)["source_id"])
    cited |= set(data.load("claims")["article_id"])
    # every listed source is used by a row, except the English edition of a starting
    # article, which notebook 00 names (tests/test_sources.py checks this in full)
    uncited = set(sources["source_id"]) - cited
    assert not uncited, sorted(uncited)


def test_issue_interface_columns():
    """Column names that other people and checks rely on (VISION.md, data contract)."""
    assert list(data.load("arrivals").columns) == ["year", "male", "female", "total", "source_id"]
    assert list(data.load("timeline").columns) == [
        "date", "title", "actor", "category", "description", "source_id"]
    assert list(data.load("sources").columns) == [
        "source_id", "title", "publisher", "url", "published", "kind", "accessed", "read_at",
        "note"]


def test_timeline_has_at_least_forty_events_across_actors():
    tl = data.load("timeline")
    assert len(tl) >= 40
    assert {"China", "North Korea", "South Korea", "United Nations", "United States",
            "Japan"} <= set(tl["actor"])


def test_arrivals_keep_the_ministrys_grouped_rows():
    arr = data.load("arrivals")
    assert list(arr["year"][:3]) == ["..1998", "1999-2001", "2002"]
    assert (arr["male"] + arr["female"] == arr["total"]).all()


def test_loading_is_cached_but_notices_a_changed_file(data_copy: DataCopy):
    first = data.load("arrivals")
    assert data.load("arrivals") is not first  # a copy each time
    first.loc[0, "total"] = -1  # changing the copy does not change the cache
    assert data.load("arrivals").loc[0, "total"] != -1
    data_copy.edit("arrivals.csv", 3, "total", "1143")
    data_copy.edit("arrivals.csv", 3, "female", "633")
    assert data.load("arrivals").loc[2, "total"] == 1143


def test_a_byte_order_mark_is_accepted(data_copy: DataCopy):
    text = data_copy.path("arrivals.csv").read_text(encoding="utf-8")
    data_copy.write_text("arrivals.csv", "\ufeff" + text)
    assert len(data.load("arrivals")) == 26


# ---------------------------------------------------------------------------
# one case per kind of fault and table: (table, how to break it, row, field, words)
# ---------------------------------------------------------------------------

def _drop_column(column: str):
    def mutate(copy: DataCopy, name: str) -> None:
        rows = copy.rows(name)
        header = [h for h in rows[0] if h != column]
        copy.write_rows(name, [{k: r[k] for k in header} for r in rows], header)
    return mutate


def _add_column(column: str):
    def mutate(copy: DataCopy, name: str) -> None:
        rows = copy.rows(name)
        for r in rows:
            r[column] = "x"
        copy.write_rows(name, rows)
    return mutate


def _set(row: int, field: str, value: str):
    return lambda copy, name: copy.edit(name, row, field, value)


def _duplicate(row: int):
    def mutate(copy: DataCopy, name: str) -> None:
        rows = copy.rows(name)
        copy.write_rows(name, [*rows, dict(rows[row - 1])])
    return mutate


def _copy_value(row: int, from_row: int, field: str):
    def mutate(copy: DataCopy, name: str) -> None:
        copy.edit(name, row, field, copy.rows(name)[from_row - 1][field])
    return mutate


def _remove(copy: DataCopy, name: str) -> None:
    copy.path(name).unlink()


def _text(text: str, encoding: str = "utf-8"):
    return lambda copy, name: copy.write_text(name, text, encoding)


CASES = [
    # file-level faults
    ("arrivals.csv", _remove, None, None, "missing"),
    ("timeline.csv", _text(""), None, None, "empty"),
    ("cumulative.csv", _text("as_of,male,female,total,status,source_id\n"), None, None,
     "no rows"),
    ("arrivals.csv", _text("year;male;female;total;source_id\n2002;1;2;3;x\n"), None, None,
     "semicolons"),
    ("sources.csv", _text("source_id,title,publisher,url,published,accessed\n"
                          "a,Caf\xe9,P,https://e.org/x,,2026-01-01\n", "latin-1"), None, None,
     "UTF-8"),
    ("arrivals.csv", _text("year,male,female,total,source_id\n2002,1,2,3,x,extra\n"), 1,
     "source_id", "6 values"),
    ("arrivals.csv", _text("year,male,female,total,source_id\n2002,1,2\n"), 1, "total",
     "3 values"),
    # columns
    ("timeline.csv", _drop_column("actor"), None, "actor", "missing"),
    ("arrivals.csv", _drop_column("total"), None, "total", "missing"),
    ("sources.csv", _add_column("notes"), None, "notes", "does not describe"),
    # types
    ("arrivals.csv", _set(5, "male", "many"), 5, "male", "not a whole number"),
    ("arrivals.csv", _set(4, "total", "1,285"), 4, "total", "not a whole number"),
    ("cumulative.csv", _set(2, "as_of", "31/12/2013"), 2, "as_of", "YYYY-MM-DD"),
    ("sources.csv", _set(3, "accessed", "yesterday"), 3, "accessed", "YYYY-MM-DD"),
    # negative counts and sums
    ("arrivals.csv", _set(7, "male", "-3"), 7, "male", "negative"),
    ("cumulative.csv", _set(3, "total", "-1"), 3, "total", "negative"),
    ("arrivals.csv", _set(10, "total", "2915"), 10, "total", "= 2914, not 2915"),
    ("cumulative.csv", _set(5, "female", "24373"), 5, "total", "not 33882"),
    # dates and periods
    ("timeline.csv", _set(2, "date", "2023-13-01"), 2, "date", "month must be in 1..12"),
    ("timeline.csv", _set(3, "date", "09/10/2023"), 3, "date", "not a date"),
    ("timeline.csv", _set(4, "date", "2023-02-30"), 4, "date", "not a calendar date"),
    ("arrivals.csv", _set(2, "year", "2001-1999"), 2, "year", "forwards"),
    ("sources.csv", _set(6, "published", "March 2012"), 6, "published", "not a date"),
    # keys
    ("arrivals.csv", _duplicate(12), _rows("arrivals.csv") + 1, "year", "already used by row 12"),
    ("timeline.csv", _duplicate(8), _rows("timeline.csv") + 1, "date", "already used by row 8"),
    ("sources.csv", _copy_value(2, 1, "source_id"), 2, "source_id", "already used by row 1"),
    # foreign keys
    ("arrivals.csv", _set(9, "source_id", "no-such-source"), 9, "source_id",
     "not a source_id in sources.csv"),
    ("timeline.csv", _set(11, "source_id", "invented"), 11, "source_id", "not a source_id"),
    ("arrivals_reported.csv", _set(1, "source_id", "gone"), 1, "source_id", "not a source_id"),
    # constraints
    ("timeline.csv", _set(5, "actor", "Atlantis"), 5, "actor", "allowed values"),
    ("timeline.csv", _set(6, "category", "rumour"), 6, "category", "allowed values"),
    ("timeline.csv", _set(7, "title", ""), 7, "title", "required"),
    ("arrivals_reported.csv", _set(3, "status", "guess"), 3, "status", "allowed values"),
    ("sources.csv", _set(4, "url", "www.example.org/page"), 4, "url", "web address"),
    ("sources.csv", _set(5, "source_id", "Has Spaces"), 5, "source_id", "pattern"),
]


@pytest.mark.parametrize("name,mutate,row,field,words", CASES,
                         ids=[f"{c[0]}-{c[4]}-{i}" for i, c in enumerate(CASES)])
def test_bad_data_gives_one_clear_error(data_copy: DataCopy, name, mutate, row, field, words):
    mutate(data_copy, name)
    table = next(r["name"] for r in data.descriptor()["resources"] if r["path"] == name)
    with pytest.raises(DataError) as info:
        data.check_all() if table != "sources" else data.load(table)
    err = info.value
    message = str(err)
    assert message.startswith(name), message
    assert words in message, message
    if row is not None:
        assert err.row == row and f"row {row}" in message, message
    if field is not None:
        assert err.field == field and f"field '{field}'" in message, message
    # one sentence, not a traceback from deep inside pandas
    assert "\n" not in message and "Traceback" not in message
    assert info.value.__cause__ is None


def test_there_are_at_least_twenty_bad_data_cases():
    assert len(CASES) >= 20
    assert len({c[0] for c in CASES}) >= 5  # every table has some


def test_a_row_number_counts_lines_with_quoted_newlines(data_copy: DataCopy):
    rows = data_copy.rows("timeline.csv")
    rows[0]["description"] = "First line.\nSecond line."
    rows[2]["actor"] = "Nobody"
    data_copy.write_rows("timeline.csv", rows)
    with pytest.raises(DataError) as info:
        data.load("timeline")
    assert info.value.row == 3 and info.value.line == 5  # header + 2-line row + 1 row


def test_an_unknown_table_name_lists_the_tables():
    with pytest.raises(DataError, match="tables: sources, arrivals"):
        data.load("arival")


def test_a_broken_descriptor_is_reported(data_copy: DataCopy):
    data_copy.write_text("datapackage.json", '{"resources": [')
    with pytest.raises(DataError, match=r"datapackage.json.*not valid JSON"):
        data.load("arrivals")


def test_published_dates_have_the_precision_of_the_page():
    for value in data.load("sources")["published"].dropna():
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value)


def test_csv_files_are_plain_utf8_with_unix_newlines():
    for path in DATA.glob("*.csv"):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw, path.name
        with open(path, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in data.resource(path.stem)["schema"]["fields"]]


def test_the_data_readme_documents_every_table_and_column():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for res in data.descriptor()["resources"]:
        section = text.split(f"### `{res['path']}`", 1)
        assert len(section) == 2, f"data/README.md has no section for {res['path']}"
        body = section[1].split("\n### ", 1)[0]
        for f in res["schema"]["fields"]:
            assert f"`{f['name']}`" in body, f"{res['path']}: column {f['name']} undocumented"
        for f in res["schema"]["fields"]:
            for value in f.get("constraints", {}).get("enum", []):
                assert f"`{value}`" in body, f"{res['path']}: {f['name']} value {value}"


def test_the_data_states_the_date_it_runs_to(data_copy):
    import json

    assert data.runs_to() >= "2026-02"
    path = data_copy.path("datapackage.json")
    desc = json.loads(path.read_text())
    desc.pop("x-data-until")
    path.write_text(json.dumps(desc))
    with pytest.raises(DataError, match="x-data-until"):
        data.runs_to()


# ---------------------------------------------------------------------------
# errors an independent check found (issue 12): each stays fixed
# ---------------------------------------------------------------------------

def _row(frame, **kw):
    hits = frame
    for k, v in kw.items():
        hits = hits[hits[k] == v]
    assert len(hits) == 1, kw
    return hits.iloc[0]


def test_hconres109_was_introduced_and_referred_not_passed():
    row = _row(data.load("timeline"), date="2012-03-20")
    text = f"{row['title']} {row['description']}".lower()
    assert "introduced" in text and "referred" in text and "pass" not in text
    assert row["source_id"] == "govinfo-2012-hconres109"


def test_china_and_the_convention_against_torture():
    law = data.load("law")
    rows = law[law["topic"] == "China and the Convention against Torture"]
    ratified = _row(rows, date="1988-10-04")
    assert "ratified" in ratified["fact"] and "4 October 1988" in ratified["fact"]
    # no checked source gives the signature date (sources disagree): none is stated
    assert not rows["fact"].str.contains("signed").any()
    assert "3 November 1988" in _row(rows, date="1988-11-03")["fact"]


def test_a_dated_citation_in_a_description_matches_its_source():
    """'(Japan Times, 9 May 2002)' must cite the Japan Times of 9 May 2002."""
    sources = data.load("sources").set_index("source_id")
    months = {m: i for i, m in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"], start=1)}
    checked = 0
    for r in data.load("timeline").itertuples():
        for outlet, day, month, year in re.findall(
                r"\(([A-Z][\w .'-]+), (\d{1,2}) ([A-Z][a-z]+) (\d{4})\)", r.description):
            if month not in months:
                continue
            src = sources.loc[r.source_id]
            assert outlet.lower() in src["publisher"].lower(), (r.date, outlet)
            assert src["published"] == f"{year}-{months[month]:02d}-{int(day):02d}", r.date
            checked += 1
    assert checked >= 1


def test_crs_estimates_are_labelled_by_the_year_the_report_gives():
    est = data.load("china_estimates")
    crs = est[est["source_id"] == "crs-rl34189-2007-09-26"]
    state = crs[crs["estimator"].str.startswith("US State Department")]
    # the report dates the 30,000-50,000 estimate to 2006; its summary's 'currently'
    # is the same estimate, so it appears once
    assert sorted(zip(state["year"], state["low"], state["high"], strict=True)) == [
        (2000, 75000, 125000), (2006, 30000, 50000)]
    unhcr = crs[crs["estimator"].str.startswith("UNHCR")]
    assert len(unhcr) == 1
    assert unhcr["year"].iloc[0] == 2006 and "State Department" in unhcr["estimator"].iloc[0]
    assert (crs["year"] <= 2007).all()


def test_the_commission_of_inquiry_report_dates_agree():
    """Dated 7 February 2014 (the document), made public 17 February 2014."""
    law = data.load("law")
    report = _row(law, topic="Commission of Inquiry report")
    assert report["date"] == "2014-02-07" and "17 February 2014" in report["fact"]
    sources = data.load("sources").set_index("source_id")
    assert sources.loc[report["source_id"], "published"] == "2014-02-07"
    public = _row(data.load("timeline"), date="2014-02-17")
    assert "7 February 2014" in public["description"]
    assert sources.loc[public["source_id"], "url"].startswith("https://www.ohchr.org/")
    # and the Commission was set up on one day, the same in both tables
    setup = _row(law, topic="Commission of Inquiry set up")
    assert setup["date"] == "2013-03-21"
    assert (data.load("timeline")["date"] == "2013-03-21").sum() == 1


def test_cumulative_end_of_2017_was_announced_with_the_provisional_split():
    """The ministry's total for the end of 2017 (8,994 men, 22,345 women) differs by one
    from the summed table in each column: it was announced with the provisional 2017
    split (189 men, 938 women), which the ministry later changed to 188 and 939."""
    from beyond_utopia.topics import arrivals

    sums = arrivals.running_total(arrivals.table()).loc[2017]
    pub = _row(data.load("cumulative"), as_of=pd.Timestamp("2017-12-31"))
    rep = data.load("arrivals_reported")
    prov = _row(rep, year="2017", status="provisional")
    final = _row(rep, year="2017", status="final")
    assert pub["total"] == sums["total"]
    assert pub["male"] - sums["male"] == prov["male"] - final["male"] == 1
    assert pub["female"] - sums["female"] == prov["female"] - final["female"] == -1


def test_the_1957_cable_is_worded_as_the_cable_reads():
    row = _row(data.load("timeline"), date="1957-12-17")
    assert "Central Overseas Chinese Committee" in row["description"]
    assert "in principle" in row["description"]
    assert "agreement" not in row["description"].lower()  # point 1 of the cable, not this


def test_north_korean_human_rights_act_dates():
    tl = data.load("timeline")
    assert "passed" in _row(tl, date="2016-03-02")["description"]
    assert "entered into force" in _row(tl, date="2016-09-04")["description"]
    law = data.load("law")
    assert "14070" in _row(law, date="2016-03-03")["fact"]
    assert "4 September 2016" in _row(law, date="2016-09-04")["fact"]


def test_the_1986_protocol_is_not_given_the_1964_protocols_name():
    tl = data.load("timeline")
    row = _row(tl, date="1986")
    assert "Mutual Cooperation" not in row["title"] + row["description"]


def test_the_famine_is_dated_as_its_source_dates_it():
    famine = _row(data.load("eras"), name="Famine")
    assert (famine["start"], famine["end"]) == ("1994", "1998")
    row = _row(data.load("timeline"), date="1994")
    assert row["source_id"] == famine["source_id"] == "piie-2013-07-30"
    assert "peaked" not in row["description"]


def test_each_report_of_a_return_is_counted_once():
    returns = data.load("returns")
    assert not returns.duplicated(["date", "low", "high", "reported_by"]).any()
    april = returns[returns["date"].astype(str).str.startswith("2024-04")]
    assert (april["low"] == 60).sum() == 1  # Human Rights Watch's statement of 8 May 2024
    assert "via" not in " ".join(returns["reported_by"])


def test_claims_list_only_what_the_articles_are_shown_to_say():
    claims = data.load("claims")
    assert set(claims["seen_in_article"]) == {"yes"}


def test_returns_run_past_april_2024():
    returns = data.load("returns")
    assert (returns["date"].astype(str) >= "2024-05").any()
    assert data.runs_to() >= max(data.load("timeline")["date"])


# a descriptor of the wrong shape: one DataError naming datapackage.json
# ---------------------------------------------------------------------------

def _first_resource(change):
    def descriptor(original: dict) -> dict:
        change(original["resources"][0])
        return original
    return descriptor


BAD_DESCRIPTORS = [
    ("{}", lambda d: {}, "resources"),
    ("[]", lambda d: [], "JSON object"),
    ("null", lambda d: None, "JSON object"),
    ("a string", lambda d: "resources", "JSON object"),
    ("resources an object", lambda d: {**d, "resources": {"arrivals": {}}}, "a list"),
    ("resources empty", lambda d: {**d, "resources": []}, "empty"),
    ("resource a string", lambda d: {**d, "resources": ["arrivals.csv"]}, "must be an object"),
    ("no name", _first_resource(lambda r: r.pop("name")), "needs a \"name\""),
    ("no path", _first_resource(lambda r: r.pop("path")), "needs a \"path\""),
    ("path outside", _first_resource(lambda r: r.update(path="../secret.csv")), "\"path\""),
    ("no schema", _first_resource(lambda r: r.pop("schema")), "needs a \"schema\""),
    ("schema a list", _first_resource(lambda r: r.update(schema=[])), "\"schema\""),
    ("fields missing", _first_resource(lambda r: r["schema"].pop("fields")), "\"fields\""),
    ("field a string", _first_resource(lambda r: r["schema"].update(fields=["source_id"])),
     "field 1 must be an object"),
    ("twice", lambda d: {**d, "resources": [d["resources"][0], d["resources"][0]]},
     "used twice"),
    ("bad key", _first_resource(lambda r: r["schema"].update(primaryKey=["nope"])),
     "primary key"),
    ("bad reference", lambda d: {**d, "resources": d["resources"][1:]}, "not a resource"),
    ("bad row check", lambda d: _with_arrivals(d, lambda r: r["schema"]["x-rowChecks"][0]
                                              .update(equals="everyone")), "row check"),
]


def _with_arrivals(descriptor: dict, change) -> dict:
    change(next(r for r in descriptor["resources"] if r["name"] == "arrivals"))
    return descriptor


@pytest.mark.parametrize("label,mutate,words", BAD_DESCRIPTORS,
                         ids=[c[0] for c in BAD_DESCRIPTORS])
def test_a_descriptor_of_the_wrong_shape_gives_one_clear_error(data_copy: DataCopy, label,
                                                               mutate, words):
    path = data_copy.path("datapackage.json")
    path.write_text(json.dumps(mutate(json.loads(path.read_text()))))
    for call in (data.check_all, lambda: data.load("arrivals"), data.table_names):
        with pytest.raises(DataError) as info:
            call()
        message = str(info.value)
        assert message.startswith("datapackage.json"), message
        assert words in message, message
        assert "\n" not in message and info.value.__cause__ is None


def test_a_huge_bad_cell_is_quoted_short(data_copy: DataCopy):
    data_copy.edit("arrivals.csv", 4, "total", "9" * 100_000 + "x")
    with pytest.raises(DataError) as info:
        data.load("arrivals")
    assert len(str(info.value)) < 300 and "100,001 characters" in str(info.value)
