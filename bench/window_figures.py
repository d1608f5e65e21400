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
KEY_INTERVAL_MS = 80  # a fast typist's pace: each key lands while the window works on the last
Figures = dict[str, tuple[float, float | None]]


# --- probes: the window as the figures need to see it ----------------------------------------
def shown_text(window: Any) -> str:
    """The find-box text whose matches the tree shows now."""
    return str(window.proxy.criteria.text)


def review_index(window: Any, review_id: int) -> Any:
    """The tree's index of a review (a top-level row)."""
    from scr_desk.ui.tree_model import ReviewTreeModel
    proxy = window.tree.model()
    wanted = ItemKey(ItemKind.REVIEW, review_id)
    return next(proxy.index(row, 0) for row in range(proxy.rowCount())
                if proxy.data(proxy.index(row, 0), ReviewTreeModel.KeyRole) == wanted)


def children_shown(window: Any, index: Any) -> int:
    return int(window.tree.model().rowCount(index))


def window_loaded(window: Any) -> bool:
    return bool(window.loads >= 1)


# --- the figures -------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    """This process's high-water mark of resident memory (VmHWM), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def find_box(app: Any, window: Any, words: tuple[str, ...]) -> tuple[list[float], list[float]]:
    """For each word typed a key at a time at a typist's pace: the longest stall of the event loop
    while typing, and the time from the last key until the tree shows that word's matches."""
    stalls, shown = [], []
    for word in words:
        stall, after_last_key = type_word(app, window, word)
        stalls.append(stall)
        shown.append(after_last_key)
    window.filter_bar.text.clear()
    measures.settle(app, lambda: shown_text(window) == "")
    return stalls, shown


def type_word(app: Any, window: Any, word: str) -> tuple[float, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    box = window.filter_bar.text
    box.clear()
    measures.settle(app, lambda: shown_text(window) == "")
    keys = list(word)
    last_key = [0.0]

    def type_next() -> None:
        QTest.keyClicks(box, keys.pop(0))
        last_key[0] = time.perf_counter()
        if keys:
            QTimer.singleShot(KEY_INTERVAL_MS, type_next)
    stall = measures.longest_stall(app, type_next, lambda: not keys and shown_text(window) == word)
    return stall, 1000 * (time.perf_counter() - last_key[0])


def expand_review(app: Any, window: Any, runs: int, recommendations: int) -> list[float]:
    """Open review 1 (25 recommendations in the large set) until its rows show, from closed each time."""
    found = []
    for _ in range(runs):
        index = review_index(window, 1)
        window.tree.collapse(index)
        app.processEvents()
        started = time.perf_counter()
        window.tree.expand(index)
        measures.settle(app, lambda: children_shown(window, review_index(window, 1)) >= recommendations)
        found.append(1000 * (time.perf_counter() - started))
    return found


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
        "expand a review with 25 recommendations": (measures.median(expand_review(
            app, window, runs, measures.recommendations_of_review(db, 1))), None),
        "select an item with 50 updates": (measures.median(select_item(app, window, runs)), None),
    }
    from exchange import dashboard_opening, exchange_stalls
    figures["dashboard open: longest stall"] = (measures.median(
        [dashboard_opening(app, window) for _ in range(runs)]), None)
    figures["peak memory of the window"] = (peak_rss_mb(), None)  # before any export or import runs in it
    if small:
        figures.update(exchange_stalls(app, window, folder, runs, return_file))
    window.close()
    QApplication.processEvents()
    return figures
