"""Two windows on one server database, in one test, offscreen: what one adds shows in the other
within two seconds, keeping its selection and an edit in progress; a stale edit is refused in one
sentence and the item reloads; a read-only role's window cannot edit; a lost connection keeps
what is on screen, read-only, and an edit that did not save stays in its field."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag
from scr_desk.services import items, updates
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.window_team import WRITING_ACTIONS
from scr_desk.ui.workspace import open_workspace
from tests.pg_cluster import SECOND_WRITER, VIEWER, WRITER, Cluster
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import action, item_form, item_page

Opener = Callable[[str], MainWindow]


@pytest.fixture
def server_sample(pg_cluster: Cluster, pg_database: Callable[..., str], pg_templates: dict[str, str]) -> str:
    return pg_database(pg_templates["sample"])


@pytest.fixture
def open_as(qtbot: QtBot, pg_cluster: Cluster, server_sample: str) -> Opener:
    def make(role: str) -> MainWindow:
        window = MainWindow(open_workspace(pg_cluster.url(role, server_sample)), prompts=AnsweringPrompts())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.loads >= 1, timeout=5000)
        return window
    return make


def _select(qtbot: QtBot, window: MainWindow, reference: str) -> ItemKey:
    key = next(n.key for n in window.model.tree.walk() if n.reference == reference)  # type: ignore[union-attr]
    assert window.select_key(key)
    qtbot.waitUntil(lambda: item_page(window).item == key, timeout=2000)
    return key


def test_an_update_added_in_one_window_shows_in_the_other_within_two_seconds(qtbot: QtBot, open_as: Opener,
                                                                             qtmodeltester: Any) -> None:
    lead, officer = open_as(WRITER), open_as(SECOND_WRITER)
    key = _select(qtbot, lead, "CLARE-R3")
    assert _select(qtbot, officer, "CLARE-R3") == key
    # The officer is typing into the item's text when the lead's update lands.
    text = item_form(officer).editors["text"]
    text.setFocus()
    qtbot.keyClicks(text, " (being edited)")
    typed = text.toPlainText()  # type: ignore[attr-defined]
    form = item_page(lead).add_form
    qtbot.keyClicks(form.narrative, "Training delivered to every assessment team.")
    form.rag.set_value(Rag.GREEN)
    started = time.monotonic()
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Training delivered to every assessment team." in
                    item_page(officer).timeline.toPlainText(), timeout=2000)
    assert time.monotonic() - started < 2.0
    assert officer.selected_key() == key  # the selection stays
    assert text.toPlainText() == typed  # type: ignore[attr-defined]  # the edit in progress stays
    assert "changed just now by lead" in officer.statusBar().currentMessage()
    qtmodeltester.check(officer.model)
    # Saving that edit, made from the version before the lead's update, is refused in one
    # sentence, and the item shows as it now is.
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(officer.prompts.errors()), timeout=2000)  # type: ignore[attr-defined]
    [refusal] = officer.prompts.errors()  # type: ignore[attr-defined]
    assert "CLARE-R3 was changed by lead at" in refusal and "so your change was not saved" in refusal
    assert refusal.count(". ") == 0 and refusal.endswith(".")
    assert "(being edited)" not in items.get_recommendation(officer.sessions, key.id).text
    assert "(being edited)" not in text.toPlainText()  # type: ignore[attr-defined]


def test_a_stale_edit_is_refused_and_the_item_reloads(qtbot: QtBot, open_as: Opener) -> None:
    lead, officer = open_as(WRITER), open_as(SECOND_WRITER)
    key = _select(qtbot, lead, "CLARE-R1")
    _select(qtbot, officer, "CLARE-R1")
    # The lead changes the RAG; before the officer's window hears of it, the officer changes it too.
    items.update_recommendation(lead.sessions, key.id, {"rag": Rag.RED})
    officer.editor.edit_field(ItemKind.RECOMMENDATION, key.id, "rag", Rag.GREEN)
    [refusal] = officer.prompts.errors()  # type: ignore[attr-defined]
    assert refusal.startswith("change of RAG on CLARE-R1: CLARE-R1 was changed by lead at ")
    assert items.get_recommendation(lead.sessions, key.id).rag is Rag.RED
    assert item_form(officer).value("rag") is Rag.RED  # reloaded: it shows what is stored
    assert not officer.undo_stack.canUndo()


def test_a_read_only_roles_window_cannot_edit(qtbot: QtBot, open_as: Opener) -> None:
    viewer = open_as(VIEWER)
    _select(qtbot, viewer, "CLARE-R3")
    page = item_page(viewer)
    assert all(not editor.isEnabled() for editor in page.form.editors.values())
    assert not page.unfold.isEnabled() and not page.add_form.isEnabled()
    assert all(not action(viewer, name).isEnabled() for name in WRITING_ACTIONS)
    assert action(viewer, "export_full").isEnabled() and action(viewer, "report").isEnabled()
    assert viewer.team.access.isVisible()
    assert viewer.team.access.text() == "Read-only: your role (viewer) may read this database but not change it."
    assert "Correct…" not in page.timeline.toHtml()  # no correcting an update either
    assert viewer.windowTitle().startswith("t_") and " on " in viewer.windowTitle()
    assert viewer.backup_label.text() == "Backups: the server's"
    # Everything that only reads works: the dashboard and the returns board draw from the server.
    shown = viewer.dashboards.dashboard_shown
    action(viewer, "dashboard").trigger()
    qtbot.waitUntil(lambda: viewer.dashboards.dashboard_shown > shown, timeout=5000)
    boards = viewer.returns_board.shown
    action(viewer, "returns_board").trigger()
    qtbot.waitUntil(lambda: viewer.returns_board.shown > boards, timeout=5000)
    assert viewer.prompts.errors() == []  # type: ignore[attr-defined]


def test_a_lost_connection_keeps_the_screen_read_only_and_an_unsaved_edit_in_its_field(
        qtbot: QtBot, open_as: Opener, pg_cluster: Cluster, server_sample: str) -> None:
    lead = open_as(WRITER)
    key = _select(qtbot, lead, "CLARE-R3")
    # The server ends every connection of the lead's (as a restart would), and refuses new ones.
    pg_cluster.admin_sql(f"ALTER DATABASE {server_sample} ALLOW_CONNECTIONS false",
                         f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{server_sample}'")
    editor = item_form(lead).editors["owner_name" if key.kind is ItemKind.ACTION else "target_note"]
    editor.setFocus()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "After the restart")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lead.offline(), timeout=5000)
    [said] = lead.prompts.errors()  # type: ignore[attr-defined]
    assert said.startswith("Change of target note on CLARE-R3 was not saved: the connection to the server was lost")
    assert editor.text() == "After the restart"  # stays in its field
    assert not editor.isEnabled() and lead.team.access.isVisible()
    assert "reconnecting" in lead.team.access.text()
    assert lead.model.tree is not None and lead.selected_key() == key  # what was on screen stays
    # Meanwhile someone adds an update to another item; the window catches up once back, and the
    # edit that was not saved is still in its field, to be saved now.
    pg_cluster.admin_sql(f"ALTER DATABASE {server_sample} ALLOW_CONNECTIONS true")
    other = open_workspace(pg_cluster.url(SECOND_WRITER, server_sample)).database
    r1 = next(n.key for n in lead.model.tree.walk() if n.reference == "CLARE-R1")
    updates.add_update(other.sessions, r1, {"narrative": "Added while the lead was cut off"})
    other.close()
    qtbot.waitUntil(lambda: not lead.offline(), timeout=10000)
    assert editor.isEnabled() and not lead.team.access.isVisible()
    assert editor.text() == "After the restart"
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert items.get_recommendation(lead.sessions, key.id).target_note == "After the restart"


def test_file_open_server_opens_the_url_and_remembers_it_without_a_password(
        qtbot: QtBot, make_window: Callable[..., MainWindow], sample_db_path: Any, pg_cluster: Cluster,
        server_sample: str, pg_database: Callable[..., str], tmp_path: Any) -> None:
    window = make_window(sample_db_path)
    prompts = window.prompts
    secret = pg_cluster.url(WRITER, server_sample).replace(f"{WRITER}@", f"{WRITER}:hunter2@")
    prompts.answers["server_url"] = secret  # type: ignore[attr-defined]
    loads = window.loads
    action(window, "open_server").trigger()
    qtbot.waitUntil(lambda: window.loads > loads, timeout=5000)
    assert window.workspace.is_server and window.windowTitle().startswith(f"{server_sample} on ")
    remembered = window.settings.recent_databases()[0]
    assert remembered == pg_cluster.url(WRITER, server_sample).replace("%2F", "/") and "hunter2" not in remembered
    window.settings._store.sync()
    assert not any("hunter2" in path.read_text(errors="replace") for path in tmp_path.rglob("*.ini"))
    # An empty database on the server: made there once the user says so.
    empty = pg_cluster.url(WRITER, pg_database())
    prompts.answers["server_url"] = empty  # type: ignore[attr-defined]
    loads = window.loads
    action(window, "open_server").trigger()
    qtbot.waitUntil(lambda: window.loads > loads, timeout=5000)
    assert ("create_missing_database", empty.replace("%2F", "/")) in prompts.asked  # type: ignore[attr-defined]
    assert window.model.rowCount() == 0  # an empty database: no reviews
