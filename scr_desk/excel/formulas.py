"""Cells holding a formula whose result was never saved.

Excel and LibreOffice save each formula's last result beside it, and the readers return that
result. A file written by a program that does not calculate saves the formula alone, and such a
cell reads as empty: a partner's update would vanish without a word. This finds those cells, so
an import can say so. The sheet's XML is scanned only when it holds a formula at all.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from defusedxml import ElementTree

from scr_desk.excel.zip_guard import holds_cell_formula

__all__ = ["holds_cell_formula", "uncalculated_cells"]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{_OFFICE_RELS}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet_name),
                  None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_RELS}Relationship") if r.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def uncalculated_cells(path: Path, sheet_name: str,
                       formulas: Mapping[str, bool] | None = None) -> set[tuple[int, int]]:
    """(row, column) of every formula cell with no saved result on the named sheet. `formulas`
    says, of the worksheet parts the archive guard inflated, which hold a formula at all: a part
    it found none in is not inflated again (one it did not see is read here, as before)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None or part not in archive.namelist():
                return set()
            if formulas is not None and formulas.get(part) is False:
                return set()
            data = archive.read(part)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return set()
    if not holds_cell_formula(data):  # most returns hold none (conditional formats' <formula> aside)
        return set()
    found: set[tuple[int, int]] = set()
    for cell in ElementTree.fromstring(data).iter(f"{_MAIN}c"):
        formula, value = cell.find(f"{_MAIN}f"), cell.find(f"{_MAIN}v")
        if formula is not None and (value is None or not (value.text or "")) and cell.get("t") != "inlineStr":
            match = _CELL.match(cell.get("r") or "")
            if match:
                found.add((int(match[2]), _column_number(match[1])))
    return found
