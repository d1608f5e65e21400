"""The panel report as simple HTML, which Qt's rich text lays out for the PDF."""

from __future__ import annotations

import html

from scr_desk.domain.colours import rag_chip_html
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import Rag
from scr_desk.domain.wording import days_overdue
from scr_desk.services.reports import PanelReport, RecommendationLine



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


def _line(line: RecommendationLine, headings: _Headings) -> str:
    agencies = _e(line.lead or "—")
    if line.contributors:
        agencies += f"; with {_e(', '.join(line.contributors))}"
    latest = "No update recorded."
    if line.latest_update:
        latest = f"{_e(line.latest_update)}<br/><i>{_e(line.latest_agency or 'Agency not recorded')}, " \
                 f"{format_uk(line.latest_date)}</i>"
    rows = [("Lead agency", agencies),
            ("Status", f"<b>{line.status.value}</b> &nbsp; RAG: {_rag(line.rag)} &nbsp; <i>({_e(line.change)})</i>"),
            ("Latest update", latest)]
    if line.actions:
        rows.append(("Actions", _e(line.actions)))
    if line.evidence:
        rows.append(("Evidence of impact", _e(line.evidence)))
    if line.days_overdue:
        rows.append(("Overdue", f'<span style="color:#c62828"><b>{days_overdue(line.days_overdue)}</b></span>'))
    body = "".join(f'<tr><td width="22%" style="background-color:#eceff1"><b>{k}</b></td><td>{v}</td></tr>'
                   for k, v in rows)
    return (f'{headings.open(3)}Recommendation {_e(line.number)} <small>({_e(line.reference)})</small></h3>'
            f"<p>{_e(line.text)}</p>"
            '<table width="100%" border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">'
            f"{body}</table>")


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
        head = "".join(f"<th>{k.capitalize()}</th>" for k in section.counts)
        cells = "".join(f'<td align="center">{v}</td>' for v in section.counts.values())
        parts.append(f'<table border="1" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead>'
                     f"<tr>{cells}</tr></table>")
        glance = "".join(
            f"<tr><td width=\"24%\">Recommendation {_e(line.number)}</td><td>{_e(line.lead or '—')}</td>"
            f"<td>{line.status.value}</td>"
            f"<td>{_rag(line.rag)}</td><td>{_e(line.change)}</td>"
            f"<td>{days_overdue(line.days_overdue) if line.days_overdue else ''}</td></tr>" for line in section.lines)
        parts.append('<p><b>At a glance</b></p><table width="100%" border="1" cellspacing="0" cellpadding="3">'
                     "<thead><tr><th width=\"24%\">Recommendation</th><th>Lead agency</th><th>Status</th><th>RAG</th>"
                     f"<th>Since the last report</th><th>Overdue</th></tr></thead>{glance}</table>")
        parts += [_line(line, headings) for line in section.lines]
    if not report.sections:
        parts.append("<p>There are no reviews to report on.</p>")
    return "<html><body style='font-family: sans-serif; font-size: 10pt'>" + "".join(parts) + "</body></html>"
