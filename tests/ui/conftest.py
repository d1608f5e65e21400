"""Window fixtures: QSettings in a temporary folder, a prompts facade that answers for the user,
and a factory that opens a real MainWindow on a real database file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QThreadPool
from pytestqt.qtbot import QtBot

from scr_desk.db.backup import BackupInfo
from scr_desk.domain.dto import AgencyRow, ItemKey, MeetingRow, UpdateRow
from scr_desk.ui.export_dialog import ReturnsRequest
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.prompts import MeetingAnswer, Prompts
from scr_desk.ui.report_dialog import ReportRequest
from scr_desk.ui.workspace import open_workspace


class AnsweringPrompts(Prompts):
    """Records every question; answers from `answers` (or a sensible default). Each method keeps
    the facade's own signature, so mypy checks it against Prompts (mypy runs on this file)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.asked: list[tuple[str, Any]] = []
        self.answers: dict[str, Any] = {}
        self.opened: Path | None = None
        self.agency_rows: list[tuple[AgencyRow, int]] = []
        self.backups: list[BackupInfo] = []
        self.suggested_backup: Path | None = None
        self.decision_items: list[tuple[str, ItemKey]] = []
        self.decide: list[ItemKey] = []
        self.export_choices: list[tuple[int, str, str, int]] = []
        self.report_choices: tuple[list[str], str | None, str] | None = None

    def _answer(self, name: str, detail: Any, default: Any) -> Any:
        self.asked.append((name, detail))
        answer = self.answers.get(name, default)
        return answer(detail) if callable(answer) else answer

    def open_database_path(self, start: Path | None = None) -> Path | None:
        return self._answer("open_database_path", start, None)

    def new_database_path(self, start: Path | None = None) -> Path | None:
        return self._answer("new_database_path", start, None)

    def confirm(self, title: str, question: str, action: str = "OK") -> bool:
        return self._answer("confirm", question, True)

    def server_url(self, suggested: str = "") -> str | None:
        return self._answer("server_url", suggested, None)

    def create_missing_database(self, path: Path | str) -> bool:
        return self._answer("create_missing_database", path, True)

    def error(self, title: str, message: str) -> None:
        self._answer("error", message, None)

    def info(self, title: str, message: str) -> None:
        self._answer("info", message, None)

    def written(self, title: str, message: str, folder: Path, file: Path | None = None,
                also: str | None = None) -> str:
        """Files were written; the answer is "also" (take the further step), "" (close), or
        "folder"/"file" (open one, recorded in `opened`)."""
        answer = self._answer("written", message, "also" if also and self.answers.get("confirm", True) else "")
        if answer in ("folder", "file"):
            self.opened = folder if answer == "folder" else file
            return ""
        return str(answer)

    def agency_choice(self, rows: Sequence[tuple[AgencyRow, int]]) -> tuple[str, int, int | None] | None:
        """Answers are taken in turn from answers["agency_choice"] (a list); then the list is closed."""
        self.agency_rows = list(rows)
        queue = self.answers.get("agency_choice", [])
        self.asked.append(("agency_choice", self.agency_rows))
        return queue.pop(0) if queue else None

    def about(self, title: str, page_html: str) -> None:
        self._answer("about", (title, page_html), None)

    def help_page(self, title: str, page_html: str) -> None:
        self._answer("help_page", (title, page_html), None)

    def database_refused(self, message: str, backups: Sequence[BackupInfo] = ()) -> str:
        self.backups = list(backups)
        return str(self._answer("database_refused", message, "quit"))

    def allow_unusual_date(self, field: str, value: date) -> bool:
        return self._answer("allow_unusual_date", (field, value), False)

    def agency_details(self, agency: AgencyRow | None = None) -> dict[str, str] | None:
        return self._answer("agency_details", agency, None)

    def meeting_details(self, agencies: Sequence[AgencyRow], meeting: MeetingRow | None = None,
                        items: Sequence[tuple[str, ItemKey]] = (), decide: Sequence[ItemKey] = ()
                        ) -> MeetingAnswer | None:
        self.decision_items = list(items)
        self.decide = list(decide)
        return self._answer("meeting_details", meeting, None)

    def partnership_name(self, current: str) -> str | None:
        return self._answer("partnership_name", current, None)

    def update_correction(self, update: UpdateRow, agencies: Sequence[AgencyRow] = ()) -> dict[str, object] | None:
        return self._answer("update_correction", update, None)

    def returns_request(self, agencies: Sequence[tuple[int, str, str, int]], period: str, deadline: date,
                        folder: Path) -> ReturnsRequest | None:
        self.export_choices = list(agencies)
        return self._answer("returns_request", (period, deadline, folder), None)

    def save_workbook_path(self, suggested: Path) -> Path | None:
        return self._answer("save_workbook_path", suggested, None)

    def chase_folder(self, suggested: Path, period: str, outstanding: int) -> Path | None:
        return self._answer("chase_folder", (suggested, period, outstanding), None)

    def report_request(self, reviews: Sequence[str], selected: str | None, panel: str,
                       folder: Path) -> ReportRequest | None:
        self.report_choices = (list(reviews), selected, panel)
        return self._answer("report_request", folder, None)

    def choose_backup(self, backups: Sequence[BackupInfo], suggested: Path | None = None) -> Path | None:
        self.backups = list(backups)
        self.suggested_backup = suggested
        return self._answer("choose_backup", backups, None)

    def open_workbook_paths(self, start: Path | None = None) -> list[Path]:
        return self._answer("open_workbook_paths", start, [])

    def errors(self) -> list[str]:
        return [detail for name, detail in self.asked if name == "error"]


@pytest.fixture(autouse=True)
def qt_settings_in_tmp(tmp_path: Path, qapp: Any) -> Iterator[None]:
    QCoreApplication.setOrganizationName("scr_desk-tests")
    QCoreApplication.setApplicationName("scr_desk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    # No worker may outlive its test (napari's dangling-thread rule).
    assert QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture
def prompts() -> AnsweringPrompts:
    return AnsweringPrompts()


@pytest.fixture
def make_window(qtbot: QtBot, prompts: AnsweringPrompts) -> Callable[..., MainWindow]:
    def make(path: Path, *, create: bool = False) -> MainWindow:
        window = MainWindow(open_workspace(path, create=create), prompts=prompts)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.loads >= 1, timeout=5000)
        return window
    return make


@pytest.fixture
def window(make_window: Callable[..., MainWindow], sample_db_path: Path) -> MainWindow:
    return make_window(sample_db_path)
