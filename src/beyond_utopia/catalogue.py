"""The notebooks of the collection, in reading order (used by notebook 00 and the site)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    number: str
    slug: str
    title: str
    question: str
    minutes: int

    @property
    def filename(self) -> str:
        return f"{self.number}-{self.slug}.ipynb"

    @property
    def slug_page(self) -> str:
        return f"{self.number}-{self.slug}.html"


NOTEBOOKS: tuple[Entry, ...] = (
    Entry("00", "start-here", "Start here",
          "What is Beyond Utopia, and how does this collection work?", 15),
    Entry("01", "the-film", "The film",
          "Whom does the film follow, and how was it made?", 30),
    Entry("02", "the-journey", "The journey",
          "Which route do escapees take to reach safety, and what does it cost?", 35),
    Entry("03", "arrivals", "The numbers: arrivals in South Korea",
          "How many North Koreans reach South Korea each year, and why did that collapse "
          "after 2019?", 40),
    Entry("04", "repatriation-timeline", "The repatriation timeline",
          "What has China done with the North Koreans it catches, and how did others "
          "respond?", 40),
    Entry("05", "law-and-the-un", "The law and the UN",
          "What does international law say, and what has the UN done?", 40),
)


def available() -> list[Entry]:
    """The entries whose notebook file exists."""
    from beyond_utopia.build import NOTEBOOKS as folder

    return [e for e in NOTEBOOKS if (folder / e.filename).exists()]

