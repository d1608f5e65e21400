"""Opening a review costs what the review holds, not what the tree holds: its rows are read before
the view opens it (however it is opened), and the view is on the tree's own model while nothing
is filtered (the filter's proxy cost a second call into Python for every row laid out)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import Database, open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services.synthetic import Sizes, add_synthetic_data
from scr_desk.services.tree import list_reviews, load_subtrees
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.tree_model import ReviewTreeModel
from scr_desk.ui.tree_view import ReviewTreeView
from tests.ui.window_helpers import filter_now

REVIEWS = 400
_ROOT = QModelIndex()


class CountingModel(ReviewTreeModel):
    """The tree's model, counting the rows the view asks it for."""

    asked = 0

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        self.asked += 1
        return super().index(row, column, parent)


@pytest.fixture
def many_reviews(db: Database) -> Database:
    add_synthetic_data(db.sessions, Sizes(reviews=REVIEWS, recommendations=REVIEWS * 10, actions=REVIEWS * 10,
                                          updates=0, agencies=8))
    return db


def _view(qtbot: QtBot, db: Database) -> tuple[ReviewTreeView, CountingModel]:
    model = CountingModel()
    model.loader = lambda review_id: load_subtrees(db.sessions, [review_id])[review_id]
    model.set_reviews(list_reviews(db.sessions))
    view = ReviewTreeView()
    qtbot.addWidget(view)
    view.setUniformRowHeights(True)
    view.setModel(model)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    return view, model


@pytest.mark.parametrize("opening", ["expand", "arrow", "key", "double click"])
def test_opening_a_review_lays_out_its_own_rows_not_every_review(qtbot: QtBot, many_reviews: Database,
                                                                 opening: str) -> None:
    view, model = _view(qtbot, many_reviews)
    review = model.index(2, 0)
    assert model.canFetchMore(review)
    qtbot.wait(10)
    model.asked = 0
    rect = view.visualRect(review)
    if opening == "expand":
        view.expand(review)
    elif opening == "arrow":
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() - view.indentation() // 2,
                                                                                      rect.center().y()))
    elif opening == "key":
        view.setCurrentIndex(review)
        model.asked = 0
        qtbot.keyClick(view, Qt.Key.Key_Right)
    else:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view.scrollTo(model.index(0, 0, review))  # lays out whatever is pending
    view.viewport().repaint()
    assert view.isExpanded(review) and model.rowCount(review) == 10
    # Its ten rows and the rows painted, not the 400 reviews laid out again (through the view's
    # relayout every review's index is asked for, several times).
    assert model.asked < REVIEWS, model.asked


def test_the_view_is_on_the_filter_only_while_a_filter_is_set(qtbot: QtBot, sample_db_path: Path,
                                                              make_window: Callable[..., MainWindow]) -> None:
    window = make_window(sample_db_path)
    assert window.tree.model() is window.model
    clare = window.model.index(0, 0)
    window.tree.expand(clare)
    r3 = next(key for key in (window.model.index(row, 0, clare).data(ReviewTreeModel.KeyRole)
                              for row in range(window.model.rowCount(clare))) if window.model.node_for_key(key)
              and window.model.node_for_key(key).reference == "CLARE-R3")  # type: ignore[union-attr]
    window.select_key(r3)
    filter_now(qtbot, window, "domestic")
    assert window.tree.model() is window.proxy and window.selected_key() == r3
    window.filter_bar.reset()
    qtbot.waitUntil(lambda: window.tree.model() is window.model, timeout=5000)
    # The selection, what was open and the detail pane follow the view back to the tree's model.
    assert window.selected_key() == r3 and window.tree.isExpanded(window.model.index(0, 0))
    other = ItemKey(ItemKind.REVIEW, window.model.reviews()[0].id)
    window.tree.setCurrentIndex(window.model.index_for(other))
    qtbot.waitUntil(lambda: window.detail.current_key() == other, timeout=5000)


def test_a_review_opened_before_it_is_read_keeps_its_rows(qtbot: QtBot, empty_db_path: Path) -> None:
    database = open_database(empty_db_path)
    add_synthetic_data(database.sessions, Sizes(reviews=3, recommendations=30, actions=30, updates=0, agencies=3),
                       today=date(2026, 11, 26))
    view, model = _view(qtbot, database)
    view.setExpanded(model.index(1, 0), True)
    assert view.isExpanded(model.index(1, 0)) and model.rowCount(model.index(1, 0)) == 10
    database.close()
