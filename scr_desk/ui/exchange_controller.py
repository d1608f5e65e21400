"""Workbook exports from the window: they run in the background with progress and cancel, and
report what they wrote. (Imports are the import controller's.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.domain.wording import count, words
from scr_desk.services.edits.base import Change
from scr_desk.ui.workers import Cancelled, ProgressFn

if TYPE_CHECKING:
    from collections.abc import Callable

    from scr_desk.services.returns_export import ExportResult
    from scr_desk.services.returns_mail import MailResult
    from scr_desk.ui.window_interface import WindowInterface

__all__ = ["ExchangeController"]


class ExchangeController:
    def __init__(self, window: WindowInterface) -> None:
        self.window = window

    def _default_folder(self) -> Path:
        return self.window.workspace.folder / "returns"

    def export_returns(self) -> None:
        from scr_desk.excel.layout import return_file_name
        from scr_desk.services.returns_export import (
            agencies_with_open_items,
            default_deadline,
            default_period,
            export_returns,
        )
        from scr_desk.services.returns_mail import MailResult, send_returns
        sessions = self.window.sessions
        period = default_period()
        choices = agencies_with_open_items(sessions)
        request = self.window.prompts.returns_request(choices, period, default_deadline(period),
                                                      self._default_folder() / period)
        if request is None:
            return
        existing = [name for agency_id, agency, code, _open in choices if agency_id in request.agency_ids
                    and (request.folder / (name := return_file_name(request.period, code, agency))).exists()]
        if existing and not self.window.prompts.confirm(
                "Replace returns?", f"{count(len(existing), 'return')} for {request.period} already "
                f"{words(len(existing), 'is')} in {request.folder}:\n\n" + "\n".join(existing[:12])
                + ("\n…" if len(existing) > 12 else "") + "\n\nReplace "
                + ("it" if len(existing) == 1 else "them") + "? (A return already sent to a partner would no "
                "longer match the one kept here.)", "Replace"):
            self.window.show_status("Export cancelled; the existing returns were kept.")
            return

        database = self.window.workspace.database

        def work(progress: ProgressFn, cancelled: Callable[[], bool]) -> MailResult:
            with database.writer_lock("an export of returns"):  # each return is recorded as it is sent
                if request.drafts:
                    result = send_returns(sessions, request.folder, request.agency_ids, period=request.period,
                                          deadline=request.deadline, progress=progress, cancelled=cancelled)
                else:
                    result = MailResult(export_returns(sessions, request.folder, request.agency_ids,
                                                       period=request.period, deadline=request.deadline,
                                                       progress=progress, cancelled=cancelled))
                    result.failed.extend(result.returns.failed)
            if cancelled():
                raise Cancelled()
            return result
        self.window.run_op("Exporting returns", work, lambda result: self._returns_written(request.folder, result),
                           cancellable=True)

    def _returns_written(self, folder: Path, result: MailResult) -> None:
        results = result.returns
        drafts = {d.attached: d for d in result.drafts}
        lines = [f"{r.path.name}: {count(r.rows, 'item')}" + (
            f", draft to {', '.join(drafts[r.path].recipients) or 'no one yet (no address)'}" if r.path in drafts
            else "") for r in results]
        warnings = [w for r in results for w in r.warnings] + result.warnings
        written = count(len(results), 'return workbook') + (
            f" and {count(len(result.drafts), 'email draft')}" if result.drafts else "")
        text = f"{written} written to {folder}:\n\n" + "\n".join(lines)
        failed = result.failed
        if failed:
            text += f"\n\n{count(len(failed), 'file')} not written:\n" + "\n".join(
                f"{f.agency}: {f.reason}" for f in failed)
        if warnings:
            text += "\n\nNotes:\n" + "\n".join(warnings)
        if result.drafts:
            text += "\n\nOpen each draft in Outlook or Thunderbird, check it and send it from there; SCR Desk sends " \
                    "nothing."
        self.window.show_status(f"{count(len(results), 'return')} written to {folder}")
        self.window.notify(Change())  # the returns sent are on the board now
        if failed:
            self.window.prompts.error("Returns exported", text)
        else:
            self.window.prompts.written("Returns exported", text, folder)

    def export_full(self) -> None:
        from scr_desk.services.full_export import export_full
        sessions = self.window.sessions
        workspace = self.window.workspace
        stem = workspace.database.name.split(" on ")[0] if workspace.is_server else workspace.path.stem
        suggested = workspace.folder / f"{stem} full export {date.today():%Y-%m-%d}.xlsx"
        path = self.window.prompts.save_workbook_path(suggested)
        if path is None:
            return
        self.window.run_op("Exporting the full workbook",
                           lambda progress, cancelled: export_full(sessions, path, progress=progress,
                                                                   cancelled=cancelled),
                           self._full_written, cancellable=True)

    def _full_written(self, result: ExportResult) -> None:
        self.window.show_status(f"Full workbook written to {result.path}")
        self.window.prompts.written("Workbook exported", f"{count(result.rows, 'record')} written to {result.path}.",
                                    result.path.parent)
