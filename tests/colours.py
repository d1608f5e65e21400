"""What colour a colour is, judged by its hue (not looked up in domain/colours.py, which is what
the tests check): a swatch table with two fills swapped passed every test that compared an
output with the table itself (issue 25)."""

from __future__ import annotations

import colorsys

from scr_desk.domain.enums import Rag

RAG_NAMES = [rag.value for rag in Rag]  # "Red", "Amber", "Green", "Blue"


def colour_name(colour: str) -> str:
    """"Red", "Amber", "Green", "Blue", "Grey" (for "Not rated") or "other", for "#rrggbb",
    "rrggbb" or openpyxl's "AARRGGBB"."""
    text = colour.removeprefix("#")[-6:]
    red, green, blue = (int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, _value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.15:
        return "Grey"
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return "Red"
    if degrees < 65:
        return "Amber"
    if degrees < 170:
        return "Green"
    return "Blue" if 190 <= degrees < 260 else "other"

def meant(name: str) -> str:
    """The colour a rating's name should be drawn in ("Not rated" is grey)."""
    return "Grey" if name == "Not rated" else name


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio between two "#rrggbb" colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour.removeprefix("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
