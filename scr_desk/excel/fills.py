"""RAG read from a cell's fill colour, for trackers that colour the cell instead of writing R/A/G.
openpyxl is used here (python-calamine gives values only), in read-only mode, and only for the
one column and the rows already known to hold data."""

from __future__ import annotations

import colorsys
from pathlib import Path

import openpyxl
from openpyxl.styles.colors import COLOR_INDEX

from scr_desk.excel.guard import WorkbookError


def classify(rgb: str) -> str | None:
    """'FFFF0000' -> 'Red'; pale, grey, white or black fills -> None."""
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
        return "Red"
    if degrees < 65:
        return "Amber"
    if degrees < 170:
        return "Green"
    if degrees < 260:
        return "Blue"
    return None


def rag_fills(path: Path, sheet_name: str, column: int, first_row: int, last_row: int) -> dict[int, str]:
    """Row number -> RAG named by the fill colour of (row, column)."""
    if not openpyxl.DEFUSEDXML:
        raise WorkbookError(path, "protection against hostile XML is switched off (OPENPYXL_DEFUSEDXML); "
                                  "unset that environment variable and import again")
    found: dict[int, str] = {}
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise WorkbookError(path, f"the cell colours could not be read ({' '.join(str(exc).split())[:120]})") from None
    try:
        sheet = book[sheet_name]
        for offset, (cell,) in enumerate(sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=column,
                                                          max_col=column)):
            fill = getattr(cell, "fill", None)
            colour = getattr(fill, "fgColor", None) if fill is not None and fill.fill_type == "solid" else None
            if colour is None:
                continue
            rgb = None
            if colour.type == "rgb" and isinstance(colour.rgb, str):
                rgb = colour.rgb
            elif colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
                rgb = COLOR_INDEX[colour.indexed]
            name = classify(rgb) if rgb else None
            if name:
                found[first_row + offset] = name
    except Exception as exc:
        raise WorkbookError(path, f"the cell colours could not be read ({' '.join(str(exc).split())[:120]})",
                            sheet=sheet_name) from None
    finally:
        book.close()
    return found
