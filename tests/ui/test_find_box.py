"""The find box finds words wherever an item holds them, asking the database's index: one test per
field it searches, each with a word found in that field alone, so a field dropped from the index
fails its own test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import open_database
from scr_desk.ui.main_window import MainWindow
from tests.search_kit import fill_every_searched_field


@pytest.fixture
def searched(sample_db_path: Path, make_window: Callable[..., MainWindow]) -> MainWindow:
    """The sample, plus a recommendation and an action whose every field holds a word of its own."""
    database = open_database(sample_db_path)
    fill_every_searched_field(database.sessions)
    database.close()
    return make_window(sample_db_path)


def _find(qtbot: QtBot, window: MainWindow, text: str) -> str | None:
    """Type `text` in the find box as the user does (Ctrl+F, then the keys); once the tree shows the
    matches, the reference of the one item holding the words itself (highlighted in the tree)."""
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.filter_bar.text
    qtbot.keyClicks(window.filter_bar.text, text)
    qtbot.waitUntil(lambda: window.proxy.criteria.text == text and not window.search.busy, timeout=5000)
    result = window.proxy.result
    assert result is not None
    [key] = result.found
    index = window.navigation.to_view(window.model.index_for(key))
    assert index.isValid() and index.data(Qt.ItemDataRole.BackgroundRole) is not None  # shown, highlighted
    node = window.model.node_for_key(key)
    return node.reference if node else None


def test_finds_a_word_in_an_updates_narrative(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "marmalade") == "CLARE-R7-A1"


def test_finds_a_word_in_an_updates_evidence(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "flamingo") == "CLARE-R7-A1"


def test_finds_an_updates_author(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "halvorsen") == "CLARE-R7-A1"


def test_finds_an_owners_name(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "okonkwo") == "CLARE-R7-A1"


def test_finds_a_lead_agency(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "quokka") == "CLARE-R7"


def test_finds_a_contributing_agency(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "wombat") == "CLARE-R7"


def test_finds_an_owner_agency(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "numbat") == "CLARE-R7-A1"


def test_finds_a_reference(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "clare-r7-a1") == "CLARE-R7-A1"


def test_finds_a_word_of_the_text(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "zanzibar") == "CLARE-R7"


def test_finds_a_success_measure(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "delayed") == "CLARE-R7-A1"


def test_finds_a_theme(qtbot: QtBot, searched: MainWindow) -> None:
    assert _find(qtbot, searched, "kestrel") == "CLARE-R7"


def test_finds_words_typed_so_far_and_words_from_different_fields(qtbot: QtBot, searched: MainWindow) -> None:
    # the start of a word, and two words each in a different field of the same item (text and update)
    assert _find(qtbot, searched, "marmal escalation") == "CLARE-R7-A1"
