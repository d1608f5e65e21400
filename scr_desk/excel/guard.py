"""Look at a file before any spreadsheet library does: refuse what is not a workbook we can
read safely, with one sentence naming the file and the reason.

Reading libraries do not protect against zip bombs or sheets that claim a million rows, so every
zip-based file (.xlsx, .docx, .ods) goes through `check_archive` first: each part's size and
ratio, and the cells its grids hold, are checked a block at a time (see zip_guard), and the
workbook's parts must be where an .xlsx keeps them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scr_desk.domain.errors import ScrDeskError
from scr_desk.excel.zip_guard import MAX_UNCOMPRESSED_BYTES, ArchiveRefused, ArchiveSummary, inspect_archive

__all__ = ["MAX_UNCOMPRESSED_BYTES", "CheckedWorkbook", "WorkbookError", "check_archive", "check_plain_file",
           "check_workbook_file"]

# A tracker is kilobytes; the full workbook of a large partnership at ten times the benchmark's size
# is about 180 MB. What a file holds is judged against its size by zip_guard.Allowance.
MAX_FILE_BYTES = 1024 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


class WorkbookError(ScrDeskError):
    """A workbook that cannot be used; the message is one sentence for the user."""

    def __init__(self, path: Path | str, reason: str, *, sheet: str | None = None, row: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.sheet = sheet
        self.row = row
        where = self.path.name
        if sheet:
            where += f", sheet {sheet!r}"
        if row:
            where += f", row {row}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class CheckedWorkbook:
    path: Path
    date1904: bool
    uncompressed_bytes: int
    kind: str = "xlsx"  # "xlsx", "docx" or "ods"
    formulas: Mapping[str, bool] = field(default_factory=dict)  # worksheet part inspected -> holds a formula


def check_plain_file(path: Path, what: str = "workbook") -> None:
    """Raise WorkbookError unless `path` is an existing, non-empty file of a size a tracker has."""
    if not path.exists():
        raise WorkbookError(path, "the file does not exist")
    if path.is_dir():
        raise WorkbookError(path, f"this is a folder, not a {what}")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(path, "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise WorkbookError(path, f"the file is {size // (1024 * 1024)} MB, far larger than any tracker; "
                                  "it was not opened")


def check_archive(path: Path, what: str = "workbook") -> CheckedWorkbook:
    """The one entry point for every zip-based file a reader opens (.xlsx/.xlsm, .docx, .ods):
    raise WorkbookError (one sentence) unless it is a sound archive of one of those kinds whose
    parts and cells a reader can hold (checked a block at a time, before any reader sees it)."""
    path = Path(path)
    check_plain_file(path, what)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(path, _ole_reason(path))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(path, _not_zip_reason(path, head))
    try:
        with zipfile.ZipFile(path) as archive:
            summary = inspect_archive(archive)
            if summary.kind == "xlsx":
                return _checked_xlsx(path, archive, summary)
    except ArchiveRefused as exc:
        raise WorkbookError(path, exc.reason) from None
    except zipfile.BadZipFile as exc:
        raise WorkbookError(path, f"the file is damaged or incomplete (the zip archive is broken: {exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise WorkbookError(path, f"the archive could not be read ({exc})") from None
    if not summary.kind:
        raise WorkbookError(path, "this is a zip archive but not an Excel workbook, a Word document or an "
                                  "OpenDocument spreadsheet")
    return CheckedWorkbook(path, False, summary.uncompressed_bytes, summary.kind)


def check_workbook_file(path: Path) -> CheckedWorkbook:
    """Raise WorkbookError unless `path` looks like a sound, reasonably sized .xlsx/.xlsm."""
    checked = check_archive(path)
    if checked.kind == "ods":
        raise WorkbookError(path, "this is an OpenDocument spreadsheet (.ods); save it from LibreOffice "
                                  "as an Excel workbook (.xlsx) and import that")
    if checked.kind == "docx":
        raise WorkbookError(path, "this is a Word document; save it with a .docx name and import that")
    return checked


def _checked_xlsx(path: Path, archive: zipfile.ZipFile, summary: ArchiveSummary) -> CheckedWorkbook:
    if "xl/workbook.bin" in summary.names:
        raise WorkbookError(path, "this is an Excel binary workbook (.xlsb); save it as an Excel "
                                  "workbook (.xlsx) and import that")
    workbook_part = _workbook_part(archive, set(summary.names))
    if workbook_part is None:
        raise WorkbookError(path, "this is a zip archive but not an Excel workbook")
    workbook_xml = archive.read(workbook_part)[:20000]
    if STRICT_NAMESPACE in workbook_xml:
        raise WorkbookError(path, "this is a 'Strict Open XML' workbook; in Excel use Save As > Excel "
                                  "Workbook (.xlsx) and import that")
    date1904 = bool(re.search(rb'date1904="(1|true)"', workbook_xml))
    return CheckedWorkbook(path, date1904, summary.uncompressed_bytes, "xlsx", summary.formulas)


def _workbook_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    if "[Content_Types].xml" in names:  # a workbook part somewhere else, as the content types say
        types = archive.read("[Content_Types].xml")[:50000]
        match = re.search(rb'PartName="/([^"]+)"[^>]*ContentType="application/vnd\.(?:ms-excel|openxmlformats-'
                          rb'officedocument\.spreadsheetml)\.(?:sheet|template)\.main(?:\.macroEnabled)?\+xml"', types)
        if match and match.group(1).decode() in names:
            return match.group(1).decode()
    return None


def _ole_reason(path: Path) -> str:
    # Both legacy .xls files and password-protected .xlsx files are OLE compound documents;
    # an encrypted package names its streams EncryptionInfo and EncryptedPackage.
    with path.open("rb") as handle:
        data = handle.read(4 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "the workbook is protected with a password; open it in Excel, remove the password " \
               "(File > Info > Protect Workbook), save it and import that copy"
    return "this is an old-style Excel file (.xls); open it in Excel or LibreOffice, save it as an Excel " \
           "workbook (.xlsx) and import that"


def _not_zip_reason(path: Path, head: bytes) -> str:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if head.startswith(b"PK"):
        return "the file is damaged or incomplete (it starts like a workbook but the archive is cut short)"
    if head.startswith(b"%PDF"):
        return "this is a PDF document, not a workbook"
    if head.startswith((b"<?xml", b"<html", b"<HTML", b"<!DOCTYPE")):
        return "this is an XML or web page file, not an Excel workbook; save it as .xlsx and import that"
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and ("," in text or "\t" in text or ";" in text):
        return "this is a text (CSV) file, not an Excel workbook; open it in Excel or LibreOffice, " \
               "save it as .xlsx and import that"
    return "this is not an Excel workbook (.xlsx)"
