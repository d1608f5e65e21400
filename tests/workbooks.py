"""Workbooks built for the tests: a hand-made tracker as people make them, and hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

RED, AMBER, GREEN = "FFFF0000", "FFFFC000", "FF00B050"


def legacy_tracker(path: Path) -> Path:
    """Two reviews on two sheets, as last quarter's tracker was made by hand."""
    book = openpyxl.Workbook()
    clare = book.active
    clare.title = "Clare"
    clare["A1"] = "Serious Case Review - Clare: multi-agency action plan 2020/21"
    clare.merge_cells("A1:H1")
    clare.append([])  # row 2 empty
    clare.append(["Rec No.", "Recommendation", "Action(s)", "Lead Agency", "Lead Officer", "Target Date",
                  "RAG Rating", "Progress Update", "Date"])
    rows = [
        ["1", "MASH thresholds are applied consistently", "Audit threshold decisions", "Southampton City Council",
         "J Watkins", "31/03/2021", None, "Audit done; 95% compliant", "03/12/2020"],
        [None, None, "Police training on the voice of the child", "Hampshire Constabulary", "K Whiting",
         "3 Dec 2020", "G", "Training delivered", "03/12/2020"],
        ["3", "Professional curiosity about domestic abuse", "Domestic abuse training programme",
         "Southampton City Council", "J Watkins", "2021-06-30", None, "Programme commenced", "03/12/2020"],
        [None, None, "Assistant Team Managers in assessment teams", "Southampton City Council", "J Watkins",
         "30/09/2021", "Amber/Green", "In place since the learning report", "03/12/2020"],
    ]
    for row in rows:
        clare.append(row)
    # The recommendation cells span their action rows, as trackers do.
    for column in "AB":
        clare.merge_cells(f"{column}4:{column}5")
        clare.merge_cells(f"{column}6:{column}7")
    clare["G4"].fill = PatternFill("solid", fgColor=RED)  # RAG shown only by colour
    clare["G6"].fill = PatternFill("solid", fgColor=AMBER)
    adult = book.create_sheet("Adult B")
    adult.append(["SAR Adult B - recommendations tracker"])
    adult.append(["No.", "Recommendation", "Lead agency", "Status", "RAG", "Update Q2", "Update Q3",
                  "Evidence", "Date of update"])
    adult.append([1, "Self-neglect guidance for all agencies", "Solent NHS Trust", "Complete", "Blue", "old news",
                  "Guidance published and briefed", "Briefing slides", "15/01/2021"])
    adult.append([2, "Escalation routes for hoarding cases", "Southampton City Council", "Ongoing", "R", None,
                  "Draft protocol with legal", None, "15/01/2021"])
    book.save(path)
    return path


def zip_bomb(path: Path) -> Path:
    """A tiny file whose shared strings would unpack to well over a gigabyte."""
    base = Path(path).with_suffix(".base.xlsx")
    openpyxl.Workbook().save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            block = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
            for _ in range(1100):
                stream.write(block)
    base.unlink()
    return path


def entity_bomb(path: Path) -> Path:
    """'Billion laughs' in a worksheet part."""
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>", "")
    sheet = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>' + sheet.replace(
        "<v>", "<v>&e9;", 1) if "<v>" in sheet else sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def phantom_rows(path: Path) -> Path:
    """One formatted but empty cell at the last row Excel allows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Rec No.", "Recommendation", "Status"])
    sheet.append(["1", "Something", "Ongoing"])
    sheet.cell(1_048_576, 1).fill = PatternFill("solid", fgColor=RED)
    book.save(path)
    return path


def truncated(source: Path, path: Path) -> Path:
    data = Path(source).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


_SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxml'
                b'formats.org/spreadsheetml/2006/main"><sheetData>')


def _with_part(path: Path, base: Path, name: str, write: object) -> Path:
    """`base` re-zipped to `path` with part `name` streamed by `write(stream)` (never held whole)."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        with target.open(name, "w", force_zip64=True) as stream:
            write(stream)  # type: ignore[operator]
    base.unlink()
    return path


