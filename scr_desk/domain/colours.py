"""The RAG colours, in one table that every output draws from (the tree's chips, the dashboard,
the report's PDF and Word files, the return's and the full workbook's fills and chart), so a
rating looks the same wherever it is shown. Plain hex text: no Qt here."""

from __future__ import annotations

import html
from dataclasses import dataclass

from scr_desk.domain.enums import Rag

__all__ = [
    "ADDED", "ALERT", "CAUTION", "CHANGED", "CHIP_EDGE", "CONFLICT", "GRID", "HEADING", "INPUT", "INPUT_HEADING",
    "LABEL_FILL", "NEW", "NOT_RATED", "RAG_SWATCHES", "Swatch", "rag_chip_html", "rgb",
]


@dataclass(frozen=True, slots=True)
class Swatch:
    fill: str  # "#rrggbb"
    ink: str  # the colour of a letter written on the fill

    @property
    def fill_rgb(self) -> str:
        """"C62828": the form openpyxl and python-docx take."""
        return rgb(self.fill)

    @property
    def ink_rgb(self) -> str:
        return rgb(self.ink)


RAG_SWATCHES: dict[Rag, Swatch] = {
    Rag.RED: Swatch("#c62828", "#ffffff"),
    Rag.AMBER: Swatch("#f9a825", "#000000"),
    Rag.GREEN: Swatch("#2e7d32", "#ffffff"),
    Rag.BLUE: Swatch("#1565c0", "#ffffff"),
}
NOT_RATED = Swatch("#9e9e9e", "#000000")  # the dashboard's and the full workbook's "Not rated"

# Every other colour the window, the reports and the workbooks use, named for what it marks (no
# colour is written anywhere else: tests/unit/test_small_things.py looks).
ALERT = "#c62828"  # words to act on: an error under a field, an overdue date (the red of Red)
CAUTION = "#8d6e00"  # a warning's words: a dark amber, legible on white where the Amber fill is not
CONFLICT = "#e65100"  # an import's row that clashes with a change made since
CHANGED = "#6a1b9a"  # an import's row that changes an item
ADDED = "#2e7d32"  # an import's new update
NEW = "#1565c0"  # an import's new item
HEADING = Swatch("#37474f", "#ffffff")  # a workbook's heading row
INPUT = Swatch("#fff8e1", "#000000")  # a return's columns the partner fills in: pale yellow
INPUT_HEADING = Swatch("#f9a825", "#000000")  # their headings
GRID = "#b0bec5"  # a return's cell borders
LABEL_FILL = "#eceff1"  # the report's label cells
CHIP_EDGE = "#00000040"  # a RAG chip's edge: a quarter-black, seen on a light or a dark background


def rgb(colour: str) -> str:
    """"#c62828" as openpyxl and python-docx take it: "C62828"."""
    return colour.removeprefix("#").upper()


def rag_chip_html(rag: Rag) -> str:
    """The rating as rich text: its letter on its colour, then its name, so it never relies on
    colour alone (the timeline and the report's PDF)."""
    swatch = RAG_SWATCHES[rag]
    return (f'<span style="background-color:{swatch.fill}; color:{swatch.ink}; font-weight:bold">'
            f"&nbsp;{html.escape(rag.letter)}&nbsp;</span> {html.escape(rag.value)}")
