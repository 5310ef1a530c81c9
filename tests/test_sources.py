"""The source standard (data/README.md): a class can be shown every source.

Each check is a function that returns the problems it finds in the data the package
reads, so the same function is run on the real tables and on a copy with bad rows (a
check that cannot fail checks nothing)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from beyond_utopia import data
from beyond_utopia.errors import DataError

from .conftest import ROOT, DataCopy

# Hosts that serve copies, mirrors, aggregations or test builds of other people's pages,
# and the spam and aggregator sites the collection once cited. A source's `url` is never
# on one of them; a copy we read goes in `read_at`. A host matches itself and its
# subdomains.
COPY_HOSTS = {
    # encyclopaedias and their copies
    "wikipedia.org", "wikimili.com", "stringtranslate.com", "wordscope.be",
    # web archives
    "archive.org", "archive.ph", "archive.today",
    # document, slide and print copy sites
    "studylib.net", "powershow.com", "slideserve.com", "docslib.org", "pdfslide.us",
    "fdocuments.us", "pdfhall.com", "lawsdocbox.com", "pressreader.com", "everycrsreport.com",
    "inview.nl",
    # free hosting and portals that repost
    "netlify.app", "blogspot.com", "wordpress.com", "daum.net", "livedoor.com",
    "livedoor.jp",
    # publishers' own test, preview and proof servers
    "pangea-cms.com", "un-icc.cloud", "dvincitest.com",
    # spam, aggregator and repost sites the collection once cited
    "urhairsalon.com", "eccentricxpression.com", "squidbusiness.fr", "1newsday.com",
    "opensourceinvestigations.com", "tolerance.ca", "military-quotes.com", "bazhesc.com",
    "cdnk.co.kr", "nkd.or.kr", "kinaforum.com", "korean-vibe.com", "mediadale.com",
    "kangnamtimes.com", "dfast.kr", "celebrityfanfare.com", "goood-news.com", "timesofny.com",
    "thebrownees.net", "worldsecuritynetwork.com", "nkinsider.org", "nkeconwatch.com",
    "filmfed.com", "familycarefoundation.biz", "ionglobaltrends.com", "bulgyoilbo.com",
    "culteducation.com", "eng-news.ru", "masterlist.tv", "newspic.kr", "londonkoreanlinks.net",
}
# a host label that marks a test, staging, preview or proof build of a live site
BUILD_LABELS = {"test", "staging", "preview", "proof", "dev", "dvincitest"}
COPY_PATH = re.compile(r"/preview/|/@@images/")
# words that describe a page as someone else's text; "Digital Archive" (a publisher's
# name) is fine, "(archive)" or "archived" as a description is not
COPY_WORDS = re.compile(
    r"\b(via|cop(y|ies)|mirror\w*|repost\w*|republish\w*|reprint\w*|aggregat\w*|"
    r"test|staging|preview|wikipedia)\b|\(archive\)|\barchived\b|web archive", re.I)
# a title that is only our description in square brackets, e.g. "[2021 arrivals 63]"
PLACEHOLDER_TITLE = re.compile(r"^\s*\[.*\]\s*$")

# Sources the film tables (film_facts.csv, film_milestones.csv) still cite, kept until
# their owner replaces them. They may be cited by nothing else; once the film tables stop
# citing one, the test that every source is cited fails until its row and its entry here
# are removed.
#: Weak sources a table may still cite while it awaits replacement (none now).
AWAITING_FILM_TABLES: set[str] = set()
FILM_TABLES = {"film_facts", "film_milestones"}

# Columns students read (tables, charts' hover text, sources lists), by table.
STUDENT_COLUMNS = {
    "sources": ["title", "publisher"],
    "timeline": ["title", "description"],
    "returns": ["reported_by", "description"],
    "statements": ["speaker", "organisation", "statement"],
    "law": ["topic", "fact"],
    "claims": ["claim", "evidence"],
    "china_estimates": ["estimator", "basis"],
    "eras": ["name", "description"],
    "route": ["place", "leg_mode"],
    "route_dangers": ["danger"],
    "route_distances": ["stretch"],
    "broker_fees": ["period", "covers"],
    "film_facts": ["topic", "value"],
    "film_milestones": ["event"],
}
# working notes that must stay in sources.note or data/README.md
MAINTAINER_NOTE = re.compile(
    r"low[- ]reliability|\bmirror\b|retrieved text|stored copy|copy we (could )?read|"
    r"cut off|not found in the|\bNOT a\b|general position|historical context|"
    r"\bread (on|in|through) (a |the )?(copy|mirror|repost)|\bTODO\b|\bFIXME\b|"
    r"\[[^\]]{12,}\]", re.I)


def host_is_a_copy(url: str) -> str | None:
    """The reason a web address is not an original's own address, or None."""
    if not isinstance(url, str) or not url:
        return None
    parts = urlparse(url)
    host = (parts.hostname or "").lower().rstrip(".")
    for bad in COPY_HOSTS:
        if host == bad or host.endswith("." + bad):
            return f"{host} serves copies ({bad})"
    labels = set(host.split("."))
    if labels & BUILD_LABELS:
        return f"{host} is a test, staging, preview or proof server"
    if COPY_PATH.search(parts.path):
        return f"{url} is a preview or an image, not the page"
    return None


