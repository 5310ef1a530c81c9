"""The package's own errors: one clear message, never a traceback from deep inside pandas."""

from __future__ import annotations

#: Most characters of a bad value that a message repeats: a 5 MB string given as a
#: parameter must not make a 20 MB notebook or fill a terminal.
QUOTE_MAX = 80


def quote(value: object, limit: int = QUOTE_MAX) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the full length stated."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    if isinstance(value, str | bytes):
        size = f"{len(value):,} characters"
    elif isinstance(value, list | tuple | dict | set):
        size = f"{len(value):,} items"
    else:
        size = f"{len(text):,} characters written out"
    return f"{text[: limit - 1]}… ({size})"


def cut(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` for a message: at most about ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        super().__init__(f"parameter '{name}' = {quote(value)} is not allowed; {allowed}")
