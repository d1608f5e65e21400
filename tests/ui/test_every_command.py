"""Every menu and toolbar command, chosen once on the sample database with the user answering
every question with its default: none may fail, and none may leave the window in an error.

A net under the window's wiring: a command whose slot reaches for something a refactor moved
fails here (pytest-qt turns an exception in a slot into a failed test), not in a user's hands."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scr_desk.domain.dto import ItemKey
from scr_desk.ui.main_window import MainWindow
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import action

# Quitting closes the window the rest of the test needs; opening the sample or the showcase
# replaces the database under test (each has tests of its own).
LEFT_OUT = {"quit", "sample", "showcase"}


def _settle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    QApplication.processEvents()


def test_every_command_runs_without_an_error(window: MainWindow, qtbot: QtBot) -> None:
    # GIVEN the sample database, a recommendation selected, and a user who takes every default
    prompts = window.prompts
    assert isinstance(prompts, AnsweringPrompts)
    prompts.answers["confirm"] = False  # nothing is deleted or replaced
    names = sorted(set(window.menu_actions) - LEFT_OUT)
    assert len(names) >= 25  # the menus, not an empty dictionary
    tried = []
    for name in names:
        window.select_key(ItemKey.recommendation(1))
        _settle(qtbot, window)
        command = action(window, name)
        if not command.isEnabled():
            continue
        # WHEN the user chooses it
        command.trigger()
        _settle(qtbot, window)
        tried.append(name)
        # THEN no error was reported, and the window is still there
        assert prompts.errors() == [], f"{name}: {prompts.errors()}"
        assert window.isVisible(), name
    assert {"report", "export_returns", "import", "dashboard", "about", "guide", "delete"} <= set(tried)
    # AND the questions the commands asked went through the prompts facade
    asked = {question for question, _ in prompts.asked}
    assert {"about", "help_page", "confirm"} <= asked
