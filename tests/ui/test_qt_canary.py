"""PySide6 6.12.0 on CPython 3.11 leaks a reference to None on every void-returning call and
aborts the interpreter after a few thousand. pyproject.toml excludes
that release; this canary fails loudly if a leaking build is ever installed."""

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_do_not_leak_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm-up")
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(f"call {i}")
    # A leaking build loses about one reference per call; allow for unrelated noise.
    assert abs(sys.getrefcount(None) - before) < 50
    assert label.text() == "call 999"
