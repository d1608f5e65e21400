"""RAG named by a fill colour, for trackers that colour the cell instead of writing R/A/G (the
fills themselves are read in tracker_xlsx_extras, which also resolves theme and indexed colours)."""

from __future__ import annotations

import colorsys

from scr_desk.domain.enums import Rag

__all__ = ["classify"]


def classify(rgb: str) -> Rag | None:
    """'FFFF0000' -> Rag.RED; pale, grey, white or black fills -> None."""
    value = rgb[-6:]
    try:
        r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.35 or lightness < 0.12 or lightness > 0.92:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return Rag.RED
    if degrees < 65:
        return Rag.AMBER
    if degrees < 170:
        return Rag.GREEN
    if degrees < 260:
        return Rag.BLUE
    return None
