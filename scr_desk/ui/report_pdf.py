"""The panel report as PDF through Qt's own PDF writer: A4, a running header and "Page n of N"
on every page. Needs a QGuiApplication (fonts) but no widgets, so it also runs on a worker
thread and from the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextCursor, QTextDocument, QTextFormat,
)

from scr_desk.domain.dates import format_uk
from scr_desk.services.report_html import render_html
from scr_desk.services.reports import PanelReport

RESOLUTION = 150


MAX_SECTIONS_TO_PAGINATE = 400  # beyond this, layout passes cost more than whole sections are worth


def keep_sections_whole(document: QTextDocument, page_height: float) -> None:
    """Start a recommendation (an <h3> and its table) on a new page when it would otherwise
    straddle two pages and fits on one: Qt's layout would split a table row between pages."""
    layout = document.documentLayout()
    headings = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in (2, 3):
            headings.append(block)
        block = block.next()
    if len(headings) > MAX_SECTIONS_TO_PAGINATE:
        return
    for index, heading in enumerate(headings):
        start = layout.blockBoundingRect(heading).top()
        end = layout.blockBoundingRect(headings[index + 1]).top() if index + 1 < len(headings) \
            else layout.documentSize().height()
        if int(start // page_height) != int((end - 1) // page_height) and end - start <= page_height * 0.95:
            cursor = QTextCursor(heading)
            fmt = heading.blockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            cursor.setBlockFormat(fmt)


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
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.documentLayout().setPaintDevice(writer)
    document.setHtml(render_html(report))
    document.setPageSize(QSizeF(body.width(), body.height()))
    keep_sections_whole(document, body.height())
    pages = document.pageCount()
    painter = QPainter(writer)
    try:
        small = QFont("DejaVu Sans", 8)
        for number in range(pages):
            if number:
                writer.newPage()
            painter.setFont(small)
            painter.drawText(QRectF(0, 0, page.width(), band * 0.8), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             f"{report.partnership or 'Safeguarding partnership'} — {report.panel}")
            painter.drawText(QRectF(0, 0, page.width(), band * 0.8), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
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
