"""Reports from the window: the panel report in the background, and recording the meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scr_desk.domain.wording import count
from scr_desk.services import meetings, reviews

if TYPE_CHECKING:
    from scr_desk.ui.meeting_edits import MeetingEdits
    from scr_desk.ui.report_dialog import ReportRequest
    from scr_desk.ui.window_interface import WindowInterface
    from scr_desk.ui.workers import ProgressFn

__all__ = ["ReportController"]


class ReportController:
    def __init__(self, window: WindowInterface, meetings: MeetingEdits) -> None:
        self.window = window
        self.meetings = meetings

    def _selected_review(self) -> int | None:
        key = self.window.selected_key()
        return self.window.review_id_of(key) if key else None

    def panel_report(self) -> None:
        sessions = self.window.sessions
        names = [r.name for r in reviews.list_reviews(sessions)]
        if not names:
            from scr_desk.services.reports import NO_REVIEWS  # the report code loads when a report is made
            self.window.prompts.info("Panel report", NO_REVIEWS)
            return
        review_id = self._selected_review()
        selected = reviews.get_review(sessions, review_id).name if review_id else None
        last = meetings.list_meetings(sessions)
        request = self.window.prompts.report_request(names, selected, last[0].body if last else "",
                                                     self.window.workspace.folder)
        if request is None:
            return

        def work(progress: ProgressFn, _cancelled: object) -> int:
            # the report code loads when a report is made, not at start-up
            from scr_desk.rendering.report_pdf import write_report
            from scr_desk.services.reports import build_report
            report = build_report(sessions, as_of=request.as_of, review_names=list(request.reviews),
                                  panel=request.panel)
            return write_report(report, request.path, progress)  # the same function as the command line's
        self.window.run_op("Writing the panel report", work, lambda pages: self._written(request, pages),
                           doing="Writing the report")

    def _written(self, request: ReportRequest, pages: int) -> None:
        what = count(pages, "page") if pages else "Word document"
        self.window.show_status(f"Panel report written to {request.path}")
        if self.window.prompts.written("Panel report", f"The report ({what}) was written to {request.path}.\n\n"
                                       "Record the panel meeting and its assurance decisions now?",
                                       request.path.parent, request.path, "Record the meeting…"):
            self.record_meeting()

    def record_meeting(self) -> None:
        review_id = self._selected_review()
        if review_id is None:
            listed = reviews.list_reviews(self.window.sessions)
            if not listed:
                return
            review_id = listed[0].id
        self.meetings.add_meeting(review_id, decide_each=True)
