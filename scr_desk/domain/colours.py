"""The RAG colours, in one table that every output draws from (the tree's chips, the dashboard,
the report's PDF and Word files, the return's and the full workbook's fills and chart), so a
rating looks the same wherever it is shown. Plain hex text: no Qt here."""

from __future__ import annotations

import html
from dataclasses import dataclass

from scr_desk.domain.enums import Rag


@dataclass(frozen=True, slots=True)
class Swatch:
    fill: str  # "#rrggbb"
    ink: str  # the colour of a letter written on the fill

    @property
    def fill_rgb(self) -> str:
        """"C62828": the form openpyxl and python-docx take."""
        return self.fill.removeprefix("#").upper()

    @property
    def ink_rgb(self) -> str:
        return self.ink.removeprefix("#").upper()


RAG_SWATCHES: dict[Rag, Swatch] = {
    Rag.RED: Swatch("#c62828", "#ffffff"),
    Rag.AMBER: Swatch("#f9a825", "#000000"),
    Rag.GREEN: Swatch("#2e7d32", "#ffffff"),
    Rag.BLUE: Swatch("#1565c0", "#ffffff"),
}
NOT_RATED = Swatch("#9e9e9e", "#000000")  # the dashboard's and the full workbook's "Not rated"


def rag_chip_html(rag: Rag) -> str:
    """The rating as rich text: its letter on its colour, then its name, so it never relies on
    colour alone (the timeline and the report's PDF)."""
    swatch = RAG_SWATCHES[rag]
    return (f'<span style="background-color:{swatch.fill}; color:{swatch.ink}; font-weight:bold">'
            f"&nbsp;{html.escape(rag.letter)}&nbsp;</span> {html.escape(rag.value)}")
