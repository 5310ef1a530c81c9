"""Bad input, no network, nothing lost."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beyond_utopia import data
from beyond_utopia.errors import DataError
from beyond_utopia.paths import NOTEBOOK_DIR
from beyond_utopia.topics import timeline
from tools import build

from .conftest import ROOT, DataCopy

# ---------------------------------------------------------------------------
# the network guard
# ---------------------------------------------------------------------------


def test_the_guard_refuses_the_network_and_records_it(tmp_path, monkeypatch):
    log = tmp_path / "attempts.log"
    monkeypatch.setenv("BEYOND_UTOPIA_NETWORK_LOG", str(log))
    with pytest.raises(ConnectionRefusedError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    with pytest.raises(ConnectionRefusedError, match="look up 'example.org'"):
        socket.getaddrinfo("example.org", 443)
    assert "192.0.2.1" in log.read_text() and "example.org" in log.read_text()


def test_the_guard_lets_loopback_through():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


@pytest.mark.notebooks
def test_kernels_cannot_reach_the_network(tmp_path, monkeypatch):
    import papermill as pm

    log = tmp_path / "kernel-attempts.log"
    monkeypatch.setenv("BEYOND_UTOPIA_NETWORK_LOG", str(log))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import urllib.request\nurllib.request.urlopen('http://example.org', timeout=5)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    source = tmp_path / "net.ipynb"
    nbformat.write(nb, source)
    with pytest.raises(pm.PapermillExecutionError):
        pm.execute_notebook(str(source), str(tmp_path / "out.ipynb"), kernel_name="python3",
                            progress_bar=False)
    assert "example.org" in log.read_text()


# ---------------------------------------------------------------------------
# large and generated tables
# ---------------------------------------------------------------------------


def test_a_table_of_100000_rows_loads_within_seconds(data_copy: DataCopy):
    source = data_copy.rows("sources.csv")[0]["source_id"]
    rows = [{"date": f"{1900 + i % 120}-{1 + i % 12:02d}", "title": f"Event {i}",
             "actor": "Other", "category": "report", "description": "A generated row.",
             "source_id": source} for i in range(100_000)]
    data_copy.write_rows("timeline.csv", rows)
    # CPU time of this process, not wall-clock time: other processes on a busy machine
    # (parallel test workers, CI neighbours) cannot make it fail.
    start = time.process_time()
    frame = data.load("timeline")
    seconds = time.process_time() - start
    assert len(frame) == 100_000
    assert seconds < 10, f"{seconds:.1f} s of CPU"


def test_a_table_too_large_is_refused_with_a_message(data_copy: DataCopy, monkeypatch):
    monkeypatch.setattr(data, "MAX_ROWS", 50)
    with pytest.raises(DataError, match="more than 50 rows"):
        data.load("timeline")


CELL = st.one_of(
    st.integers(min_value=-5, max_value=3000).map(str),
    st.sampled_from(["", " ", "1,000", "12.5", "abc", "-0", "+7", "1e3", "NaN", "<b>1</b>",
                     "2002", "..1998", "1999-2001", "2001-1999", "２００２"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from(["\r", "a\rb", "\n", '"', "1\r\n2"]),  # line breaks a CSV writer
)                                                      # may leave outside quotes


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({
    "year": CELL, "male": CELL, "female": CELL, "total": CELL,
    "source_id": st.sampled_from(["mou-cn-stats", "missing-source", "", "sbs-2021-01"]),
}), min_size=0, max_size=6))
def test_generated_arrivals_tables_load_or_fail_clearly(data_copy: DataCopy, rows):
    """Whatever the table holds, the loader returns valid data or the package's own error
    naming the file, and (for a fault in a row) the row and the field."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["year", "male", "female", "total",
                                                "source_id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data_copy.path("arrivals.csv").write_text(buffer.getvalue(), encoding="utf-8")
    try:
        frame = data.load("arrivals")
    except DataError as err:
        assert str(err).startswith("arrivals.csv"), err
        if err.row is not None:
            assert 1 <= err.row <= len(rows) + 1 and err.field is not None, err
        return
    # loaded: then it is valid
    assert len(frame) == len(rows) > 0
    assert (frame["male"] + frame["female"] == frame["total"]).all()
    assert (frame[["male", "female", "total"]] >= 0).all().all()
    assert frame["year"].is_unique
    known = set(data.load("sources")["source_id"])
    assert set(frame["source_id"]) <= known


