"""The panel report as a Word document (python-docx): A4, running header, "Page n of N" footer,
and tables whose rows never split across a page and whose header row repeats."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from scr_desk.domain.colours import LABEL_FILL, RAG_SWATCHES, rgb
from scr_desk.domain.dates import format_uk
from scr_desk.services.files import write_atomically
from scr_desk.services.report_content import ACTION_HEADINGS, GLANCE_HEADINGS, action_row, detail_rows, glance_row
from scr_desk.services.reports import PanelReport, RecommendationLine

__all__ = ["write_docx"]



def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field such as PAGE or NUMPAGES, updated by Word when the page is laid out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _keep_rows_whole(table: Table, header_rows: int = 0) -> None:
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        properties.append(cant_split)
        if index < header_rows:
            repeat = OxmlElement("w:tblHeader")
            properties.append(repeat)


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def write_docx(report: PanelReport, path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    header = section.header.paragraphs[0]
    header.text = f"{report.partnership or 'Safeguarding partnership'} — {report.panel} — {format_uk(report.as_of)}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.partnership or 'Safeguarding partnership'}\n{report.panel}\n"
                           f"{format_uk(report.as_of)}")
    for review in report.sections:
        document.add_heading(f"{review.review_type}: {review.name}", level=1)
        if review.previous_report:
            since = f"Changes are shown since the report of {format_uk(review.previous_report)}."
            document.add_paragraph().add_run(since).italic = True
        document.add_paragraph().add_run(review.summary).bold = True
        counts = document.add_table(rows=2, cols=len(review.counts))
        counts.style = "Table Grid"
        for column, (name, count) in enumerate(review.counts.items()):
            counts.cell(0, column).text = name.capitalize()
            counts.cell(1, column).text = str(count)
        _keep_rows_whole(counts, header_rows=1)
        document.add_paragraph().add_run("At a glance").bold = True
        _grid(document, GLANCE_HEADINGS, [glance_row(line) for line in review.lines], size=Pt(8.5))
        for line in review.lines:
            _recommendation(document, line)
    if not report.sections:
        document.add_paragraph("There are no reviews to report on.")
    write_atomically(Path(path), lambda temp: document.save(str(temp)), for_others=True)  # for the panel


def _grid(document: DocumentObject, headings: tuple[str, ...], rows: list[tuple[str, ...]],
          size: Pt | None = None) -> None:
    """A table with a bold header row that repeats on each page; no row splits across pages."""
    table = document.add_table(rows=1 + len(rows), cols=len(headings))
    table.style = "Table Grid"
    for column, title in enumerate(headings):
        table.cell(0, column).text = title
        table.cell(0, column).paragraphs[0].runs[0].bold = True
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    if size is not None:
        for cell in (cell for row in table.rows for cell in row.cells):
            for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
                run.font.size = size
    _keep_rows_whole(table, header_rows=1)


def _recommendation(document: DocumentObject, line: RecommendationLine) -> None:
    heading = document.add_heading(f"Recommendation {line.number} ({line.reference})", level=2)
    heading.paragraph_format.keep_with_next = True
    text = document.add_paragraph(line.text)
    text.paragraph_format.keep_with_next = True
    rows = detail_rows(line)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        table.cell(index, 0).text = label
        table.cell(index, 0).paragraphs[0].runs[0].bold = True
        _shade(table.cell(index, 0), rgb(LABEL_FILL))
        table.cell(index, 1).text = value
        shown = line.headline_rag
        if label == "Status" and shown is not None:
            run = table.cell(index, 1).paragraphs[0].runs[0]
            run.font.color.rgb = RGBColor.from_string(RAG_SWATCHES[shown].fill_rgb)
            run.bold = True
        table.columns[0].cells[index].width = Mm(38)
    _keep_rows_whole(table)
    if line.action_lines:
        title = document.add_paragraph()
        title.add_run("Its actions").bold = True
        title.paragraph_format.keep_with_next = True
        _grid(document, ACTION_HEADINGS, [action_row(action) for action in line.action_lines], size=Pt(8.5))
