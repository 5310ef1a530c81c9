"""The shape of ``data/datapackage.json``, checked before the loader reads it.

A descriptor that is valid JSON but of the wrong shape (``{}``, ``[]``, resources that are
not a list, a resource without a schema, a key that names no field) gives one
:class:`~beyond_utopia.errors.DataError` that names ``datapackage.json`` and the place,
never a ``KeyError`` or ``TypeError`` from deep inside :mod:`beyond_utopia.data`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from beyond_utopia.errors import DataError, quote

#: The data package descriptor's file name.
DESCRIPTOR = "datapackage.json"


def read_descriptor(path: Path) -> dict:
    """Read and check ``datapackage.json``: JSON, UTF-8, and the shape the loader needs."""
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(DESCRIPTOR, f"is not valid JSON ({exc.msg} on line {exc.lineno})",
                        line=exc.lineno) from None
    except UnicodeDecodeError:
        raise DataError(DESCRIPTOR, "is not UTF-8 text") from None
    check_shape(package)
    return package


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null",
            bool: "true or false", int: "a number", float: "a number"}.get(type(value),
                                                                         type(value).__name__)


def _known(where: str, what: str, names: object, columns: list[str],
           fail: Callable[[str], None]) -> None:
    for name in [names] if isinstance(names, str) else names if isinstance(names, list) else [
            names]:
        if name not in columns:
            fail(f"{where}: {what} names {quote(name)}, which is not a field")


def check_shape(package: object) -> None:
    """Check the descriptor's shape, so a wrong one gives one DataError naming
    ``datapackage.json`` and the place, never a KeyError or TypeError from the loader."""
    def fail(message: str) -> None:
        raise DataError(DESCRIPTOR, message)

    if not isinstance(package, dict):
        fail(f"must be a JSON object with a \"resources\" list, not {_kind(package)}")
    resources = package.get("resources")  # type: ignore[union-attr]
    if not isinstance(resources, list) or not resources:
        fail("needs \"resources\": a list with one entry per table"
             + ("" if resources is None else f" (it is {_kind(resources)}"
                + (", empty)" if resources == [] else ")")))
    names: set[str] = set()
    for i, res in enumerate(resources, start=1):
        where = f"resource {i}"
        if not isinstance(res, dict):
            fail(f"{where} must be an object, not {_kind(res)}")
        name = res.get("name")
        if not isinstance(name, str) or not name:
            fail(f"{where} needs a \"name\" (a string)")
        where = f"resource {i} ({quote(name)})"
        if name in names:
            fail(f"{where}: the name is used twice")
        names.add(name)
        path = res.get("path")
        if (not isinstance(path, str) or not path.endswith(".csv") or "/" in path
                or "\\" in path or path.startswith(".")):
            fail(f"{where} needs a \"path\": the name of a CSV file in the data folder "
                 f"(got {quote(path)})")
        schema = res.get("schema")
        if not isinstance(schema, dict):
            fail(f"{where} needs a \"schema\" object with its \"fields\"")
        fields = schema.get("fields")
        if not isinstance(fields, list) or not fields:
            fail(f"{where}: the schema needs \"fields\", a list of the table's columns")
        columns: list[str] = []
        for j, field in enumerate(fields, start=1):
            if not isinstance(field, dict) or not isinstance(field.get("name"), str):
                fail(f"{where}: field {j} must be an object with a \"name\"")
            if field["name"] in columns:
                fail(f"{where}: the field {quote(field['name'])} is listed twice")
            columns.append(field["name"])
            if not isinstance(field.get("constraints", {}), dict):
                fail(f"{where}: the constraints of field {quote(field['name'])} must be an "
                     "object")
        keys = schema.get("primaryKey", [])
        for key in [keys] if isinstance(keys, str) else keys if isinstance(keys, list) else [
                keys]:
            if key not in columns:
                fail(f"{where}: the primary key names {quote(key)}, which is not a field")
        fks = schema.get("foreignKeys", [])
        if not isinstance(fks, list):
            fail(f"{where}: \"foreignKeys\" must be a list")
        for fk in fks:
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if not (isinstance(ref, dict) and isinstance(ref.get("resource"), str)
                    and isinstance(fk.get("fields"), str | list)
                    and isinstance(ref.get("fields"), str | list)):
                fail(f"{where}: each foreign key needs \"fields\" and a \"reference\" "
                     "with \"resource\" and \"fields\"")
            _known(where, "a foreign key", fk["fields"], columns, fail)
        checks = schema.get("x-rowChecks", [])
        if not isinstance(checks, list) or not all(isinstance(c, dict) and "type" in c
                                                   for c in checks):
            fail(f"{where}: \"x-rowChecks\" must be a list of objects with a \"type\"")
        for check in checks:
            for key in ("fields", "field", "required", "equals"):
                if key in check and (key != "equals" or check["type"] == "sum"):
                    _known(where, f"a row check ({check['type']})", check[key], columns, fail)
    for i, res in enumerate(resources, start=1):
        for fk in res["schema"].get("foreignKeys", []):
            if fk["reference"]["resource"] not in names:
                fail(f"resource {i} ({quote(res['name'])}): a foreign key points at "
                     f"{quote(fk['reference']['resource'])}, which is not a resource")
