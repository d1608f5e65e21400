"""Edit > Agencies in the window: contacts edited (addresses checked in the dialog), the Edit agency
dialog wide enough to read a long name whole, and the list staying on screen while a choice's
confirmation is open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import AgencyRow
from scr_desk.services import agencies
from scr_desk.ui.agencies_dialog import AgenciesDialog, AgencyDialog
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.prompts import Prompts
from tests.ui.window_helpers import trigger

LONG_NAME = "Southampton City Council Children's Services"


def test_the_edit_agency_dialog_shows_a_long_name_and_its_title_whole(qtbot: QtBot) -> None:
    # The harm: about 200 px wide, it showed "hildren's Social Care" and a title cut to "Edit a… R Desk"
    dialog = AgencyDialog(None, AgencyRow(1, "u", LONG_NAME, "SCC", "A Patel", "a.patel@council.example"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    metrics = dialog.name.fontMetrics()
    assert dialog.name.width() >= metrics.horizontalAdvance(LONG_NAME) + 12
    assert dialog.width() >= metrics.averageCharWidth() * 60
    assert dialog.contact_email.text() == "a.patel@council.example"


def test_an_address_that_is_not_one_keeps_the_dialog_open_saying_why(qtbot: QtBot) -> None:
    dialog = AgencyDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Youth Offending Team")
    dialog.contact_email.setText("yot@council.example; not an address")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != AgencyDialog.DialogCode.Accepted
    assert "is not an email address" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    dialog.contact_email.setText("yot@council.example; duty@council.example")
    dialog.accept()
    assert dialog.result() == AgencyDialog.DialogCode.Accepted
    assert dialog.values()["contact_email"] == "yot@council.example; duty@council.example"


def test_contacts_edited_in_the_window_show_in_the_list(qtbot: QtBot, qtmodeltester: Any, window: MainWindow) -> None:
    police = next(a for a in agencies.list_agencies(window.sessions) if a.code == "HC")
    window.prompts.answers["agency_choice"] = [("edit", police.id, None)]
    window.prompts.answers["agency_details"] = {
        "name": police.name, "code": "HC", "contact_name": "J Smith", "phone": "023 8000 0000",
        "contact_email": "j.smith@police.example; safeguarding@police.example"}
    trigger(window, "agencies")
    edited = next(a for a in agencies.list_agencies(window.sessions) if a.code == "HC")
    assert edited.emails == ["j.smith@police.example", "safeguarding@police.example"]
    assert edited.phone == "023 8000 0000"
    dialog = AgenciesDialog(window.prompts.agency_rows)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    row = next(i for i, (a, _n) in enumerate(dialog.rows) if a.code == "HC")
    assert dialog.model.row_values(row)[2:4] == ("J Smith", "j.smith@police.example; safeguarding@police.example")
    window.undo_stack.undo()
    assert next(a for a in agencies.list_agencies(window.sessions) if a.code == "HC").emails == []


class Watching(Prompts):
    """The real facade, with its confirmation watched: is the list still on screen beneath it?"""

    def __init__(self, parent: MainWindow) -> None:
        super().__init__(parent)
        self.seen: list[tuple[bool, bool]] = []

    def confirm(self, title: str, question: str, action: str = "OK") -> bool:
        listing = self._agencies
        self.seen.append((listing is not None and listing.isVisible(), self._over() is listing))
        QTimer.singleShot(0, lambda: listing.reject() if listing is not None else None)  # then close the list
        return False


def test_the_agencies_list_stays_on_screen_while_its_confirmation_is_open(qtbot: QtBot, window: MainWindow) -> None:
    # The harm: the list vanished as soon as Delete was chosen, and came back after the question
    unused = agencies.create_agency(window.sessions, "Youth Offending Team", "YOT")
    watching = Watching(window)
    window.prompts = watching

    def choose_delete() -> None:
        listing = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AgenciesDialog) and w.isVisible())
        listing.table.selectRow(next(i for i, (a, _n) in enumerate(listing.rows) if a.id == unused.id))
        listing.buttons["delete"].click()
    QTimer.singleShot(0, choose_delete)
    trigger(window, "agencies")
    assert watching.seen == [(True, True)]  # on screen, and the question asked over it
    assert "YOT" in {a.code for a in agencies.list_agencies(window.sessions)}  # cancelled: nothing deleted
    assert not any(isinstance(w, AgenciesDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
