"""The panel report as simple HTML, which Qt's rich text lays out for the PDF."""

from __future__ import annotations

import html

from scr_desk.domain.colours import ALERT, LABEL_FILL, rag_chip_html
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import Rag
from scr_desk.services.report_content import ACTION_HEADINGS, GLANCE_HEADINGS, action_row, detail_rows, glance_row
from scr_desk.services.reports import PanelReport, RecommendationLine

__all__ = ["ACTION_WIDTHS", "GLANCE_WIDTHS", "render_html"]



# The first column holds "Recommendation 12" on one line; the rest share what is left.
GLANCE_WIDTHS = (' width="20%" style="white-space: nowrap"', ' width="19%"', ' width="12%"', ' width="9%"',
                 ' width="14%"', ' width="13%"', ' width="13%"')

ACTION_WIDTHS = (25, 14, 11, 8, 14, 28)


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


def _rag(rag: Rag | None) -> str:
    return "not rated" if rag is None else rag_chip_html(rag)


class _Headings:
    """Numbers the section headings (<h2> and <h3>) in document order, so the PDF writer can ask
    for a page break before any of them by number."""

    def __init__(self, breaks: frozenset[int]) -> None:
        self.breaks = breaks
        self.count = 0

    def open(self, level: int) -> str:
        number = self.count
        self.count += 1
        style = ' style="page-break-before: always"' if number in self.breaks else ""
        return f"<h{level}{style}>"


def _table(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr><td width="22%" style="background-color:{LABEL_FILL}"><b>{_e(k)}</b></td><td>{v}</td></tr>'
                   for k, v in rows)
    return ('<table width="100%" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">'
            f"{body}</table>")


def _status_cell(line: RecommendationLine) -> str:
    """The status row, as the shared text says it, with the RAG as a coloured chip."""
    rag = (_rag(line.rag) if line.rag is not None else
           f"{_rag(line.actions_rag)}{_e(line.actions_rag_reason)}" if line.actions_rag is not None else "not rated")
    return f"<b>{_e(line.status_text)}</b> &nbsp; RAG: {rag} &nbsp; <i>({_e(line.change)})</i>"


def _actions(line: RecommendationLine) -> str:
    if not line.action_lines:
        return ""
    head = "".join(f'<th width="{width}%">{_e(heading)}</th>'
                   for heading, width in zip(ACTION_HEADINGS, ACTION_WIDTHS, strict=True))
    rows = "".join("<tr>" + "".join(f'<td width="{width}%">{_e(value)}</td>'
                                    for value, width in zip(action_row(action), ACTION_WIDTHS, strict=True)) + "</tr>"
                   for action in line.action_lines)
    return ('<p><b>Its actions</b></p><table width="100%" border="1" cellspacing="0" cellpadding="3" '
            f'style="border-collapse:collapse; font-size: 9pt"><thead><tr>{head}</tr></thead>{rows}</table>')


def _line(line: RecommendationLine, headings: _Headings) -> str:
    rows = [(label, _status_cell(line) if label == "Status" else
             f'<span style="color:{ALERT}"><b>{_e(value)}</b></span>' if label == "Overdue" else _e(value))
            for label, value in detail_rows(line)]
    return (f'{headings.open(3)}Recommendation {_e(line.number)} <small>({_e(line.reference)})</small></h3>'
            f"<p>{_e(line.text)}</p>{_table(rows)}{_actions(line)}")


def render_html(report: PanelReport, breaks: frozenset[int] = frozenset()) -> str:
    """The report as HTML; `breaks` numbers the section headings to start a new page."""
    headings = _Headings(breaks)
    parts = [f"<h1>{_e(report.title)}</h1>",
             f"<p><b>{_e(report.partnership or 'Safeguarding partnership')}</b><br/>{_e(report.panel)}<br/>"
             f"{format_uk(report.as_of)}</p>"]
    for section in report.sections:
        parts.append(f"{headings.open(2)}{_e(section.review_type)}: {_e(section.name)}</h2>")
        if section.previous_report:
            parts.append(f"<p><i>Changes are shown since the report of {format_uk(section.previous_report)}.</i></p>")
        parts.append(f"<p><b>{_e(section.summary)}</b></p>")
        head = "".join(f"<th>{_e(k.capitalize())}</th>" for k in section.counts)
        cells = "".join(f'<td align="center">{v}</td>' for v in section.counts.values())
        parts.append(f'<table border="1" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead>'
                     f"<tr>{cells}</tr></table>")
        glance = "".join("<tr>" + "".join(
            f"<td{GLANCE_WIDTHS[column]}>{_rag(line.headline_rag) if column == 3 and line.headline_rag else _e(value)}"
            "</td>" for column, value in enumerate(glance_row(line))) + "</tr>" for line in section.lines)
        titles = "".join(f"<th{GLANCE_WIDTHS[column]}>{_e(title)}</th>" for column, title in enumerate(GLANCE_HEADINGS))
        parts.append('<p><b>At a glance</b></p><table width="100%" border="1" cellspacing="0" cellpadding="3">'
                     f"<thead><tr>{titles}</tr></thead>{glance}</table>")
        parts += [_line(line, headings) for line in section.lines]
    if not report.sections:
        parts.append("<p>There are no reviews to report on.</p>")
    return "<html><body style='font-family: sans-serif; font-size: 10pt'>" + "".join(parts) + "</body></html>"
