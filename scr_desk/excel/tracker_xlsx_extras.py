"""What an .xlsx tracker says beside its values: solid fills (a RAG given only by colour, in
standard, indexed and theme colours with tint), hyperlinks, cell comments, bold, and hidden rows and
columns. python-calamine gives values only, and openpyxl takes seconds to build a cell object for
every cell of a large sheet, so the workbook's own parts are read here, once each: the styles (small,
parsed by defusedxml), and each sheet's XML scanned for the style, hyperlink and hidden marks it holds
(a scan expands no entities, and the guard has already bounded every part's size)."""

from __future__ import annotations

import colorsys
import posixpath
import re
import zipfile
from typing import TYPE_CHECKING

from defusedxml import ElementTree
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import column_index_from_string

from scr_desk.excel.guard import WorkbookError

if TYPE_CHECKING:
    from scr_desk.excel.tracker_source import Grid, TrackerBook

STYLE_LIMIT_BYTES = 40 * 1024 * 1024  # no tracker's formatting is larger
MAX_COLUMN = 200
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
THEME_ORDER = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink"]  # the theme index order Excel uses in cell colours
CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
ATTRIBUTE = re.compile(rb'\b(r|s)="([^"]*)"')
ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
COL = re.compile(rb"<col\b([^>]*)/?>")
LINK = re.compile(rb"<hyperlink\b([^>]*)/?>")
ANY_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
ADDRESS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)")


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


def colour_of(element: ElementTree.Element | None, theme: list[str]) -> str | None:
    """An fgColor element's colour as RRGGBB: rgb, indexed, or theme with tint."""
    if element is None:
        return None
    if (rgb := element.get("rgb")) and len(rgb) >= 6:
        return str(rgb[-6:]).upper()
    if (indexed := element.get("indexed")) and indexed.isdigit() and int(indexed) < len(COLOR_INDEX):
        return str(COLOR_INDEX[int(indexed)][-6:])
    if (index := element.get("theme")) and index.isdigit() and int(index) < len(theme) and theme[int(index)]:
        try:
            tint = float(element.get("tint") or 0)
        except ValueError:
            tint = 0.0
        return apply_tint(theme[int(index)], tint)
    return None


def add_extras(book: TrackerBook) -> None:
    """Fill in each grid's fills, links, comments, bold and hidden rows and columns."""
    path = book.path
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if sum(i.file_size for i in archive.infolist()) > STYLE_LIMIT_BYTES:
                book.losses.append("the file is too large for its cell colours, links and comments to be read; "
                                   "a RAG shown only by colour was not read")
                return
            theme = theme_colours(archive.read("xl/theme/theme1.xml")) if "xl/theme/theme1.xml" in names else []
            styles = _styles(archive, names, theme)
            parts = _sheet_parts(archive, names)
            for grid in book.grids:
                part = parts.get(grid.name)
                if part is not None and part in names:
                    _sheet(archive, names, part, grid, styles)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - a part we cannot read is a broken file
        raise WorkbookError(path, f"the cell colours could not be read ({' '.join(str(exc).split())[:120]})") from None


def _styles(archive: zipfile.ZipFile, names: set[str], theme: list[str]) -> dict[int, tuple[str | None, bool, bool]]:
    """Style index -> (its solid fill's colour, whether its font is bold, whether it is struck through)."""
    if "xl/styles.xml" not in names:
        return {}
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fills = []
    for fill in root.iter(f"{MAIN}fill"):
        pattern = fill.find(f"{MAIN}patternFill")
        solid = pattern is not None and pattern.get("patternType") == "solid"
        fills.append(colour_of(pattern.find(f"{MAIN}fgColor"), theme) if solid and pattern is not None else None)
    fonts: list[tuple[bool, bool]] = []
    for font in root.iter(f"{MAIN}font"):
        bold, strike = font.find(f"{MAIN}b"), font.find(f"{MAIN}strike")
        fonts.append((bold is not None and bold.get("val") not in ("0", "false"),
                      strike is not None and strike.get("val") not in ("0", "false")))
    found = {}
    xfs = root.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        fill_id, font_id = int(xf.get("fillId") or 0), int(xf.get("fontId") or 0)
        bold, struck = fonts[font_id] if font_id < len(fonts) else (False, False)
        found[index] = (fills[fill_id] if fill_id < len(fills) else None, bold, struck)
    return found


def _rels(archive: zipfile.ZipFile, names: set[str], part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type's last word, target resolved against the part)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in names:
        return {}
    found = {}
    for rel in ElementTree.fromstring(archive.read(rels)):
        target = rel.get("Target") or ""
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target[1:]
        found[rel.get("Id") or ""] = (kind, target)
    return found


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    if "xl/workbook.xml" not in names:
        return {}
    rels = _rels(archive, names, "xl/workbook.xml")
    found = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
        relation = rels.get(sheet.get(f"{REL}id") or "")
        if relation is not None:
            found[sheet.get("name") or ""] = relation[1]
    return found


def _sheet(archive: zipfile.ZipFile, names: set[str], part: str, grid: Grid,
           styles: dict[int, tuple[str | None, bool, bool]]) -> None:
    xml = archive.read(part)
    last_row = len(grid.rows)
    for match in CELL.finditer(xml):
        found = dict(ATTRIBUTE.findall(match[1]))
        style = found.get(b"s")
        if not style or not style.isdigit() or int(style) not in styles:
            continue
        place = ADDRESS.match(found.get(b"r", b"").decode("ascii", "replace"))
        if place is None:
            continue
        row, column = int(place[2]), column_index_from_string(place[1])
        if row > last_row or column > MAX_COLUMN:
            continue
        fill, bold, struck = styles[int(style)]
        if fill:
            grid.fills[(row, column)] = fill
        if bold and match[3] and (b"<v>" in match[3] or b"<is>" in match[3]):
            grid.bold.add((row, column))
        if struck and match[3] and (b"<v>" in match[3] or b"<is>" in match[3]):
            grid.struck.add((row, column))
    grid.hidden_rows = {int(r) for r in ROW_HIDDEN.findall(xml) if int(r) <= last_row}
    for match in COL.finditer(xml):
        found = dict(ANY_ATTRIBUTE.findall(match[1]))
        if found.get(b"hidden") in (b"1", b"true") and found.get(b"min", b"").isdigit():
            first, last = int(found[b"min"]), int(found.get(b"max", found[b"min"]) or found[b"min"])
            grid.hidden_columns.update(range(first, min(last, MAX_COLUMN) + 1))
    rels = _rels(archive, names, part)
    for match in LINK.finditer(xml):
        found = dict(ANY_ATTRIBUTE.findall(match[1]))
        place = ADDRESS.match(found.get(b"ref", b"").decode("ascii", "replace"))
        relation = rels.get(found.get(b"r:id", b"").decode("ascii", "replace"))
        address = relation[1] if relation else "#" + found.get(b"location", b"").decode("utf-8", "replace")
        if place is not None and address not in ("", "#"):
            grid.links[(int(place[2]), column_index_from_string(place[1]))] = address
    for kind, target in rels.values():
        if kind == "comments" and target in names:
            for comment in ElementTree.fromstring(archive.read(target)).iter(f"{MAIN}comment"):
                place = ADDRESS.match(comment.get("ref") or "")
                words = " ".join("".join(t.text or "" for t in comment.iter(f"{MAIN}t")).split())
                if place is not None and words:
                    grid.comments[(int(place[2]), column_index_from_string(place[1]))] = words
