"""Which of the three kinds a workbook is, decided by its contents, never by a sheet's state:
LibreOffice re-saves a very hidden sheet as merely hidden, and a partner may unhide it."""

from __future__ import annotations

from typing import Any

from scr_desk.domain.enums import ImportKind
from scr_desk.excel.layout import FULL_SHEETS, META_SHEET
from scr_desk.excel.reader import SheetData, WorkbookData
from scr_desk.excel.values import as_text

__all__ = ["detect_kind", "read_facts"]


def read_facts(sheet: SheetData) -> dict[str, Any]:
    """The name/value pairs at the top of a metadata sheet, up to the first blank row."""
    facts: dict[str, Any] = {}
    for row in sheet.rows:
        if not row or row[0] is None:
            break
        facts[as_text(row[0])] = row[1] if len(row) > 1 else None
    return facts


def detect_kind(book: WorkbookData) -> tuple[ImportKind, dict[str, Any]]:
    """The kind, and the facts of the hidden sheet. A workbook laid out as a return or a full
    workbook whose hidden part is gone is still that kind (with no facts), so that it is refused
    as a return that was tampered with, never taken for a person's tracker."""
    from scr_desk.excel.returns_reader import looks_like_a_return
    laid_out_as = ImportKind.LEGACY
    if all(book.sheet(name) is not None for name in FULL_SHEETS):
        laid_out_as = ImportKind.FULL
    elif looks_like_a_return(book):
        laid_out_as = ImportKind.RETURNS
    meta = book.sheet(META_SHEET)
    facts = read_facts(meta) if meta is not None else {}
    if facts.get("format") == "scr_desk" and facts.get("kind") == laid_out_as:
        return laid_out_as, facts
    # No hidden part, or one that claims another kind than the sheets show: a return or a full
    # workbook that was tampered with, to be refused as such (a tracker has neither).
    return laid_out_as, {}
