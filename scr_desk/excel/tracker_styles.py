"""What a tracker says with formatting: RAG given only as a cell's fill (standard, indexed and
theme colours, with tint) and columns hidden from view. openpyxl is used here because
python-calamine gives values only; the workbook is opened once per sheet read."""

from __future__ import annotations

import colorsys
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles.colors import COLOR_INDEX

from scr_desk.domain.enums import Rag
from scr_desk.excel.fills import classify
from scr_desk.excel.guard import WorkbookError

STYLE_LIMIT_BYTES = 8 * 1024 * 1024  # styles of larger files are not read (no tracker is that big)
THEME_ORDER = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink"]  # the theme index order Excel uses in cell colours


def theme_colours(theme_xml: bytes | str | None) -> list[str]:
    """The twelve colours of the workbook's theme as RRGGBB, in the order cells index them."""
    if not theme_xml:
        return []
    text = theme_xml.decode("utf-8", "replace") if isinstance(theme_xml, bytes) else theme_xml
    scheme = re.search(r"<a:clrScheme[^>]*>(.*?)</a:clrScheme>", text, re.S)
    if not scheme:
        return []
    found = {}
    for name, body in re.findall(r"<a:(\w+)>(.*?)</a:\1>", scheme[1], re.S):
        value = re.search(r'(?:srgbClr val|lastClr)="([0-9A-Fa-f]{6})"', body)
        if value:
            found[name] = value[1].upper()
    return [found.get(name, "") for name in THEME_ORDER]


def apply_tint(rgb: str, tint: float) -> str:
    """Excel's tint: towards white (positive) or black (negative), in HLS lightness."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(hue, min(max(light, 0.0), 1.0), sat)
    return "".join(f"{round(x * 255):02X}" for x in (r, g, b))


def colour_rgb(colour: Any, theme: list[str]) -> str | None:
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str):
        return str(colour.rgb[-6:])
    if kind == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
        return str(COLOR_INDEX[colour.indexed][-6:])
    if kind == "theme" and isinstance(colour.theme, int) and colour.theme < len(theme) and theme[colour.theme]:
        return apply_tint(theme[colour.theme], float(colour.tint or 0))
    return None


class SheetStyles:
    """Fills and hidden columns of one sheet; empty when the file is too large to read styles."""

    def __init__(self, path: Path, sheet_name: str, opened: dict[Path, Any] | None = None) -> None:
        """`opened` keeps the workbook loaded for the next sheet of the same file."""
        self.hidden: set[int] = set()
        self._book: Any = None
        self._sheet: Any = None
        self._theme: list[str] = []
        self._owned = opened is None
        if path.suffix.lower() not in (".xlsx", ".xlsm") or path.stat().st_size > STYLE_LIMIT_BYTES:
            return
        if not openpyxl.DEFUSEDXML:
            raise WorkbookError(path, "protection against hostile XML is switched off (OPENPYXL_DEFUSEDXML); "
                                      "unset that environment variable and import again")
        try:
            if opened is not None and path in opened:
                self._book = opened[path]
            else:
                self._book = openpyxl.load_workbook(path, data_only=True)
                if opened is not None:
                    opened[path] = self._book
            self._sheet = self._book[sheet_name]
            self._theme = theme_colours(getattr(self._book, "loaded_theme", None))
            for letter, dimension in self._sheet.column_dimensions.items():
                if dimension.hidden:
                    first, last = dimension.min or 0, dimension.max or 0
                    if first and last:
                        self.hidden.update(range(first, min(last, 200) + 1))
                    else:
                        self.hidden.add(openpyxl.utils.column_index_from_string(letter))
        except Exception as exc:
            raise WorkbookError(path, f"the cell colours could not be read ({' '.join(str(exc).split())[:120]})",
                                sheet=sheet_name) from None

    def rag_fill(self, row: int, column: int) -> Rag | None:
        """The RAG the cell's solid fill names, or None."""
        if self._sheet is None:
            return None
        try:
            fill = self._sheet.cell(row, column).fill
        except Exception:  # noqa: BLE001 - a style we cannot read is simply no colour
            return None
        if fill is None or fill.fill_type != "solid":
            return None
        rgb = colour_rgb(fill.fgColor, self._theme)
        return classify(rgb) if rgb else None

    def close(self) -> None:
        if self._book is not None and self._owned:
            self._book.close()
