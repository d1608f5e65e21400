"""The panel report as PDF through Qt's own PDF writer: A4, a running header and "Page n of N"
on every page. Needs a QGuiApplication (fonts) but no widgets, so it also runs on a worker
thread and from the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from scr_desk.domain.dates import format_uk
from scr_desk.services.report_html import render_html
from scr_desk.services.reports import PanelReport

__all__ = ["section_breaks", "write_pdf", "write_report"]

RESOLUTION = 150


def section_breaks(document: QTextDocument, page_height: float) -> frozenset[int]:
    """Which section headings (<h2>, <h3>, numbered in order) should start a new page, so that a
    review's heading or a recommendation that fits on a page is never split across two.

    Decided on a layout without breaks by walking the sections as pages would fill; the writer
    then lays out the HTML afresh with those breaks. (Setting page breaks on an already laid-out
    document, as before, left Qt's layout inconsistent: whole sections were never drawn.)"""
    layout = document.documentLayout()
    tops: list[float] = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in (2, 3):
            tops.append(layout.blockBoundingRect(block).top())
        block = block.next()
    if not tops:  # no sections (a report with no reviews): nothing to keep together
        return frozenset()
    ends = [*tops[1:], layout.documentSize().height()]
    breaks: set[int] = set()
    y = tops[0]  # where the next section starts on the paginated pages
    for number, (top, end) in enumerate(zip(tops, ends, strict=True)):
        height = end - top
        room = page_height - (y % page_height)
        # A section that fits on a page starts on a fresh one rather than straddle two; a longer
        # one (a review's heading, summary and long table) still starts on a fresh page when
        # little room is left, so its heading and summary are never stranded at a page's foot.
        if height > room and room < page_height and (height <= page_height * 0.95 or room < page_height * 0.4):
            breaks.add(number)
            y += room
        y += height
    return frozenset(breaks)


def _document(report: PanelReport, device: QPdfWriter, size: QSizeF, breaks: frozenset[int]) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.documentLayout().setPaintDevice(device)
    document.setHtml(render_html(report, breaks))
    document.setPageSize(size)
    return document


def write_pdf(report: PanelReport, path: Path, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Write `report` to `path`; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(report.title)
    writer.setCreator("SCR Desk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 18, 15, 18), QPageLayout.Unit.Millimeter))
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    band = RESOLUTION * 0.35  # room for the running header and footer
    body = QRectF(0, band, page.width(), page.height() - 2 * band)
    size = QSizeF(body.width(), body.height())
    unbroken = _document(report, writer, QSizeF(body.width(), 1e9), frozenset())
    document = _document(report, writer, size, section_breaks(unbroken, body.height()))
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        small = QFont("DejaVu Sans", 8)
        for number in range(pages):
            if number:
                writer.newPage()
            painter.setFont(small)
            top_band = QRectF(0, 0, page.width(), band * 0.8)
            painter.drawText(top_band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             f"{report.partnership or 'Safeguarding partnership'} — {report.panel}")
            painter.drawText(top_band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                             format_uk(report.as_of))
            painter.drawText(QRectF(0, page.height() - band * 0.8, page.width(), band * 0.8),
                             Qt.AlignmentFlag.AlignCenter, f"Page {number + 1} of {pages}")
            painter.save()
            painter.translate(0, band - number * body.height())
            document.drawContents(painter, QRectF(0, number * body.height(), body.width(), body.height()))
            painter.restore()
            if progress:
                progress(number + 1, pages, "Writing the PDF")
    finally:
        painter.end()
    return pages


def write_report(report: PanelReport, path: Path, progress: Callable[[int, int, str], None] | None = None) -> int:
    """The one way a panel report file is written, from the window and the command line alike:
    Word for .docx, else PDF. Returns the PDF's page count (0 for Word). The file appears whole
    or not at all."""
    from scr_desk.services.files import write_atomically
    if path.suffix.lower() == ".docx":
        from scr_desk.services.report_docx import write_docx  # python-docx loads only when asked for
        write_docx(report, path)
        return 0
    return write_atomically(path, lambda temp: write_pdf(report, temp, progress), for_others=True)
