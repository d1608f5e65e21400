"""Every question the window asks goes through this one facade, which returns Python values
(paths, booleans, choices). Tests replace its methods to answer for the user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from scr_desk.domain.dto import AgencyRow, AttendeeRow, ItemKey, MeetingRow, UpdateRow
from scr_desk.domain.enums import AssuranceDecision
from scr_desk.services.database_files import BackupInfo
from scr_desk.ui.export_dialog import ReturnsRequest
from scr_desk.ui.report_dialog import ReportRequest

if TYPE_CHECKING:
    from scr_desk.ui.agencies_dialog import AgenciesDialog

__all__ = ["DB_FILTER", "MeetingAnswer", "Prompts", "XLSX_FILTER"]


MeetingAnswer = tuple[dict[str, object], list[AttendeeRow], list[tuple[ItemKey, AssuranceDecision, str]]]

DB_FILTER = "SCR Desk databases (*.sqlite *.db);;All files (*)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"


class Prompts:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self._agencies: AgenciesDialog | None = None  # Edit > Agencies…, while it is on screen

    def open_database_path(self, start: Path | None = None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open database", str(start or ""), DB_FILTER)
        return Path(name) if name else None

    def new_database_path(self, start: Path | None = None) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "New database", str(start or ""), DB_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".sqlite")

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A message box that shows its text as typed: names and comments are user text, and
        "<h1>" in a review's name must not turn into a heading."""
        box = QMessageBox(icon, title, text, parent=self._over())
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def confirm(self, title: str, question: str, action: str = "OK") -> bool:
        box = self._box(QMessageBox.Icon.Question, title, question)
        go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    def create_missing_database(self, path: Path | str) -> bool:
        """The window was asked to open a database that does not exist (or, on a server, one that
        holds none yet): create it?"""
        if isinstance(path, str):
            return self.confirm("Create a new database?", f"{path} holds no SCR Desk database yet.\n\nMake a new, "
                                "empty SCR Desk database there?", "Create")
        return self.confirm("Create a new database?",
                            f"{path} does not exist.\n\nCreate a new, empty SCR Desk database there?", "Create")

    def error(self, title: str, message: str) -> None:
        self._box(QMessageBox.Icon.Critical, title, message).exec()

    def info(self, title: str, message: str) -> None:
        self._box(QMessageBox.Icon.Information, title, message).exec()

    def written(self, title: str, message: str, folder: Path, file: Path | None = None,
                also: str | None = None) -> str:
        """Files were written: say where, offer to open the folder (and the file); `also` names
        a further step. Returns "also" when that step was chosen, else ""."""
        box = self._box(QMessageBox.Icon.Information, title, message)
        open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        open_file = box.addButton("Open report", QMessageBox.ButtonRole.ActionRole) if file else None
        further = box.addButton(also, QMessageBox.ButtonRole.AcceptRole) if also else None
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_folder:
            self.open_path(folder)
        elif open_file is not None and clicked is open_file and file is not None:
            self.open_path(file)
        return "also" if further is not None and clicked is further else ""

    def about(self, title: str, page_html: str) -> None:
        """The About box (our own text; anything of the user's in it is escaped by the caller)."""
        QMessageBox.about(self.parent, title, page_html)

    def help_page(self, title: str, page_html: str) -> None:
        """A page of help (our own fixed text, not user text) in a resizable window."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout
        dialog = QDialog(self.parent)
        dialog.setWindowTitle(title)
        browser = QTextBrowser()
        browser.setObjectName("help_text")
        browser.setHtml(page_html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(560, 480)
        dialog.exec()

    def open_path(self, path: Path) -> bool:
        """Open a folder or file with the desktop's own program."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def database_refused(self, message: str, backups: Sequence[BackupInfo] = ()) -> str:
        """A database could not be opened: 'restore' one of its `backups` (offered only when there
        are some), 'open' another, use the 'sample', or 'quit'."""
        box = self._box(QMessageBox.Icon.Warning, "Cannot open database", message)
        restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.ActionRole) if backups else None
        other = box.addButton("Open another…", QMessageBox.ButtonRole.AcceptRole)
        sample = box.addButton("Open the sample database", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if restore is not None and clicked is restore:
            return "restore"
        return "open" if clicked is other else "sample" if clicked is sample else "quit"

    def allow_unusual_date(self, field: str, value: date) -> bool:
        """A date before 2000 or after 2100 was typed: keep it only if the lead says so."""
        return self.confirm("Unusual date", f"{field}: {value:%d/%m/%Y} is outside 2000–2100, where every date in "
                                            "the record normally falls. Keep this date?", "Keep the date")

    # --- dialogs that collect values (imported here so tests can answer them instead) ---
    def agency_details(self, agency: AgencyRow | None = None) -> dict[str, str] | None:
        from scr_desk.ui.agencies_dialog import AgencyDialog
        dialog = AgencyDialog(self._over(), agency)
        return dialog.values() if dialog.exec() == AgencyDialog.DialogCode.Accepted else None

    def agency_choice(self, rows: Sequence[tuple[AgencyRow, int]]) -> tuple[str, int, int | None] | None:
        """Edit > Agencies…: (verb, agency id, merge target) chosen from the list, or None when closed.
        The list stays on screen between calls, so what a choice asks next opens over it."""
        from scr_desk.ui.agencies_dialog import choose_agency_action
        choice, self._agencies = choose_agency_action(rows, self.parent, self._agencies)
        return choice

    def _over(self) -> QWidget | None:
        """What a question opens over: the list of agencies while it is on screen, else the window."""
        listing = self._agencies
        return listing if listing is not None and listing.isVisible() else self.parent

    def meeting_details(self, agencies: Sequence[AgencyRow], meeting: MeetingRow | None = None,
                        items: Sequence[tuple[str, ItemKey]] = (), decide: Sequence[ItemKey] = ()
                        ) -> MeetingAnswer | None:
        """(fields, attendees, new decisions) for a meeting, or None if cancelled; `decide` are
        items given a decision row to start with."""
        from scr_desk.ui.dialogs import MeetingDialog
        dialog = MeetingDialog(agencies, meeting, items, self.parent)
        for item in decide:
            dialog.add_decision(item)
        if dialog.exec() != MeetingDialog.DialogCode.Accepted:
            return None
        return dialog.values(), dialog.attendees(), dialog.new_decisions()

    def update_correction(self, update: UpdateRow, agencies: Sequence[AgencyRow] = ()) -> dict[str, object] | None:
        from scr_desk.ui.dialogs import CorrectUpdateDialog
        dialog = CorrectUpdateDialog(update, agencies, self.parent)
        return dialog.values() if dialog.exec() == CorrectUpdateDialog.DialogCode.Accepted else None

    def server_url(self, suggested: str = "") -> str | None:
        """File > Open server…: the database's URL, or None if cancelled."""
        from scr_desk.ui.server_dialog import OpenServerDialog
        dialog = OpenServerDialog(suggested, self.parent)
        return dialog.url() if dialog.exec() == OpenServerDialog.DialogCode.Accepted else None

    def partnership_name(self, current: str) -> str | None:
        """The partnership's name as the lead types it ('' clears it), or None if cancelled."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle("Partnership name")
        dialog.setLabelText("The partnership's name, shown at the head of every return and report:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(current)
        dialog.resize(520, dialog.sizeHint().height())
        return dialog.textValue().strip() if dialog.exec() == QInputDialog.DialogCode.Accepted else None

    def returns_request(self, agencies: Sequence[tuple[int, str, str, int]], period: str, deadline: date,
                        folder: Path) -> ReturnsRequest | None:
        from scr_desk.ui.export_dialog import ExportReturnsDialog  # noqa: F811
        dialog = ExportReturnsDialog(agencies, period, deadline, folder, self.parent)
        return dialog.request() if dialog.exec() == ExportReturnsDialog.DialogCode.Accepted else None

    def chase_folder(self, suggested: Path, period: str, outstanding: int) -> Path | None:
        """The folder for the chasers of `outstanding` returns of `period`, or None if cancelled."""
        chosen = QFileDialog.getExistingDirectory(
            self.parent, f"Draft {outstanding} chaser{'s' if outstanding != 1 else ''} for {period} into",
            str(suggested if suggested.is_dir() else suggested.parent if suggested.parent.is_dir() else ""))
        return Path(chosen) if chosen else None

    def save_workbook_path(self, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "Export workbook", str(suggested), XLSX_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")

    def open_workbook_paths(self, start: Path | None = None) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self.parent, "Import workbooks", str(start or ""),
                                                "Workbooks and trackers (*.xlsx *.xlsm *.csv *.docx);;"
                                                "Excel workbooks (*.xlsx *.xlsm);;All files (*)")
        return [Path(n) for n in names]

    def report_request(self, reviews: Sequence[str], selected: str | None, panel: str,
                       folder: Path) -> ReportRequest | None:
        from scr_desk.ui.report_dialog import ReportDialog
        dialog = ReportDialog(reviews, selected, panel, folder, self.parent)
        return dialog.request() if dialog.exec() == ReportDialog.DialogCode.Accepted else None

    def choose_backup(self, backups: Sequence[BackupInfo], suggested: Path | None = None) -> Path | None:
        """Pick one backup, newest first, `suggested` (what `restore` would use) chosen to start
        with; None if cancelled."""
        from PySide6.QtWidgets import QInputDialog
        # Short enough for a laptop at 150 %; the number (or an older backup's file name) tells apart
        # two taken in one second. The confirmation that follows names the file.
        labels = [f"{b.taken:%d/%m/%Y %H:%M:%S} — {b.occasion} — {b.size / 1_048_576:.1f} MB — "
                  + (f"no. {b.seq}" if b.seq else b.path.name) for b in backups]
        start = next((i for i, b in enumerate(backups) if b.path == suggested), 0)
        label, ok = QInputDialog.getItem(self.parent, "Restore from backup", "Backup to restore:", labels, start,
                                         False)
        return backups[labels.index(label)].path if ok and label in labels else None
