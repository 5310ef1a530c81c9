"""The notebooks of the collection, in reading order, each with its topic module."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from beyond_utopia.paths import NOTEBOOK_DIR


@dataclass(frozen=True)
class Entry:
    number: str
    slug: str
    title: str
    question: str
    minutes: int
    #: The module under ``beyond_utopia.topics`` that holds this notebook's logic.
    topic: str

    @property
    def filename(self) -> str:
        return f"{self.number}-{self.slug}.ipynb"

    @property
    def page(self) -> str:
        return f"{self.number}-{self.slug}.html"

    def module(self) -> ModuleType:
        return importlib.import_module(f"beyond_utopia.topics.{self.topic}")


ENTRIES: tuple[Entry, ...] = (
    Entry("00", "start-here", "Start here",
          "What is Beyond Utopia, and how does this collection work?", 15, "start"),
    Entry("01", "the-film", "The film",
          "Whom does the film follow, what happens to them, and how was it made?", 65, "film"),
    Entry("02", "the-journey", "The journey",
          "Which route do escapees take to reach safety, and what does it cost?", 35, "journey"),
    Entry("03", "arrivals", "The numbers: arrivals in South Korea",
          "How many North Koreans reach South Korea each year, and why did that collapse "
          "after 2019?", 40, "arrivals"),
    Entry("04", "repatriation-timeline", "The repatriation timeline",
          "What has China done with the North Koreans it catches, and how did others "
          "respond?", 40, "timeline"),
    Entry("05", "after-the-return", "After the return",
          "What happens to those China sends back, and why are most who escape women?", 35,
          "after_return"),
    Entry("06", "law-and-the-un", "The law and the UN",
          "What does international law say, and what has the UN done?", 40, "law"),
    Entry("07", "weighing-the-evidence", "Weighing the evidence",
          "When reports disagree, whom should we believe, and how do we know?", 50,
          "evidence"),
    Entry("08", "arriving-in-south-korea", "Arriving in South Korea",
          "How does South Korea receive the North Koreans who reach it?", 30, "reception"),
)


def entry(number: str) -> Entry:
    """The entry for notebook ``number`` (``"03"``)."""
    for e in ENTRIES:
        if e.number == number:
            return e
    raise KeyError(f"no notebook numbered {number!r}; the collection has "
                   f"{', '.join(e.number for e in ENTRIES)}")


def available() -> list[Entry]:
    """The entries whose notebook file exists."""
    return [e for e in ENTRIES if (NOTEBOOK_DIR / e.filename).exists()]
