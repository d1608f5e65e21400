"""The window's figures, measured in a fresh process that holds only the window (as a user's
does): run.py starts `run.py --window-figures DB FOLDER RETURN` and reads one JSON line back.

What the window must show before a figure counts (the matches for the typed word, a review's
recommendations) is asked of the window through the few probes at the top of this file: when the
window's inner workings change, those probes change, and the measures stay as they are.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import measures

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind

# Broad words (the synthetic text holds them almost everywhere) and selective ones.
WORDS = ("domestic", "training", "police", "audit", "hoarding", "child k10", "r042-r7", "self-neglect")
KEY_INTERVAL_MS = 90  # a brisk typist: faster than the find box's pause before it asks
Figures = dict[str, tuple[float, float | None]]


# --- probes: the window as the figures need to see it ----------------------------------------
def shown_text(window: Any) -> str:
    """The find-box text whose matches the tree shows now."""
    return str(window.proxy.criteria.text)


def searching(window: Any) -> bool:
    """Whether the find box's search is still running on its worker."""
    return bool(window.search.busy)


def window_loaded(window: Any) -> bool:
    return bool(window.loads >= 1)


# --- the figures -------------------------------------------------------------------------------
def find_box(app: Any, window: Any, words: tuple[str, ...]) -> tuple[list[float], list[float]]:
    """For each word typed a key at a time at a typist's pace: the longest stall of the event loop
    while typing, and the time from the last key until the tree shows that word's matches."""
    stalls, shown = [], []
    for word in words:
        stall, after_last_key = type_word(app, window, word)
        stalls.append(stall)
        shown.append(after_last_key)
    print("  find box, per word: longest stall " + ", ".join(f"{w} {v:.0f}" for w, v in zip(words, stalls, strict=True))
          + "; matches shown after the last key " + ", ".join(f"{v:.0f}" for v in shown) + " ms", flush=True)
    window.filter_bar.reset()
    measures.settle(app, lambda: not searching(window))
    return stalls, shown


def type_word(app: Any, window: Any, word: str) -> tuple[float, float]:
    """Type `word` in the find box a key every KEY_INTERVAL_MS, as a person does: the longest
    stall of the window from the first key until the tree shows the matches, and how long after
    the last key they were shown (ms)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    window.filter_bar.reset()
    measures.settle(app, lambda: not searching(window))
    window.filter_bar.text.setFocus()
    last_key: list[float] = []

    def key(character: str, last: bool) -> None:
        QTest.keyClicks(window.filter_bar.text, character)
        if last:
            last_key.append(time.perf_counter())

    def start() -> None:
        for n, character in enumerate(word):
            final = n == len(word) - 1
            QTimer.singleShot(n * KEY_INTERVAL_MS, lambda c=character, last=final: key(c, last))

    def shown() -> bool:
        return bool(last_key) and shown_text(window) == word and not searching(window)
    stall = measures.longest_stall(app, start, shown)
    return stall, 1000 * (time.perf_counter() - last_key[0]) if last_key else float("nan")


def expand_review(app: Any, window: Any, row: int) -> float:
    """Open a review not read yet (its 25 recommendations and their actions are read then): ms
    until the tree has laid it out and painted."""
    window.tree.collapseAll()
    app.processEvents()
    index = window.proxy.index(row % window.proxy.rowCount(), 0)
    started = time.perf_counter()
    window.tree.expand(index)
    window.tree.scrollTo(window.proxy.index(0, 0, index))
    window.tree.viewport().repaint()
    app.processEvents()
    assert window.proxy.rowCount(index) > 0
    return 1000 * (time.perf_counter() - started)


def select_item(app: Any, window: Any, runs: int) -> list[float]:
    """Select the recommendation with 50 updates, from its review each time."""
    found = []
    for _ in range(runs):
        window.select_key(ItemKey(ItemKind.REVIEW, 1))
        app.processEvents()
        started = time.perf_counter()
        window.select_key(ItemKey.recommendation(1))
        app.processEvents()
        found.append(1000 * (time.perf_counter() - started))
    assert len(window.detail.pages[ItemKind.RECOMMENDATION].timeline.updates) == 50
    return found


def gui_figures(db: Path, folder: Path, runs: int, return_file: Path, small: bool, quick: bool = False) -> Figures:
    """Every window figure; `small` (the 1x database) adds those that run an export and imports
    beside the window (at 10x they would measure the export, not the window); `quick` types two
    words, not eight (the test suite's run)."""
    from PySide6.QtWidgets import QApplication

    from scr_desk.app import make_application
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.workspace import open_workspace

    app = make_application()
    window = MainWindow(open_workspace(measures.copy_db(db, folder)))
    window.show()
    measures.settle(app, lambda: window_loaded(window), timeout_s=3600)
    stalls, shown = find_box(app, window, WORDS[:2] if quick else WORDS)
    figures: Figures = {
        "find box: longest stall while typing a word": (measures.median(stalls), None),
        "find box: matches shown after the last key": (measures.median(shown), None),
        "expand a review with 25 recommendations": (measures.median(
            [expand_review(app, window, row) for row in range(10, 10 + runs)]), None),
        "select an item with 50 updates": (measures.median(select_item(app, window, runs)), None),
    }
    from exchange import dashboard_opening, exchange_stalls
    figures["dashboard open: longest stall"] = (measures.median(
        [dashboard_opening(app, window) for _ in range(runs)]), None)
    figures["peak memory of the window"] = (measures.own_peak_mb(), None)  # before any export or import in it
    if small:
        figures.update(exchange_stalls(app, window, folder, runs, return_file))
    window.close()
    QApplication.processEvents()
    return figures
