"""Look at a file before any spreadsheet library does: refuse what is not a workbook we can
read safely, with one sentence naming the file and the reason.

Reading libraries do not protect against zip bombs or sheets that claim a million rows, so the
zip's directory is checked first: declared sizes are summed (zipfile verifies them by CRC when
reading), and the workbook's parts must be where an .xlsx keeps them.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scr_desk.domain.errors import ScrDeskError

MAX_FILE_BYTES = 100 * 1024 * 1024  # a tracker is kilobytes; 100 MB is far beyond any real one
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_PART_RATIO = 400  # deflate manages ~1000:1 only on contrived data; real XML is 5-20:1
# SCR Desk's own full workbook holds a partnership's whole record: at ten times the large data set
# (2,000 reviews, 1.2 million updates) it is 180 MB, unpacking to 1.6 GB. A workbook laid out as
# one (its sheets named as the full workbook's) may be 25 times the large set, if its parts
# compress as such XML does (about 9:1); anything else keeps the limits above.
FULL_SHEET_NAMES = (b"Agencies", b"Reviews", b"Recommendations", b"Actions", b"Updates", b"_scr_desk")
MAX_FULL_FILE_BYTES = 512 * 1024 * 1024
MAX_FULL_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024
MAX_FULL_PART_RATIO = 30
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
    full_layout: bool = False  # sheets named as SCR Desk's full workbook's: its larger limits apply


def check_plain_file(path: Path, what: str = "workbook", *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Raise WorkbookError unless `path` is an existing, non-empty file of a size a tracker has."""
    if not path.exists():
        raise WorkbookError(path, "the file does not exist")
    if path.is_dir():
        raise WorkbookError(path, f"this is a folder, not a {what}")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(path, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise _too_large(path, size)


def _too_large(path: Path, size: int) -> WorkbookError:
    return WorkbookError(path, f"the file is {size // (1024 * 1024)} MB, far larger than any tracker; "
                               "it was not opened")


def check_workbook_file(path: Path) -> CheckedWorkbook:
    """Raise WorkbookError unless `path` looks like a sound, reasonably sized .xlsx/.xlsm."""
    path = Path(path)
    check_plain_file(path, max_bytes=MAX_FULL_FILE_BYTES)  # a tracker's own limit once the layout is known
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(path, _ole_reason(path))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(path, _not_zip_reason(path, head))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            full_layout = _laid_out_as_full(archive, names)
            if path.stat().st_size > MAX_FILE_BYTES and not full_layout:
                raise _too_large(path, path.stat().st_size)
            if total > (MAX_FULL_UNCOMPRESSED_BYTES if full_layout else MAX_UNCOMPRESSED_BYTES):
                raise WorkbookError(path, f"it would unpack to {total // (1024 * 1024)} MB, which no real "
                                          "tracker does (a 'zip bomb'); it was not opened")
            ratio_limit = MAX_FULL_PART_RATIO if full_layout else MAX_PART_RATIO
            for info in infos:
                if info.compress_size and info.file_size / info.compress_size > ratio_limit \
                        and info.file_size > 10 * 1024 * 1024:
                    ratio = info.file_size // info.compress_size
                    raise WorkbookError(path, f"part {info.filename} is compressed {ratio}:1, which only a 'zip bomb' "
                                              "does; it was not opened")
            if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis"):
                raise WorkbookError(path, "this is an OpenDocument spreadsheet (.ods); save it from LibreOffice "
                                          "as an Excel workbook (.xlsx) and import that")
            if "xl/workbook.bin" in names:
                raise WorkbookError(path, "this is an Excel binary workbook (.xlsb); save it as an Excel "
                                          "workbook (.xlsx) and import that")
            workbook_part = _workbook_part(archive, names)
            if workbook_part is None:
                raise WorkbookError(path, "this is a zip archive but not an Excel workbook")
            workbook_xml = archive.read(workbook_part)[:20000]
    except zipfile.BadZipFile as exc:
        raise WorkbookError(path, f"the file is damaged or incomplete (the zip archive is broken: {exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError) as exc:
        raise WorkbookError(path, f"the archive uses a feature this reader does not support ({exc})") from None
    if STRICT_NAMESPACE in workbook_xml:
        raise WorkbookError(path, "this is a 'Strict Open XML' workbook; in Excel use Save As > Excel "
                                  "Workbook (.xlsx) and import that")
    date1904 = bool(re.search(rb'date1904="(1|true)"', workbook_xml))
    return CheckedWorkbook(path, date1904, total, full_layout)


def _laid_out_as_full(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether the workbook names the full workbook's sheets (read from xl/workbook.xml alone: its
    contents are checked as for any workbook once read)."""
    if "xl/workbook.xml" not in names or archive.getinfo("xl/workbook.xml").file_size > 1024 * 1024:
        return False
    declared = set(re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', archive.read("xl/workbook.xml")))
    return all(name in declared for name in FULL_SHEET_NAMES)


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
