"""Load the collection's tables, validated against ``data/datapackage.json``.

The data package descriptor is the single source of truth: field names, types,
constraints, primary keys and foreign keys are read from it, never repeated here.
Two row rules that Frictionless's standard vocabulary lacks are written in the
descriptor too, as custom properties:

- ``"x-parse"`` on a string field: ``"partial-date"`` (``2023``, ``2023-10`` or
  ``2023-10-09``, a real calendar date) or ``"year-or-period"`` (``2002``,
  ``1999-2001`` or ``..1998`` for "up to 1998");
- ``"x-rowChecks"`` on a schema: ``{"type": "sum", "fields": [...], "equals": f}``
  and ``{"type": "order", "fields": [low, high]}``.

Every fault raises :class:`~beyond_utopia.errors.DataError` naming the file, the
row and the field. Tables are read with the :mod:`csv` module and checked value by
value before pandas sees them, so no error comes from deep inside pandas.
A table is read and checked once per process and then served from a cache keyed on
a digest of the file's bytes, so any change to a file is noticed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from beyond_utopia.dates import PARTIAL_DATE, parse_partial_date
from beyond_utopia.descriptor import DESCRIPTOR, read_descriptor
from beyond_utopia.errors import DataError, cut, quote

#: Environment variable that points the package at another data folder (tests, a
#: teacher's copy). Without it the package uses the ``data/`` folder of its checkout.
DATA_ENV = "BEYOND_UTOPIA_DATA"
#: Largest table the loader accepts; bigger files are refused with a clear message.
MAX_ROWS = 500_000

_PERIOD = re.compile(r"^(?:(\d{4})|(\d{4})-(\d{4})|\.\.(\d{4}))$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def data_dir() -> Path:
    """The folder that holds ``datapackage.json`` and the CSV files."""
    env = os.environ.get(DATA_ENV)
    folder = Path(env) if env else Path(__file__).resolve().parents[2] / "data"
    if not (folder / DESCRIPTOR).is_file():
        raise DataError(str(folder / DESCRIPTOR),
                        "the data package descriptor is missing; set "
                        f"{DATA_ENV} to a folder that has one, or run from a checkout")
    return folder


# ---------------------------------------------------------------------------
# value parsers: each takes the text of a cell and returns a value or raises
# ValueError with a short reason
# ---------------------------------------------------------------------------

def parse_period(text: str) -> tuple[int | None, int]:
    """Parse ``2002``, ``1999-2001`` or ``..1998``; return (first year or None, last year)."""
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(f"{quote(text)} is not a year (2002), a period (1999-2001) "
                         "or an open period (..1998)")
    single, start, end, upto = m.groups()
    if single:
        return int(single), int(single)
    if upto:
        return None, int(upto)
    if int(start) >= int(end):
        raise ValueError(f"{quote(text)}: the period must run forwards")
    return int(start), int(end)


def _parse_integer(text: str) -> int:
    if not _INTEGER.match(text):
        raise ValueError(f"{quote(text)} is not a whole number")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{quote(text)} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{quote(text)} is not a finite number")
    return value


def _parse_date(text: str) -> dt.date:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        raise ValueError(f"{quote(text)} is not a date of the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{quote(text)} is not a calendar date ({exc})") from None


def _parse_boolean(text: str) -> bool:
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise ValueError(f"{quote(text)} is not true or false")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": _parse_integer,
    "number": _parse_number,
    "date": _parse_date,
    "boolean": _parse_boolean,
}


_EXTRA_PARSERS: dict[str, Callable[[str], Any]] = {
    "partial-date": parse_partial_date,
    "year-or-period": parse_period,
}
_URI = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def _field_parser(field: dict) -> Callable[[str], Any]:
    """One function that turns a cell's text into its value or raises ValueError."""
    ftype = field.get("type", "string")
    if ftype not in _PARSERS:
        raise DataError(DESCRIPTOR, f"field '{field['name']}' has a type this package "
                        f"does not read: {ftype!r}")
    base = _PARSERS[ftype]
    extra = _EXTRA_PARSERS.get(field.get("x-parse", ""))
    uri = field.get("format") == "uri"

    def parse(text: str) -> Any:
        value = base(text)
        if extra is not None:
            extra(text)
        if uri and not _URI.match(text):
            raise ValueError(f"{quote(text)} is not a web address (http:// or https://)")
        return value

    return parse


