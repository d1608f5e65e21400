"""The window's words: the import preview counts each row once in one word, a name's "&" is shown
as itself wherever a name is a label, Help's shortcut list names keys and commands, a redo is
recorded as a redo, and the status bar's message never runs into its counts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.services import audit
from scr_desk.services.history import item_history
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from scr_desk.ui.help import shortcuts_html
from scr_desk.ui.import_dialog import ImportPreviewDialog, rows_sentence
from scr_desk.ui.import_model import OUTCOME_LABELS
from scr_desk.ui.main_window import MainWindow
from tests.ui.window_helpers import item_form
from tests.workbooks import legacy_tracker


def _shown_as_written(text: str) -> bool:
    """A widget label Qt shows with every "&" as itself: each one doubled."""
    return "&" not in text.replace("&&", "")


def _tracker_with_ampersands(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan & Improvement"
    sheet.append(["Rec No.", "Recommendation", "Lead agency", "Target date", "RAG", "Progress updated & Improvement"])
    sheet.append([1, "Improve the front door for families", "Police & Crime Commissioner", date(2027, 3, 31),
                  "Red", "Audit delayed by vacancies"])
    sheet.append([2, "Train staff to hear the voice of the child", "Police & Crime Commissioner",
                  date(2027, 3, 31), "Amber", "Two sessions held"])
    book.save(path)
    return path


def test_the_preview_counts_each_row_once_in_the_words_of_its_boxes(
        qtbot: QtBot, empty_db_path: Path, tmp_path: Path) -> None:
    # GIVEN a tracker whose title, blank and note rows are "not an item", none left out
    database = open_database(empty_db_path)
    try:
        plan = plan_import(database, legacy_tracker(tmp_path / "tracker.xlsx"))
    finally:
        database.close()
    dialog = ImportPreviewDialog(plan, plan.headings)
    qtbot.addWidget(dialog)
    # THEN the sentence above says each number in the word of the box that shows those rows
    sentence = rows_sentence(plan)
    for outcome, box in dialog.boxes.items():
        shown = plan.count(outcome)
        assert box.text() == f"{OUTCOME_LABELS[outcome]} ({shown})"
        if shown and outcome is Outcome.SKIPPED:
            assert f"{shown} not {'an item' if shown == 1 else 'items'}" in sentence, sentence
    assert plan.count(Outcome.WARNING) == 0 and "left out" not in sentence, sentence
    # AND the numbers add up to the rows of the file
    numbers = [int(n) for n in re.findall(r"(\d+) (?!rows)", sentence.split(": ", 1)[1])]
    assert sum(numbers) == len(plan.rows) == int(sentence.split(" ")[0])


def test_an_ampersand_in_a_name_is_shown_as_itself_not_as_a_shortcut(
        qtbot: QtBot, empty_db_path: Path, tmp_path: Path) -> None:
    database = open_database(empty_db_path)
    try:
        plan = plan_import(database, _tracker_with_ampersands(tmp_path / "plan.xlsx"))
    finally:
        database.close()
    dialog = ImportPreviewDialog(plan, plan.headings)
    qtbot.addWidget(dialog)
    # The sheet's tab, and every form label naming a sheet, a column or a review
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Columns: Plan && Improvement" in tabs, tabs
    labels = [label.text() for layout in dialog.findChildren(QFormLayout) for row in range(layout.rowCount())
              if (item := layout.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
              and isinstance(label := item.widget(), QLabel) and label.buddy() is not None]
    named = [text for text in labels if "Improvement" in text]
    assert named, labels
    assert all(_shown_as_written(text) for text in named), named


def test_an_agency_name_with_an_ampersand_in_the_form_and_the_undo_menu(qtbot: QtBot, window: MainWindow) -> None:
    # GIVEN agencies whose names hold "&", one of them just made (so Edit > Undo names it)
    window.prompts.answers["agency_details"] = {"name": "Health & Wellbeing Board"}
    assert window.editor.new_agency() is not None
    assert window.menu_actions["undo"].text() == "&Undo new agency Health && Wellbeing Board"
    # THEN the contributing agencies' menu shows each "&" as itself
    node = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R3")
    assert window.select_key(node.key)
    qtbot.waitUntil(lambda: window.detail.current_key() == node.key, timeout=2000)
    checklist = item_form(window).editors["contributor_ids"]
    qtbot.waitUntil(lambda: any("Wellbeing" in a.text() for a in checklist.menu().actions()), timeout=2000)
    menu_texts = [action.text() for action in checklist.menu().actions()]
    assert "Health && Wellbeing Board" in menu_texts and all(_shown_as_written(t) for t in menu_texts)


def test_help_lists_keys_and_commands_not_the_edit_on_the_stack(qtbot: QtBot, window: MainWindow) -> None:
    # GIVEN an edit on the undo stack
    node = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R3")
    window.editor.edit_field(node.kind, node.id, "target_note", "Ongoing")
    assert window.undo_stack.canUndo()
    page = shortcuts_html(window)
    cells = re.findall(r"<td><b>(.*?)</b></td><td>(.*?)</td>", page)
    keys = [key for key, _ in cells]
    names = [name for _, name in cells]
    # THEN no key is a word such as "Redo", and undo is named for what it is
    assert "Redo" not in keys and "Undo" not in keys and all(keys), keys
    assert "Undo the last change" in names and "Redo what was undone" in names
    assert not any("target note" in name.casefold() for name in names), names


def test_a_redo_is_recorded_as_a_redo(qtbot: QtBot, window: MainWindow) -> None:
    node = next(n for n in window.model.tree.walk() if n.reference == "CLARE-R3")
    window.editor.edit_field(node.kind, node.id, "target_note", "Ongoing")
    window.undo_stack.undo()
    window.undo_stack.redo()
    history = item_history(window.sessions, ItemKey(node.kind, node.id))
    notes = [line for line in history if line.what == "target note"]
    assert [line.source for line in notes][:3] == [audit.REDO, "undo", audit.TYPED], notes


def test_the_status_bar_message_never_runs_into_its_counts(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(900, 600)
    window.show_status("Update added to CLARE-R3 and saved; " * 10)
    qtbot.wait(20)
    bar = window.statusBar()
    image = bar.grab().toImage()
    ratio = image.width() / bar.width()
    label = window.file_label
    left = label.geometry().left()
    background = QColor(image.pixel(int((left - 1) * ratio), 1))
    # The few pixels where the message ends and the file name begins hold neither: a gap.
    gap = [QColor(image.pixel(int(x * ratio), int(y * ratio)))
           for x in range(left, left + 8) for y in range(2, bar.height() - 2)]
    assert all(colour == background for colour in gap)
