"""An exception nobody caught in a slot: the traceback goes to the log file, and the user reads
one plain sentence in the window saying where the details are; never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scr_desk.app import install_excepthook
from scr_desk.services import reviews
from scr_desk.ui.main_window import MainWindow
from tests.ui.conftest import AnsweringPrompts
from tests.ui.window_helpers import trigger


@pytest.fixture
def window_hook(window: MainWindow) -> Iterator[MainWindow]:
    previous = install_excepthook(window.prompts)
    yield window
    sys.excepthook = previous


@pytest.mark.qt_no_exception_capture  # the app's own hook is under test, not pytest-qt's
def test_an_error_in_a_slot_is_logged_and_told_in_one_sentence(window_hook: MainWindow, data_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a menu command whose slot meets an error nobody foresaw
    def broken(*_args: object) -> list[object]:
        raise RuntimeError("the unforeseen")
    monkeypatch.setattr(reviews, "list_reviews", broken)
    prompts = window_hook.prompts
    assert isinstance(prompts, AnsweringPrompts)
    # WHEN the user chooses it
    trigger(window_hook, "report")
    # THEN the window says so in one sentence naming the log, with no traceback in it
    log = data_dir / "logs" / "scr_desk-errors.log"
    assert len(prompts.errors()) == 1
    message = prompts.errors()[0]
    assert message.startswith("Something unexpected went wrong") and str(log) in message
    assert "Traceback" not in message and "\n" not in message
    # AND the log holds the traceback
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: the unforeseen" in text and "Traceback" in text and "panel_report" in text