def _check_constraints(value: Any, text: str, constraints: dict) -> None:
    if "minimum" in constraints and value < constraints["minimum"]:
        word = "negative" if constraints["minimum"] == 0 else "too small"
        raise ValueError(f"{cut(text)} is {word} (minimum {constraints['minimum']})")
    if "maximum" in constraints and value > constraints["maximum"]:
        raise ValueError(f"{cut(text)} is too large (maximum {constraints['maximum']})")
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(repr(v) for v in constraints["enum"])
        raise ValueError(f"{quote(text)} is not one of the allowed values: {allowed}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        raise ValueError(f"{quote(text)} does not match the pattern {constraints['pattern']}")
    if "maxLength" in constraints and len(str(value)) > constraints["maxLength"]:
        raise ValueError(f"is {len(str(value))} characters long "
                         f"(at most {constraints['maxLength']})")
    if "minLength" in constraints and len(str(value)) < constraints["minLength"]:
        raise ValueError(f"is shorter than {constraints['minLength']} characters")


# ---------------------------------------------------------------------------
# reading one table
# ---------------------------------------------------------------------------

def _decode(path: Path, label: str) -> str:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark, as spreadsheet programs write: harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(label, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line "
                        f"{line}); save it as 'CSV UTF-8'", line=line) from None


def _read_rows(path: Path, label: str, fields: list[dict]) -> list[tuple[int, int, dict]]:
    """Read a CSV file; return (row number, line number, {column: text}) for each row."""
    names = [f["name"] for f in fields]
    text = _decode(path, label)
    if not text.strip():
        raise DataError(label, "the file is empty; it needs a header line with the "
                        f"columns {', '.join(names)}")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(label, f"the header line cannot be read as CSV ({exc})",
                        line=1) from None
    header = [h.strip() for h in header]
    if len(header) == 1 and len(names) > 1:
        for sep, word in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header[0]:
                raise DataError(label, f"the columns are separated by {word}; "
                                "this collection's CSV files use commas", row=None)
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise DataError(label, "the header names a column twice", field=duplicates[0])
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(label, "a column is missing from the header (expected columns: "
                        f"{', '.join(names)})", field=missing[0])
    extra = [h for h in header if h not in names]
    if extra:
        raise DataError(label, "the header has a column the schema does not describe "
                        f"(expected columns: {', '.join(names)})", field=extra[0])
    rows: list[tuple[int, int, dict]] = []
    line = 1
    number = 0
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(label, f"this line cannot be read as CSV ({exc})",
                            row=number + 1, line=start) from None
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue  # blank line
        number += 1
        if number > MAX_ROWS:
            raise DataError(label, f"the table has more than {MAX_ROWS:,} rows, more than "
                            "this collection's loaders accept")
        if len(cells) != len(header):
            # name the first column without a value, or the last one when there are too many
            field = header[len(cells)] if len(cells) < len(header) else header[-1]
            raise DataError(label, f"the row has {len(cells)} values but the header has "
                            f"{len(header)} columns (a stray comma, a missing value, or a "
                            "line break outside quotes?)", row=number, field=field,
                            line=start)
        rows.append((number, start, dict(zip(header, cells, strict=True))))
    return rows


def _validate(resource: dict, folder: Path) -> tuple[list[str], list[list[Any]], list[int]]:
    """Parse and check a resource; return (column names, columns of values, line numbers)."""
    label = resource["path"]
    path = folder / resource["path"]
    schema = resource["schema"]
    fields = schema["fields"]
    if not path.is_file():
        raise DataError(label, f"the file is missing from {folder.name}/")
    rows = _read_rows(path, label, fields)
    if not rows and resource.get("x-minRows", 1) > 0:
        raise DataError(label, "the table has a header but no rows")
    parsers = [(f["name"], _field_parser(f), f.get("constraints", {})) for f in fields]
    columns: list[list[Any]] = [[] for _ in fields]
    lines: list[int] = []
    for number, line, record in rows:
        lines.append(line)
        for i, (name, parse, constraints) in enumerate(parsers):
            text = record[name].strip()
            if text == "":
                if constraints.get("required"):
                    raise DataError(label, "a value is required here", row=number,
                                    field=name, line=line)
                columns[i].append(None)
                continue
            try:
                value = parse(text)
                _check_constraints(value, text, constraints)
            except ValueError as exc:
                raise DataError(label, str(exc), row=number, field=name, line=line) from None
            columns[i].append(value)
    names = [f["name"] for f in fields]
    _check_unique(label, schema, names, columns, lines)
    _check_rows(label, schema, names, columns, lines)
    return names, columns, lines


def _check_unique(label: str, schema: dict, names: list[str], columns: list[list[Any]],
                  lines: list[int]) -> None:
    keys = schema.get("primaryKey")
    groups = [keys if isinstance(keys, list) else [keys]] if keys else []
    groups += [[f["name"]] for f in schema["fields"]
               if f.get("constraints", {}).get("unique")]
    for group in groups:
        idx = [names.index(k) for k in group]
        seen: dict[tuple, int] = {}
        for r in range(len(lines)):
            key = tuple(columns[i][r] for i in idx)
            if key in seen:
                shown = ", ".join(str(k) for k in key)
                raise DataError(label, f"the key {quote(shown)} is already used by row "
                                f"{seen[key] + 1}", row=r + 1, field=group[0], line=lines[r])
            seen[key] = r


def _check_rows(label: str, schema: dict, names: list[str], columns: list[list[Any]],
                lines: list[int]) -> None:
    """The row rules of ``x-rowChecks``: sum, order, when (a value requires others), any."""
    col = {n: columns[i] for i, n in enumerate(names)}
    for check in schema.get("x-rowChecks", []):
        kind = check["type"]
        for r, line in enumerate(lines):
            def fail(field: str, message: str, r: int = r, line: int = line) -> None:
                raise DataError(label, message, row=r + 1, field=field, line=line)

            if kind == "sum":
                values = [col[n][r] for n in check["fields"]]
                target = col[check["equals"]][r]
                if None not in values and target is not None and sum(values) != target:
                    parts = " + ".join(f"{n} {v}" for n, v in zip(check["fields"], values,
                                                                  strict=True))
                    fail(check["equals"], f"{parts} = {sum(values)}, not {target}")
            elif kind == "order":
                low, high = (col[n][r] for n in check["fields"])
                if low is not None and high is not None and low > high:
                    fail(check["fields"][0], f"{check['fields'][0]} ({low}) is larger than "
                         f"{check['fields'][1]} ({high})")
            elif kind == "when":
                if col[check["field"]][r] == check["equals"]:
                    for n in check["required"]:
                        if col[n][r] is None:
                            fail(n, f"a value is required when {check['field']} is "
                                 f"{check['equals']!r}")
            elif kind == "any":
                if all(col[n][r] is None for n in check["fields"]):
                    fail(check["fields"][0], "give at least one of "
                         + ", ".join(check["fields"]))


# ---------------------------------------------------------------------------
# public interface
# ---------------------------------------------------------------------------

def _stamp(path: Path) -> str:
    """A digest of the file's bytes: the cache notices any change, however quick."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except FileNotFoundError:
        return "missing"


@lru_cache(maxsize=4)
def _descriptor(folder: Path, stamp: str) -> dict:
    return read_descriptor(folder / DESCRIPTOR)


def descriptor() -> dict:
    """The data package descriptor (``datapackage.json``) as a dictionary."""
    folder = data_dir()
    return _descriptor(folder, _stamp(folder / DESCRIPTOR))


def resource(name: str) -> dict:
    """The descriptor of one table."""
    package = descriptor()
    for res in package["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in package["resources"])
    raise DataError(DESCRIPTOR, f"there is no table named {name!r}; tables: {known}")


def package_stamp() -> tuple:
    """The data folder and a digest of each of its files (the descriptor and every
    table): equal as long as no byte of the data package has changed."""
    folder = data_dir()
    return (folder, _stamp(folder / DESCRIPTOR),
            *(_stamp(folder / r["path"]) for r in descriptor()["resources"]))


def table_names() -> list[str]:
    """The names of every table in the data package, in the descriptor's order."""
    return [r["name"] for r in descriptor()["resources"]]


@lru_cache(maxsize=64)
def _load(folder: Path, name: str, stamps: tuple) -> Any:
    import pandas as pd

    res = resource(name)
    names, columns, lines = _validate(res, folder)
    # foreign keys: every reference must exist in the table it points at
    for fk in res["schema"].get("foreignKeys", []):
        field = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
        ref = fk["reference"]
        ref_field = ref["fields"] if isinstance(ref["fields"], str) else ref["fields"][0]
        target = load(ref["resource"])
        known = set(target[ref_field].dropna())
        col = columns[names.index(field)]
        for r, value in enumerate(col):
            if value is not None and value not in known:
                raise DataError(res["path"], f"{quote(value)} is not a {ref_field} in "
                                f"{resource(ref['resource'])['path']}",
                                row=r + 1, field=field, line=lines[r])
    dtypes = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "str"}
    data = {}
    for field, values in zip(res["schema"]["fields"], columns, strict=True):
        ftype = field.get("type", "string")
        if ftype == "date":
            data[field["name"]] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[field["name"]] = pd.Series(values, dtype=dtypes[ftype])
    frame = pd.DataFrame(data)
    frame.attrs["file"] = res["path"]
    return frame


