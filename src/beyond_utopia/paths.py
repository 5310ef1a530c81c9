"""Where the collection's folders are: resolved from the package's own location, never
from the current directory. Environment variables point them at copies (the tests build
into temporary folders and never touch the stored files)."""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout: ``src/beyond_utopia/`` is two folders below it.
ROOT = Path(__file__).resolve().parents[2]
#: The stored notebooks.
NOTEBOOK_DIR = Path(os.environ.get("BEYOND_UTOPIA_NOTEBOOKS", ROOT / "notebooks"))
#: The teacher notes (``NN.md``) and the teacher's guide: outside ``notebooks/``, so the
#: file browser that students see in JupyterLab never shows them.
TEACHER_DIR = Path(os.environ.get("BEYOND_UTOPIA_TEACHER", ROOT / "teacher"))