def citations() -> dict[str, set[str]]:
    """For each source_id, the tables whose rows cite it."""
    cited: dict[str, set[str]] = {}
    for name in data.table_names():
        if name == "sources":
            continue
        frame = data.load(name)
        for column in ("source_id", "article_id"):
            if column in frame:
                for sid in frame[column].dropna():
                    cited.setdefault(sid, set()).add(name)
    return cited


def named_in_code() -> str:
    """The code the notebooks run (topic modules and code cells): a source may be named
    there instead of by a row (notebook 00 names the English edition of its review)."""
    parts = [p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py")]
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if c["cell_type"] == "code":
                parts.append("".join(c["source"]))
    return "\n".join(parts)


def weak_url_problems(sources: pd.DataFrame) -> list[str]:
    out = []
    for r in sources.itertuples():
        reason = host_is_a_copy(r.url)
        if reason and r.source_id not in AWAITING_FILM_TABLES:
            out.append(f"{r.source_id}: url {reason}; cite the original, copy goes to read_at")
    return out


def publisher_problems(sources: pd.DataFrame) -> list[str]:
    return [f"{r.source_id}: publisher {r.publisher!r} describes a copy; name the original"
            for r in sources.itertuples()
            if COPY_WORDS.search(r.publisher) and r.source_id not in AWAITING_FILM_TABLES]


def title_problems(sources: pd.DataFrame) -> list[str]:
    return [f"{r.source_id}: title {r.title!r} is a placeholder in square brackets"
            for r in sources.itertuples() if PLACEHOLDER_TITLE.match(r.title)]


def kind_problems(sources: pd.DataFrame) -> list[str]:
    kinds = set(next(f for f in data.resource("sources")["schema"]["fields"]
                     if f["name"] == "kind")["constraints"]["enum"])
    return [f"{r.source_id}: kind {r.kind!r}" for r in sources.itertuples()
            if not isinstance(r.kind, str) or r.kind not in kinds]


def read_at_problems(sources: pd.DataFrame) -> list[str]:
    out = []
    for r in sources.itertuples():
        if isinstance(r.read_at, str) and r.read_at:
            if r.read_at == r.url:
                out.append(f"{r.source_id}: read_at repeats url")
            if not re.match(r"https?://", r.read_at):
                out.append(f"{r.source_id}: read_at is not a web address")
    return out


def uncited_problems(sources: pd.DataFrame) -> list[str]:
    cited, code = citations(), named_in_code()
    out = [f"{sid}: no row cites it and no notebook names it; remove it"
           for sid in sources["source_id"] if sid not in cited and sid not in code]
    for sid in sorted(AWAITING_FILM_TABLES & set(sources["source_id"])):
        others = cited.get(sid, set()) - FILM_TABLES
        if others:
            out.append(f"{sid}: a weak source kept only for the film tables is cited by "
                       f"{sorted(others)}")
    return out


def student_column_problems() -> list[str]:
    out = []
    for name, columns in STUDENT_COLUMNS.items():
        frame = data.load(name)
        for i, row in enumerate(frame[columns].itertuples(index=False), start=1):
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, str) and (m := MAINTAINER_NOTE.search(value)):
                    if name in FILM_TABLES and (
                            frame.iloc[i - 1]["source_id"] in AWAITING_FILM_TABLES):
                        continue
                    out.append(f"{name}.csv row {i} {column}: working note {m.group(0)!r}")
    return out


ALL_CHECKS = (weak_url_problems, publisher_problems, title_problems, kind_problems,
              read_at_problems, uncited_problems)