# ---------------------------------------------------------------------------
# markup in a table is text, everywhere
# ---------------------------------------------------------------------------

SCRIPT_TITLE = "<script>alert('x')</script> <b>Teacher's event</b>"


def _add_teacher_rows(copy: DataCopy) -> None:
    source = copy.rows("sources.csv")[0]["source_id"]
    copy.append("timeline.csv", {
        "date": "2025-06-01", "title": "A teacher's own event", "actor": "Other",
        "category": "report", "description": "Added by a teacher for a lesson.",
        "source_id": source})
    copy.append("timeline.csv", {
        "date": "2025-06-02", "title": SCRIPT_TITLE, "actor": "Other", "category": "report",
        "description": "<img src=x onerror=alert(1)> a description with markup",
        "source_id": source})


def test_markup_in_a_title_is_escaped_in_charts_and_tables(data_copy: DataCopy):
    from beyond_utopia.nb import Table

    _add_teacher_rows(data_copy)
    events = timeline.table()
    spec = timeline.timeline_chart(events).figure.to_json()
    assert "&lt;script&gt;" in spec and "<script>" not in spec
    assert "<img" not in spec
    html_table = Table(events, ["title", "description"])._repr_html_()
    assert "&lt;script&gt;alert" in html_table and "<script>" not in html_table
    assert "<img" not in html_table


@pytest.mark.notebooks
def test_a_teacher_row_shows_in_the_notebook_as_text(data_copy: DataCopy, tmp_path):
    _add_teacher_rows(data_copy)
    nb = build.execute(NOTEBOOK_DIR / "04-repatriation-timeline.ipynb",
                       tmp_path / "04.ipynb", {"start_year": 2024})
    # what a front end renders: HTML, Markdown and the figures (plain text is shown as text)
    rendered = json.dumps([v for c in nb.cells for o in c.get("outputs", [])
                           for k, v in o.get("data", {}).items() if k != "text/plain"])
    assert "A teacher&#x27;s own event" in rendered or "A teacher's own event" in rendered
    assert "&lt;script&gt;alert" in rendered and "<script>alert" not in rendered
    assert "<img src=x" not in rendered


# ---------------------------------------------------------------------------
# interrupted builds leave the last good files
# ---------------------------------------------------------------------------


def _start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tools.build", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, cwd=ROOT)


def _interrupt(proc: subprocess.Popen, after: float) -> None:
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.notebooks
def test_an_interrupted_site_build_leaves_the_last_good_site(tmp_path):
    out = tmp_path / "build"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("the last good site")
    env = dict(os.environ, BEYOND_UTOPIA_BUILD=str(out))
    _interrupt(_start(["site"], env), after=4)
    assert sorted(p.name for p in (out / "site").iterdir()) == ["index.html"]
    assert (out / "site" / "index.html").read_text() == "the last good site"


@pytest.mark.notebooks
def test_an_interrupted_notebook_run_leaves_every_notebook_whole(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    originals = {}
    for path in build.notebook_paths():
        (folder / path.name).write_bytes(path.read_bytes())
        originals[path.name] = path.read_bytes()
    env = dict(os.environ, BEYOND_UTOPIA_NOTEBOOKS=str(folder))
    _interrupt(_start(["notebooks"], env), after=4)
    for name, content in originals.items():
        now = (folder / name).read_bytes()
        nbformat.reads(now.decode(), as_version=4)  # still a whole notebook
        assert now == content, name  # same inputs, same bytes: old or new, never partial


def test_stored_files_are_protected_by_the_session_check():
    from . import conftest

    snap = conftest._snapshot()
    assert any(k.startswith("notebooks/") for k in snap)
    assert any(k.startswith("data/") for k in snap)
    assert Path(ROOT / "data" / "timeline.csv").exists()
