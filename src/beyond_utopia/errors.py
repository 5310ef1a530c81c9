"""The package's own errors: one clear message, never a traceback from deep inside pandas."""

from __future__ import annotations


class DataError(ValueError):
    """A data file breaks its schema.

    The message names the file, the row (counted from 1 after the header, with the
    line in the file) and the field, so that a teacher who edited a table can find
    the mistake at once.
    """

    def __init__(self, file: str, message: str, row: int | None = None,
                 field: str | None = None, line: int | None = None):
        self.file = file
        self.row = row
        self.field = field
        self.line = line
        self.reason = message
        where = [file]
        if row is not None:
            where.append(f"row {row}" + (f" (line {line})" if line is not None else ""))
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(", ".join(where) + ": " + message)


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""

    def __init__(self, name: str, value: object, allowed: str):
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(f"parameter '{name}' = {value!r} is not allowed; {allowed}")