def inflating_sheet(path: Path, rows: int, columns: int = 200, distinct: int = 200) -> Path:
    """A small .xlsx whose one sheet inflates to rows x columns text cells: with few distinct
    values it compresses about 170:1, as the audit's 1.9 MB file did (214:1)."""
    base = Path(path).with_suffix(".base.xlsx")
    openpyxl.Workbook().save(base)

    def write(stream: object) -> None:
        stream.write(_SHEET_START)  # type: ignore[attr-defined]
        row = b"<row>" + b"".join(b'<c t="inlineStr"><is><t>%d</t></is></c>' % (n % distinct)
                                  for n in range(columns)) + b"</row>"
        for _ in range(rows):
            stream.write(row)  # type: ignore[attr-defined]
        stream.write(b"</sheetData></worksheet>")  # type: ignore[attr-defined]
    return _with_part(path, base, "xl/worksheets/sheet1.xml", write)


def dense_real_sheet(path: Path, rows: int, columns: int = 12) -> Path:
    """A .xlsx as large as its data: rows x columns cells of distinct words and numbers (as a
    large partnership's full workbook holds), compressing about as real sheets do."""
    import random
    words = [f"{word}{n}".encode() for n, word in enumerate(("review", "agency", "update", "target", "audit")
                                                           * 4000)]
    chooser = random.Random(7)
    base = Path(path).with_suffix(".base.xlsx")
    openpyxl.Workbook().save(base)

    def write(stream: object) -> None:
        stream.write(_SHEET_START)  # type: ignore[attr-defined]
        for number in range(1, rows + 1):
            cells = b"".join(b'<c t="inlineStr"><is><t>%s %s %d</t></is></c>'
                             % (chooser.choice(words), chooser.choice(words), chooser.getrandbits(24))
                             for _ in range(columns))
            stream.write(b'<row r="%d">%s</row>' % (number, cells))  # type: ignore[attr-defined]
        stream.write(b"</sheetData></worksheet>")  # type: ignore[attr-defined]
    return _with_part(path, base, "xl/worksheets/sheet1.xml", write)


def far_corner_sheet(path: Path) -> Path:
    """Two cells, one at A1 and one 200,000 rows down in column ZZ: a grid of 140 million cells."""
    base = Path(path).with_suffix(".base.xlsx")
    openpyxl.Workbook().save(base)

    def write(stream: object) -> None:
        stream.write(_SHEET_START + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Rec</t></is></c></row>'  # type: ignore[attr-defined]
                     b'<row r="200000"><c r="ZZ200000"><v>1</v></c></row></sheetData></worksheet>')
    return _with_part(path, base, "xl/worksheets/sheet1.xml", write)


def inflating_document(path: Path, rows: int) -> Path:
    """A small .docx holding one table of rows x 10 cells, highly compressible."""
    import docx
    base = Path(path).with_suffix(".base.docx")
    docx.Document().save(str(base))
    cell = b"<w:tc><w:p><w:r><w:t>Ongoing</w:t></w:r></w:p></w:tc>"

    def write(stream: object) -> None:
        stream.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://'  # type: ignore[attr-defined]
                     b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>')
        for _ in range(rows):
            stream.write(b"<w:tr>" + cell * 10 + b"</w:tr>")  # type: ignore[attr-defined]
        stream.write(b"</w:tbl></w:body></w:document>")  # type: ignore[attr-defined]
    return _with_part(path, base, "word/document.xml", write)


def repeating_ods(path: Path) -> Path:
    """A tiny .ods whose one row, repeated a million times, repeats a number across 1,000 columns."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               b'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
               b'<office:body><office:spreadsheet><table:table table:name="Tracker">'
               b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
               b'office:value="1" table:number-columns-repeated="1000"/></table:table-row>'
               b'</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("content.xml", content)
    return path


def unplaced_wide_row(path: Path) -> Path:
    """A heading, then 200,000 rows down one row of 20,000 cells that name no column: a reader
    places them one after another, a grid of four billion cells."""
    base = Path(path).with_suffix(".base.xlsx")
    openpyxl.Workbook().save(base)

    def write(stream: object) -> None:
        stream.write(_SHEET_START + b'<row r="1"><c t="inlineStr"><is><t>Rec</t></is></c></row>'  # type: ignore[attr-defined]
                     b'<row r="200000">' + b"<c><v>1</v></c>" * 20_000 + b"</row></sheetData></worksheet>")
    return _with_part(path, base, "xl/worksheets/sheet1.xml", write)
