"""The one check before any library opens a zip-based file (.xlsx/.xlsm, .docx, .ods).

Reading libraries trust the archive: calamine builds a sheet's whole grid in memory, python-docx
builds the whole document's tree, and ODS repeats a cell as many times as it says. A file far
under every total limit still took 3.2 GB and 89 s (a 1.9 MB .xlsx whose sheet inflated 214:1)
or 6.3 GB and 46 s (a 1.2 MB .docx). So, before anything is handed to a reader:

1. every part's declared size and compression ratio is checked, from the zip's directory
   (zipfile checks the declared sizes against the data by CRC as it inflates);
2. the parts a reader builds in memory (worksheets, shared strings, the document, ODS content)
   are inflated a block at a time and their cells counted, so a grid far larger than its bytes
   (cells repeated, or placed at the far corner of a sheet) is refused before a reader sees it.

Memory stays at one block however large a part is, and a refusal comes in seconds.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = [
    "Allowance", "ArchiveRefused", "ArchiveSummary", "BLOCK", "CELLS_PER_BYTE", "FORMULA_SCAN_BYTES", "GRID_PER_CELL",
    "MAX_CELLS", "MAX_DOCUMENT_BYTES", "MAX_GRID", "MAX_PART_RATIO", "MAX_TABLE_CELLS", "MAX_UNCOMPRESSED_BYTES",
    "RATIO_FROM_BYTES", "UNCOMPRESSED_PER_BYTE", "holds_cell_formula", "inspect_archive", "kind_of",
]


# A bomb is a file whose content is out of all proportion to its bytes. So every limit below is a
# floor that no small file may pass (whatever it claims, a file of a few MB is read in well under
# 300 MB), which a larger file raises in proportion to its own size: the full workbook of a
# large partnership's whole record (2.3 million cells in 18 MB at 1x, ten times both at 10x) is
# real data, read in memory proportionate to it, as any reader would.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # floor; the 1x benchmark's full workbook unpacks to 150 MB
UNCOMPRESSED_PER_BYTE = 30  # above the floor: real workbooks unpack 5-20 times their size (ours 9)
MAX_PART_RATIO = 100  # real XML compresses 5-20:1 (the app's own workbooks 9:1)
RATIO_FROM_BYTES = 1024 * 1024  # a part smaller than this cannot hurt, whatever its ratio
# Read, 1.5 million short cells take 250 MB (a real tracker has tens of thousands, a 5,000-row
# return 100,000). Real workbooks hold 0.1-0.15 cells per byte of file (the full workbook 0.13);
# a bomb tens: above the floor, a file may hold a quarter of a cell per byte it has.
MAX_CELLS = 1_500_000
CELLS_PER_BYTE = 0.25
MAX_GRID = 3_000_000  # rows x columns a sheet's cells span: what calamine allocates for it
GRID_PER_CELL = 4  # above the floor, a grid may span four times the cells it holds (a dense sheet: 1-2)
MAX_DOCUMENT_BYTES = 30 * 1024 * 1024  # a Word document's main part; real action plans: well under 5 MB
MAX_TABLE_CELLS = 200_000  # Word table cells in one document
BLOCK = 1024 * 1024
_OVERLAP = 256  # bytes kept between blocks, so no tag is split unseen


class ArchiveRefused(Exception):
    """The archive may not be opened; `reason` is one sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ArchiveSummary:
    kind: str  # "xlsx", "docx", "ods" or "" (a zip of something else)
    names: frozenset[str]
    uncompressed_bytes: int
    cells: int
    # Each worksheet part looked through -> whether it holds a cell formula, found in the same pass
    # that counts its cells (so the import's formula check need not inflate the sheet a second time).
    formulas: dict[str, bool] = field(default_factory=dict)


def kind_of(names: set[str], archive: zipfile.ZipFile) -> str:
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names and archive.read("mimetype")[:100].startswith(b"application/vnd.oasis"):
        return "ods"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return ""


@dataclass(frozen=True)
class Allowance:
    """What an archive of a given size may unpack to and hold (see the limits above)."""

    uncompressed_bytes: int
    cells: int
    # Each worksheet part looked through -> whether it holds a cell formula, found in the same pass
    # that counts its cells (so the import's formula check need not inflate the sheet a second time).
    formulas: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def for_size(cls, file_bytes: int) -> Allowance:
        return cls(max(MAX_UNCOMPRESSED_BYTES, UNCOMPRESSED_PER_BYTE * file_bytes),
                   max(MAX_CELLS, int(CELLS_PER_BYTE * file_bytes)))

    def grid(self, cells: int) -> int:
        return max(MAX_GRID, GRID_PER_CELL * cells)


