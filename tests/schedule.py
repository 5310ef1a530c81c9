"""A pytest plugin (``-p tests.schedule``, in pyproject.toml): the test files that take
longest start first.

``make test`` runs two workers with ``--dist loadfile``: each file runs whole on one worker,
and a worker takes the next file when it is free. pytest-xdist's default order puts the files
with the most tests first, which left the slow browser files, with few tests each, to the
end, where one of them alone set the length of the run (``make test`` passes
``--no-loadscope-reorder`` so that this order is used instead). The order of the tests inside
a file is kept; the files not listed keep pytest's order after these.
"""

from __future__ import annotations

import pytest

#: The slowest files, slowest first (per-file times of a full run, `--durations=0`). The
#: first needs the built site (tests/browser_support.py builds it once per run); the second
#: does not, so the other worker has work while the site is built.
FIRST = (
    "tests/test_site_desktop.py",
    "tests/test_jupyterlab.py",
    "tests/test_poison.py",
    "tests/test_site_phone.py",
    "tests/test_notebooks.py",
    "tests/test_site.py",
    "tests/test_bad_parameters_early.py",
    "tests/test_bad_parameters_late.py",
    "tests/test_reliability.py",
    "tests/test_robustness.py",
    "tests/test_build.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(FIRST)))
