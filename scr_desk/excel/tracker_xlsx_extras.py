"""What an .xlsx tracker says beside its values: solid fills (a RAG given only by colour, in
standard, indexed and theme colours with tint), hyperlinks, cell comments, bold, and hidden rows and
columns. openpyxl is used here because python-calamine gives values only; the workbook is opened once."""

from __future__ import annotations

import colorsys
import re
import warnings
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.styles.colors import COLOR_INDEX

from scr_desk.excel.guard import WorkbookError

if TYPE_CHECKING:
    from scr_desk.excel.tracker_source import Grid, TrackerBook

STYLE_LIMIT_BYTES = 8 * 1024 * 1024  # formatting of larger files is not read (no tracker is that big)
MAX_COLUMN = 200
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


def add_extras(book: TrackerBook) -> None:
    """Fill in each grid's fills, links, comments, bold and hidden rows and columns."""
    path = book.path
    if path.suffix.lower() not in (".xlsx", ".xlsm") or path.stat().st_size > STYLE_LIMIT_BYTES:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            book.losses.append("the file is too large for its cell colours, links and comments to be read; "
                               "a RAG shown only by colour was not read")
        return
    if not openpyxl.DEFUSEDXML:
        raise WorkbookError(path, "protection against hostile XML is switched off (OPENPYXL_DEFUSEDXML); "
                                  "unset that environment variable and import again")
    try:
        with warnings.catch_warnings():  # a workbook without a stylesheet is simply one without colours
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a part it cannot read
        raise WorkbookError(path, f"the cell colours could not be read ({' '.join(str(exc).split())[:120]})") from None
    try:
        theme = theme_colours(getattr(workbook, "loaded_theme", None))
        for grid in book.grids:
            if grid.name in workbook.sheetnames:
                _sheet_extras(workbook[grid.name], grid, theme)
    finally:
        workbook.close()


def _sheet_extras(sheet: Any, grid: Grid, theme: list[str]) -> None:
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.hidden:
            first, last = dimension.min or 0, dimension.max or 0
            if first and last:
                grid.hidden_columns.update(range(first, min(last, MAX_COLUMN) + 1))
            else:
                grid.hidden_columns.add(openpyxl.utils.column_index_from_string(letter))
    last_row = len(grid.rows)
    grid.hidden_rows = {r for r, dimension in sheet.row_dimensions.items() if dimension.hidden and r <= last_row}
    for link in getattr(sheet, "_hyperlinks", []):
        address = link.target or (f"#{link.location}" if link.location else "")
        if address and link.ref:
            cell = sheet[link.ref.split(":")[0]]
            grid.links[(cell.row, cell.column)] = str(address)
    for row in sheet.iter_rows(min_row=1, max_row=last_row, max_col=MAX_COLUMN):
        for cell in row:
            if cell.comment is not None and cell.comment.text:
                grid.comments[(cell.row, cell.column)] = " ".join(str(cell.comment.text).split())
            if cell.hyperlink is not None and (cell.row, cell.column) not in grid.links and cell.hyperlink.target:
                grid.links[(cell.row, cell.column)] = str(cell.hyperlink.target)
            font = cell.font
            if font is not None and font.b and cell.value is not None:
                grid.bold.add((cell.row, cell.column))
            fill = cell.fill
            if fill is not None and fill.fill_type == "solid":
                rgb = colour_rgb(fill.fgColor, theme)
                if rgb:
                    grid.fills[(cell.row, cell.column)] = rgb
