"""The system Chromium, which Playwright drives for the handouts and the browser tests
(Playwright's own browser download does not work offline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: Flags that keep Chromium quiet and offline.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps"]


def find() -> str | None:
    """Chromium's path (``BU_CHROMIUM`` first), or None."""
    for candidate in (os.environ.get("BU_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def executable() -> str:
    path = find()
    if path is None:
        raise SystemExit("Chromium not found: install it with `apt-get install chromium` "
                         "(Debian), or set BU_CHROMIUM to its path")
    return path
