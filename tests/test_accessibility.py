"""What a reader who cannot see the charts, or sees colour differently, gets."""

from __future__ import annotations

import re

import nbformat
import pytest

from beyond_utopia import palette, style
from tools import build

DEFICIENCIES = (None, "protanopia", "deuteranopia", "tritanopia")
COLOUR_MAPS = {"actors": style.ACTOR_COLOURS, "milestone kinds": style.KIND_COLOURS,
               "votes": style.VOTE_COLOURS,
               "series": {k: style.SERIES_COLOURS[k] for k in ("total", "male", "female")}}


@pytest.mark.parametrize("name", COLOUR_MAPS)
def test_colours_have_contrast_on_white(name):
    for key, colour in COLOUR_MAPS[name].items():
        assert palette.contrast(colour) >= 3.0, f"{name}: {key} {colour}"


@pytest.mark.parametrize("name", COLOUR_MAPS)
@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_colours_stay_apart_under_colour_vision_deficiency(name, deficiency):
    dist, a, b = palette.closest_pair(COLOUR_MAPS[name], deficiency)
    assert dist >= 15, f"{name}: {a} and {b} are {dist:.1f} apart under {deficiency}"


def test_the_palette_check_can_fail():
    # the vermilion and ochre this collection first used merge for a protanope
    assert palette.distance("#C8500A", "#8C6D00", "protanopia") < 15
    assert palette.distance("#C8500A", "#8C6D00") > 15
    assert palette.contrast("#F0E442") < 3


def _notebooks():
    return [(p.name, nbformat.read(p, as_version=4)) for p in build.notebook_paths()]


@pytest.mark.parametrize("name,nb", _notebooks(), ids=lambda v: v if isinstance(v, str) else "")
def test_headings_one_h1_in_order(name, nb):
    levels = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        in_code = False
        for line in cell.source.splitlines():
            if line.startswith("```"):
                in_code = not in_code
            m = re.match(r"^(#{1,6}) ", line)
            if m and not in_code:
                levels.append(len(m.group(1)))
    assert levels.count(1) == 1 and levels[0] == 1, f"{name}: {levels}"
    for prev, cur in zip(levels, levels[1:], strict=False):
        assert cur <= prev + 1, f"{name}: heading level jumps from {prev} to {cur}"


BAD_LINK_TEXT = {"here", "click here", "link", "this", "more", "read more", "this page"}


@pytest.mark.parametrize("name,nb", _notebooks(), ids=lambda v: v if isinstance(v, str) else "")
def test_links_have_descriptive_text(name, nb):
    texts = []
    for cell in nb.cells:
        parts = [cell.source] if cell.cell_type == "markdown" else [
            v for out in cell.get("outputs", []) for k, v in out.get("data", {}).items()
            if k in ("text/markdown", "text/html")]
        for part in parts:
            texts += re.findall(r"\[([^\]]+)\]\([^)]+\)", part)
            texts += re.findall(r"<a [^>]*>(.*?)</a>", part)
    for text in texts:
        assert text.strip().lower() not in BAD_LINK_TEXT, f"{name}: link text {text!r}"
        assert not re.fullmatch(r"https?://\S+", text.strip()), f"{name}: bare URL as text"


@pytest.mark.parametrize("name,nb", _notebooks(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_figure_has_caption_description_and_data_table(name, nb):
    for cell in nb.cells:
        outs = cell.get("outputs", [])
        for i, out in enumerate(outs):
            if "application/vnd.plotly.v1+json" in out.get("data", {}):
                caption = outs[i + 1]["data"].get("text/markdown", "")
                table = outs[i + 2]["data"].get("text/html", "")
                assert caption.startswith("**Figure"), f"{name}: figure without caption"
                assert len(caption) > 80, f"{name}: description too short: {caption}"
                assert "<details" in table and "<table>" in table, f"{name}: no data table"