def inspect_archive(archive: zipfile.ZipFile) -> ArchiveSummary:
    """Check an open archive's parts and count the cells its grids hold; raises ArchiveRefused."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    total = sum(info.file_size for info in infos)
    allowance = Allowance.for_size(sum(info.compress_size for info in infos))
    if total > allowance.uncompressed_bytes:
        raise ArchiveRefused(f"it would unpack to {total // (1024 * 1024)} MB, which no real workbook or document "
                             "does (a 'zip bomb'); it was not opened")
    for info in infos:
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_PART_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise ArchiveRefused(f"part {info.filename} is compressed {ratio}:1, which only a 'zip bomb' does; it "
                                 "was not opened")
    kind = kind_of(names, archive)
    cells = 0
    formulas: dict[str, bool] = {}
    if kind == "xlsx":
        for info in infos:
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                found, formula = _worksheet_cells(archive, info, allowance.cells - cells, allowance)
                cells += found
                if formula is not None:
                    formulas[info.filename] = formula
    elif kind == "docx":
        document = archive.getinfo("word/document.xml")
        if document.file_size > MAX_DOCUMENT_BYTES:
            raise ArchiveRefused(f"its text would unpack to {document.file_size // (1024 * 1024)} MB, far more than "
                                 "any action plan; it was not opened")
        cells = _count(archive, document, (b"<w:tc>", b"<w:tc "), MAX_TABLE_CELLS, "table cells")
    elif kind == "ods" and "content.xml" in names:
        cells = _ods_cells(archive, archive.getinfo("content.xml"), allowance.cells)
    return ArchiveSummary(kind, frozenset(names), total, cells, formulas)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cut_before: bytes = b"<") -> Iterator[bytes]:
    """The part, inflated a block at a time and cut before the last `<` of each block, so that no
    tag (which holds no `<` inside it) is ever split between two chunks; or before the last
    `cut_before`, to keep a tag together with what follows it."""
    carry = b""
    with archive.open(info) as stream:
        while block := stream.read(BLOCK):
            data = carry + block
            cut = data.rfind(cut_before)
            if cut <= 0:  # no tag starts here (a long text), or one tag longer than a block
                yield data
                carry = b""
                continue
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tags: tuple[bytes, ...], limit: int, what: str) -> int:
    found = 0
    for chunk in _chunks(archive, info):
        found += sum(chunk.count(tag) for tag in tags)
        if found > limit:
            raise ArchiveRefused(f"{info.filename} holds more than {limit:,} {what}, far more than any real one; it "
                                 "was not opened")
    return found


_ROW = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})\d')  # a cell in column AA or beyond (rare: found quickly)


def _worksheet_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int,
                     allowance: Allowance) -> tuple[int, bool | None]:
    """Cells in one worksheet part, and whether it holds a cell formula (None: not looked for); refused when there are
    too many cells for the workbook, or when they span a grid (last row by widest column)
    calamine would have to build beyond MAX_GRID. Counted as cheaply as they can be bounded:
    every `<c` (a few other tags start so: a bound a little high), every `<row`, each row's
    number, and only the columns past Z looked at. A chunk never splits a tag (see _chunks), so
    a formula's `<f` is seen whole in one of them."""
    cells, rows, last_row, widest, unplaced = 0, 0, 0, 1, 0
    # Looked for only in a part of a return's size: a full workbook's sheets of updates, a hundred
    # megabytes and more, hold none, and a search through them would cost a tenth of a second each.
    formula = False if info.file_size <= FORMULA_SCAN_BYTES else None
    for chunk in _chunks(archive, info):
        if formula is False:
            formula = holds_cell_formula(chunk)
        found = chunk.count(b"<c")
        cells += found
        unplaced += found - chunk.count(b'<c r="')  # cells placed by position, not by reference
        rows += chunk.count(b"<row")
        numbers = _ROW.findall(chunk)
        if numbers:  # the largest, however they are ordered (a forged part may count down)
            last_row = max(last_row, max(map(int, numbers)))
        for match in _WIDE_CELL.finditer(chunk):
            widest = max(widest, _column_number(match[1]))
        widest = max(widest, _widest_single_letter(chunk, widest))
        if cells > room:
            raise ArchiveRefused(f"it holds more than {allowance.cells:,} cells, far more than a file of its size "
                                 "holds unless it is a 'zip bomb'; it was not opened")
    if unplaced > 64:  # (`<col`, `<cols>` and a few other tags start alike) a row may be as wide as all its cells
        widest = max(widest, cells)
    if max(last_row, rows) * widest > allowance.grid(cells):  # a bound: only cells that hold something count
        grid_rows, grid_columns = _grid_of_filled_cells(archive, info)
        if grid_rows * grid_columns > allowance.grid(cells):
            raise ArchiveRefused(f"part {info.filename} places cells across {grid_rows:,} rows and "
                                 f"{grid_columns:,} columns, a grid no real sheet needs; it was not opened")
    return cells, formula


