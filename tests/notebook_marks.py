"""A pytest plugin for ``make stress`` (``-p tests.notebook_marks``): strict nbval's cells
get the ``notebooks`` mark too, so ``-m notebooks`` selects every test that starts a kernel
(papermill runs and nbval's notebooks) and nothing else."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__module__.startswith("nbval"):
            item.add_marker(pytest.mark.notebooks)
