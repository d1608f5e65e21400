"""Importing from the window: plan in the background, preview, apply in the background, and
undo a batch later. Files come from File > Import… or are dropped on the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scr_desk.domain.enums import ImportKind
from scr_desk.services.edits.base import Change
from scr_desk.ui.commands import ImportCommand

if TYPE_CHECKING:  # the import machinery (calamine, openpyxl) loads on the first import, not at start-up
    from scr_desk.services.imports.apply import ApplyResult
    from scr_desk.services.imports.batches import BatchRow
    from scr_desk.services.imports.plan import ImportPlan
    from scr_desk.ui.import_dialog import ImportPreviewDialog
    from scr_desk.ui.window_interface import WindowInterface
    from scr_desk.ui.workers import ProgressFn

IMPORTABLE = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".docx")


class ImportController:
    def __init__(self, window: WindowInterface) -> None:
        self.window = window
        self.dialog: ImportPreviewDialog | None = None
        self.queue: list[Path] = []
        self.chosen_mapping: dict[str, dict[str, Any]] = {}
        self.chosen_answers: dict[str, Any] = {}  # a tracker's questions answered in the preview
        self.plans_asked = 0

    # --- start --------------------------------------------------------------------------
    def import_dialog(self) -> None:
        paths = self.window.prompts.open_workbook_paths(self.window.workspace.folder)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Preview each file in turn (a dropped folder of returns, say)."""
        self.queue.extend(paths)
        if self.dialog is None:
            self._next()

    def _next(self) -> None:
        if not self.queue:
            return
        path = self.queue.pop(0)
        self.chosen_mapping, self.chosen_answers = {}, {}
        self._plan(path, {})

    def _plan(self, path: Path, mapping: dict[str, dict[str, Any]]) -> None:
        from scr_desk.services.imports.importer import plan_import
        database = self.window.workspace.database
        answers = dict(self.chosen_answers)
        self.plans_asked += 1
        asked = self.plans_asked  # plans run on a thread pool: only the latest request's plan is shown
        self.window.run_op(f"Reading {path.name}",
                           lambda progress, _cancelled: plan_import(database, path, mapping=mapping, answers=answers,
                                                                    progress=progress),
                           lambda plan: self._planned(plan) if asked == self.plans_asked else None,
                           on_error=lambda exc: self._failed(path, exc))

    def _failed(self, path: Path, error: BaseException) -> None:
        from scr_desk.excel.guard import WorkbookError
        if isinstance(error, WorkbookError):
            self.window.prompts.error("Cannot import", str(error))  # the workbook's own sentence
        else:
            self.window.report_error(f"Reading {path.name}", error)
        if self.dialog is None:
            self._next()

    def _planned(self, plan: ImportPlan) -> None:
        if self.dialog is not None and self.dialog.plan.path == plan.path:
            self.dialog.set_plan(plan)  # the live preview after a mapping correction
            return
        from scr_desk.ui.import_dialog import ImportPreviewDialog
        self.dialog = ImportPreviewDialog(plan, plan.headings, self.window.dialog_parent)
        self.dialog.apply_requested.connect(self._apply)
        self.dialog.mapping_changed.connect(self._remap)
        if self.dialog.answers_panel is not None:
            self.dialog.answers_panel.answers_changed.connect(self._reanswer)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _remap(self, mapping: dict[str, dict[str, Any]]) -> None:
        if self.dialog is not None:
            self.chosen_mapping = mapping
            self._plan(self.dialog.plan.path, mapping)

    def _reanswer(self, answers: dict[str, Any]) -> None:
        if self.dialog is not None:
            self.chosen_answers = answers
            self._plan(self.dialog.plan.path, self.chosen_mapping)

    def _closed(self, _result: int) -> None:
        self.dialog = None
        self._next()

    # --- apply --------------------------------------------------------------------------
    def _apply(self, plan: ImportPlan) -> None:
        from scr_desk.services.imports.legacy import remember_mappings
        from scr_desk.services.imports.together import apply_plan
        database = self.window.workspace.database
        chosen = dict(self.chosen_mapping)

        def work(progress: ProgressFn, _cancelled: object) -> ApplyResult:
            result = apply_plan(database, plan, progress)  # a full workbook reports its records
            if chosen and plan.kind == ImportKind.LEGACY:
                with database.sessions.begin() as session:
                    remember_mappings(session, plan, chosen)
            return result
        if self.dialog is not None:
            self.dialog.apply_button.setEnabled(False)
        self.window.run_op(f"Importing {plan.path.name}", work, lambda result: self._applied(plan, result),
                           on_error=lambda exc: self._apply_failed(plan, exc))

    def _applied(self, plan: ImportPlan, result: ApplyResult) -> None:
        from scr_desk.services.imports.plan import describe_counts
        counts = describe_counts(result.counts)
        # The message stays until the next action (the tree's reload does not replace it).
        self.window.show_status(f"Imported {plan.path.name}: {counts}. Edit > Undo reverses it.")
        self.window.undo_stack.push(ImportCommand(
            f"import of {plan.path.name} ({describe_counts(result.counts, skip=('unchanged_rows', 'skipped_rows'))})",
            lambda command: self._undo_from_stack(command, result.batch_id), self.window.undo_stack))
        self.window.notify(Change(structural=True, agencies=True))
        self.window.show_last_backup()
        if self.dialog is not None:
            self.dialog.accept()

    def _apply_failed(self, plan: ImportPlan, error: BaseException) -> None:
        self.window.report_error(f"Importing {plan.path.name}", error)
        if self.dialog is not None:
            self.dialog.apply_button.setEnabled(plan.can_apply)

    # --- history and undo ---------------------------------------------------------------
    def batches(self) -> list[BatchRow]:
        from scr_desk.services.imports.batches import list_batches
        return list_batches(self.window.sessions)

    def undo_last(self) -> None:
        live = [b for b in self.batches() if b.undone_at is None and b.id]
        if not live:
            self.window.prompts.info("Undo import", "There is no import to undo.")
            return
        self.undo(live[0])

    def _undo_from_stack(self, command: ImportCommand, batch_id: int) -> None:
        batch = next((b for b in self.batches() if b.id == batch_id), None)
        if batch is None or batch.undone_at is not None:
            self.window.prompts.info("Undo import", "That import was already undone.")
            command.undone()  # nothing left to undo: the entry goes
            return
        self.undo(batch, command)

    def undo(self, batch: BatchRow, command: ImportCommand | None = None) -> bool:
        """Ask, then undo the import on a worker; False when the user declined. `command`, the
        import's entry on the undo stack, leaves it once the undo succeeds and stays otherwise."""
        from scr_desk.services.imports.plan import describe_counts
        counts = describe_counts(batch.counts, skip=("unchanged_rows", "skipped_rows"))
        if not self.window.prompts.confirm(
                "Undo import", f"Undo the import of {batch.file_name} ({batch.imported_at:%d/%m/%Y %H:%M})? "
                f"It brought {counts}; all of it will be removed or put back.", "Undo import"):
            if command is not None:
                command.kept()
            return False
        from scr_desk.services.imports.batches import undo_batch
        database = self.window.workspace.database

        def failed(error: BaseException) -> None:
            if command is not None:
                command.kept()  # refused (later work would be lost) or failed: the import stands
            self.window.report_error("Undo import", error)
        self.window.run_op(f"Undoing {batch.file_name}", lambda _p, _c: undo_batch(database, batch.id),
                           lambda undone: self._undone(undone, command), doing="Undo import", on_error=failed)
        return True

    def _undone(self, batch: BatchRow, command: ImportCommand | None = None) -> None:
        if command is not None:
            command.undone()
        self.window.show_status(f"The import of {batch.file_name} was undone.")
        self.window.show_last_backup()
        self.window.notify(Change(structural=True, agencies=True))

    def show_history(self) -> None:
        from scr_desk.ui.history_dialog import ImportHistoryDialog
        dialog = ImportHistoryDialog(self.batches(), self.window.dialog_parent)

        def undo(batch: BatchRow) -> None:
            dialog.accept()
            self.undo(batch)
        dialog.undo_requested.connect(undo)
        self.history_dialog = dialog
        dialog.open()