FORMULA_SCAN_BYTES = 32 * 1024 * 1024  # a 5,000-row return's sheet is 7 MB
_AFTER_TAG_NAME = frozenset(b" \t\r\n>/")


def holds_cell_formula(data: bytes) -> bool:
    """Whether a sheet's XML has a cell formula: an <f> element, perhaps with a namespace prefix
    (<x:f>), and not <formula>, <font> or <fill>. Searched with bytes.find, which runs through
    megabytes of cells many times faster than a regular expression that tries at every '<'."""
    for marker in (b"<f", b":f"):
        at = data.find(marker)
        while at != -1:
            following = data[at + 2:at + 3]
            if following and following[0] in _AFTER_TAG_NAME and (marker == b"<f" or _prefixed_tag(data, at)):
                return True
            at = data.find(marker, at + 2)
    return False


def _prefixed_tag(data: bytes, colon: int) -> bool:
    """Whether the ':' at `colon` ends a namespace prefix that opens a tag ('<x:f')."""
    start = colon
    while start > 0 and (chr(data[start - 1]).isalnum() or data[start - 1] in b"_.-"):
        start -= 1
    return start > 0 and data[start - 1:start] == b"<" and start < colon


_ROW_BLOCK = re.compile(rb"<row\b([^>]*)>(.*?)</row>", re.DOTALL)
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_CELL_REFERENCE = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{1,3})\d")
_VALUE = re.compile(rb"<(?:v|is|f)\b")


def _grid_of_filled_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """The last row and column of the rows that hold something, as a reader places them (by
    reference, or one after another where a cell or row gives none): a second, slower look, only
    for a part whose quick bound was too large (a sheet formatted far down, or a bomb)."""
    last_row, widest, number = 0, 0, 0
    for chunk in _chunks(archive, info, cut_before=b"<row"):  # a row stays whole
        for row in _ROW_BLOCK.finditer(chunk):
            given = _ROW_NUMBER.search(row[1])
            number = int(given[1]) if given else number + 1
            if not _VALUE.search(row[2]):
                continue  # formatting only: no cell of it is read
            placed = [_column_number(m[1]) for m in _CELL_REFERENCE.finditer(row[2])]
            last_row = max(last_row, number)
            widest = max(widest, max(placed, default=0), row[2].count(b"<c"))
    return last_row, widest


def _widest_single_letter(chunk: bytes, known: int) -> int:
    """The last of the columns A-Z holding a cell in `chunk`, looked for only beyond `known`
    (one pass; a later letter is rare after the first chunk)."""
    if known >= 26:
        return known
    letters = re.findall(rb' r="([' + bytes([65 + known]) + rb'-Z])\d', chunk)
    return max(letters)[0] - 64 if letters else known  # one letter each: the greatest is the last column


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


_ODS_TAG = re.compile(rb"<table:table-(row|cell)\b([^>]*)>")
_REPEAT_COLUMNS = re.compile(rb"table:number-columns-repeated=\"(\d+)\"")
_REPEAT_ROWS = re.compile(rb"table:number-rows-repeated=\"(\d+)\"")


def _ods_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Cells holding a value, with ODS's repetitions multiplied out: a row repeated a million
    times holding a cell repeated across every column is a billion cells to a reader. Empty
    cells repeated to the sheet's end (LibreOffice writes them) cost nothing and are not counted."""
    cells, repeat_rows = 0, 1
    for chunk in _chunks(archive, info):
        for match in _ODS_TAG.finditer(chunk):
            kind, attributes = match[1], match[2]
            if kind == b"row":
                repeated = _REPEAT_ROWS.search(attributes)
                repeat_rows = int(repeated[1]) if repeated else 1
            elif b"office:value-type" in attributes:
                repeated = _REPEAT_COLUMNS.search(attributes)
                cells += (int(repeated[1]) if repeated else 1) * repeat_rows
        if cells > limit:
            raise ArchiveRefused(f"{info.filename} repeats its cells into more than {limit:,}, far more than any "
                                 "real spreadsheet (a 'zip bomb'); it was not opened")
    return cells
