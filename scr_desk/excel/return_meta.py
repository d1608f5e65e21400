"""Which export a return workbook on disk is: its hidden sheet's export id, read without loading
the rest (a chaser attaches the file only if it is still the return that was sent)."""

from __future__ import annotations

import logging
from pathlib import Path

from scr_desk.excel.layout import META_SHEET

__all__ = ["export_id_of"]


log = logging.getLogger(__name__)


def export_id_of(path: Path) -> str | None:
    """The export id in the workbook at `path`, or None when it is not a return of ours (or not
    readable: then it is rebuilt from the record rather than trusted)."""
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not the return sent
        log.debug("Not a readable return: %s", path, exc_info=True)
        return None
    try:
        if META_SHEET not in book.sheetnames:
            return None
        for row in book[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
            if row and row[0] == "export_id":
                return str(row[1]) if len(row) > 1 and row[1] else None
        return None
    finally:
        book.close()