def load(name: str) -> Any:
    """Load one table by its name in the data package, validated; a pandas DataFrame.

    Raises :class:`~beyond_utopia.errors.DataError` naming the file, row and field of
    the first fault. The result is cached until the file or the descriptor changes;
    callers get a copy, so changing it does not change the cache.
    """
    folder = data_dir()
    res = resource(name)
    refs = [fk["reference"]["resource"] for fk in res["schema"].get("foreignKeys", [])]
    stamps = tuple(_stamp(folder / p) for p in
                   [DESCRIPTOR, res["path"], *(resource(r)["path"] for r in refs)])
    return _load(folder, name, stamps).copy()


def runs_to() -> str:
    """The date the data runs to (the descriptor's ``x-data-until``, a partial ISO date):
    the latest event the tables were brought up to, stated on notebook 00 and the site."""
    value = descriptor().get("x-data-until")
    if not isinstance(value, str) or not PARTIAL_DATE.match(value):
        raise DataError(DESCRIPTOR, "needs \"x-data-until\": the date the data runs to, "
                        "as 2026, 2026-02 or 2026-02-04", field="x-data-until")
    return value


def check_all() -> dict[str, int]:
    """Load every table of the data package; return the number of rows of each."""
    return {name: len(load(name)) for name in table_names()}