@pytest.mark.parametrize("check", ALL_CHECKS, ids=[c.__name__ for c in ALL_CHECKS])
def test_every_source_meets_the_standard(check):
    assert check(data.load("sources")) == []


def test_student_columns_carry_no_working_notes():
    assert student_column_problems() == []


@pytest.mark.parametrize("url,bad", [
    ("https://en.wikipedia.org/wiki/Beyond_Utopia", True),
    ("https://web.archive.org/web/2015/http://www.unhcr.org/x.html", True),
    ("http://web.test.ohchr.un-icc.cloud/en/press-releases/2014/02/x", True),
    ("https://staging.pbs.org/independentlens/?p=28178", True),
    ("https://proof.csmonitor.com/The-Culture/x", True),
    ("https://voa.pangea-cms.com/preview/en-US/a/x/1.html", True),
    ("https://wilson-center-digital-archive.dvincitest.com/document/x", True),
    ("https://www.everycrsreport.com/reports/RL34189.html", True),
    ("https://twonationsoneisland.blogspot.com/2016/04/x.html", True),
    ("https://v.daum.net/v/20240125031212248", True),
    ("http://www.urhairsalon.com/3cvf9/5823648488.html", True),
    ("https://rfa.org/english/news/korea/x.html/@@images/image", True),
    ("https://www.ohchr.org/en/press-releases/2023/10/x", False),
    ("https://webarchive.archive.unhcr.org/2015/http://www.unhcr.org/x.html", False),
    ("https://archive.hrf.org/x", False),
    ("https://digitalarchive.wilsoncenter.org/document/x", False),
    ("https://www.testing-times.example/x", False),
])
def test_copy_hosts_are_recognised(url, bad):
    assert (host_is_a_copy(url) is not None) == bad


def _source(**kw) -> dict:
    row = {"source_id": "x", "title": "A page", "publisher": "An outlet", "url": "",
           "published": "", "kind": "news", "accessed": "2026-11-22", "read_at": "",
           "note": ""}
    row.update(kw)
    return row


def test_the_checks_fail_on_bad_rows(data_copy: DataCopy):
    """Each check finds the fault it exists for, in a copy of the data."""
    bad = [
        _source(source_id="bad-wiki", url="https://en.wikipedia.org/wiki/X"),
        _source(source_id="bad-staging", url="https://staging.pbs.org/independentlens/?p=1"),
        _source(source_id="bad-publisher", publisher="example.com (repost of Reuters)",
                url="https://example.com/a"),
        _source(source_id="bad-title", title="[2021 arrivals 63]", url="https://example.com/b"),
        _source(source_id="bad-read-at", url="https://example.com/c",
                read_at="https://example.com/c"),
    ]
    for row in bad:
        data_copy.append("sources.csv", row)
    # every bad row is cited, so that only the fault each one is for is reported ...
    rows = data_copy.rows("route_dangers.csv")
    for row in bad:
        rows.append({"leg": "2", "danger": "A danger", "source_id": row["source_id"]})
    data_copy.write_rows("route_dangers.csv", rows)
    # ... except one source that nothing cites
    data_copy.append("sources.csv", _source(source_id="bad-uncited", url="https://example.com/d"))
    # a working note in a column students read
    data_copy.edit("returns.csv", 1, "reported_by",
                   "Justice for North Korea (via Yonhap text on a low-reliability mirror)")

    sources = data.load("sources")
    found = {c.__name__: c(sources) for c in ALL_CHECKS}
    assert [p.split(":")[0] for p in found["weak_url_problems"]] == ["bad-wiki", "bad-staging"]
    assert [p.split(":")[0] for p in found["publisher_problems"]] == ["bad-publisher"]
    assert [p.split(":")[0] for p in found["title_problems"]] == ["bad-title"]
    assert [p.split(":")[0] for p in found["read_at_problems"]] == ["bad-read-at"]
    assert [p.split(":")[0] for p in found["uncited_problems"]] == ["bad-uncited"]
    assert found["kind_problems"] == []
    notes = [n.split(":")[0] for n in student_column_problems()]
    last = len(data.load("sources"))
    assert notes == [f"sources.csv row {last - 2} title", "returns.csv row 1 reported_by"]


def test_a_source_without_a_kind_is_rejected(data_copy: DataCopy):
    data_copy.edit("sources.csv", 3, "kind", "")
    with pytest.raises(DataError, match="kind"):
        data.load("sources")
