"""The tree model reads what is seen and passes Qt's model tester: before a review is opened,
as it is opened, after edits refresh one review in place, and behind the filter's proxy."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Status
from scr_desk.domain.search import FilterCriteria
from scr_desk.services import items, reviews, updates
from scr_desk.services.search import find
from scr_desk.services.tree import list_reviews, load_subtrees
from scr_desk.ui.tree_filter import TreeFilterProxy
from scr_desk.ui.tree_model import ReviewTreeModel

TODAY = date(2026, 11, 26)


def _populate(db: Database) -> None:
    rec = items.create_recommendation(db.sessions, reviews.list_reviews(db.sessions)[0].id, {
        "number": "5", "text": "Escalation policy", "target_date": "01/01/2021", "rag": "Red",
        "status": "In progress"})
    items.create_action(db.sessions, rec.id, {"text": "Rewrite the escalation policy", "owner_name": "J. Smith",
                                              "status": "Complete"})
    items.create_action(db.sessions, rec.id, {"text": "Train the managers", "target_date": "01/06/2021"})
    other = reviews.create_review(db.sessions, {"name": "Adult B", "review_type": "SAR"})
    items.create_recommendation(db.sessions, other.id, {"number": "1", "text": "Self-neglect guidance",
                                                        "status": "Assured"})


def _lazy_model(db: Database, reads: list[int]) -> ReviewTreeModel:
    model = ReviewTreeModel()

    def read(review_id: int) -> Any:
        reads.append(review_id)
        return load_subtrees(db.sessions, [review_id], TODAY)[review_id]
    model.loader = read
    model.set_reviews(list_reviews(db.sessions, TODAY))
    return model


def test_lazy_model_passes_the_model_tester(qtmodeltester: Any, sample_db: Database) -> None:
    _populate(sample_db)
    reads: list[int] = []
    model = _lazy_model(sample_db, reads)
    clare = model.index(0, 0)
    # Before it is opened a review has an arrow (its count came with it) but no rows read.
    assert model.rowCount() == 2 and model.rowCount(clare) == 0 and model.hasChildren(clare)
    assert model.canFetchMore(clare) and reads == []
    assert model.data(clare.siblingAtColumn(ReviewTreeModel.COL_PROGRESS)) == "4 recommendations: 1 overdue"
    qtmodeltester.check(model)  # the tester opens every review, as a view would
    assert sorted(reads) == sorted(r.id for r in model.reviews()) and not model.canFetchMore(clare)
    assert model.rowCount(clare) == 4
    r5 = model.index(3, 0, clare)
    assert model.data(r5) == "CLARE-R5  Escalation policy"
    assert model.rowCount(r5) == 2
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_RAG)) == "Red"
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_TARGET)) == "⚠ 01/01/2021"
    progress = model.data(r5.siblingAtColumn(ReviewTreeModel.COL_PROGRESS))
    assert "overdue" in progress and "2 actions: 1 complete, 1 overdue" in progress
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_RAG), Qt.ItemDataRole.DecorationRole) is not None
    action = model.index(0, 0, r5)
    assert model.data(action.siblingAtColumn(ReviewTreeModel.COL_RAG)) == "Blue"  # complete shows Blue
    assert model.parent(action) == r5 and model.parent(r5) == clare
    # Complete and Assured are counted apart: assurance is the panel's decision.
    adult_b = model.index(1, 0)
    assert model.data(adult_b.siblingAtColumn(ReviewTreeModel.COL_PROGRESS)) == "1 recommendation: 1 assured"


def test_only_the_review_opened_is_read(sample_db: Database) -> None:
    _populate(sample_db)
    reads: list[int] = []
    model = _lazy_model(sample_db, reads)
    adult_b = model.index(1, 0)
    model.fetchMore(adult_b)
    assert reads == [model.node(adult_b).id]  # type: ignore[union-attr]
    assert model.rowCount(adult_b) == 1 and model.rowCount(model.index(0, 0)) == 0
    # Selecting something inside an unread review reads that review (fetch), and only once.
    assert model.fetch(ItemKey(ItemKind.REVIEW, model.node(model.index(0, 0)).id))  # type: ignore[union-attr]
    model.fetch(ItemKey(ItemKind.REVIEW, model.node(model.index(0, 0)).id))  # type: ignore[union-attr]
    assert len(reads) == 2


def test_a_recommendation_with_actions_shows_their_roll_up(sample_db: Database) -> None:
    # GIVEN a recommendation not rated itself, with no target, whose actions are (as a tracker's rows are)
    review_id = reviews.list_reviews(sample_db.sessions)[0].id
    rec = items.create_recommendation(sample_db.sessions, review_id, {"number": "7", "text": "From a tracker"})
    items.create_action(sample_db.sessions, rec.id, {"text": "First", "rag": "Amber", "status": "In progress",
                                                     "target_date": "31/03/2027"})
    items.create_action(sample_db.sessions, rec.id, {"text": "Second", "rag": "Red", "status": "In progress",
                                                     "target_date": "30/06/2027"})
    updates.add_update(sample_db.sessions, ItemKey.recommendation(rec.id),
                       {"narrative": "Begun", "as_at": "03/12/2020"})
    model = _lazy_model(sample_db, [])
    model.fetch(ItemKey(ItemKind.REVIEW, review_id))
    index = model.index_for(ItemKey.recommendation(rec.id))
    # THEN it shows the worst RAG of its open actions and their latest target, marked as theirs, and its latest update
    rag, target = index.siblingAtColumn(ReviewTreeModel.COL_RAG), index.siblingAtColumn(ReviewTreeModel.COL_TARGET)
    assert model.data(rag) == "Red" and model.data(rag, Qt.ItemDataRole.FontRole).italic()
    assert "worst RAG of its open actions is Red" in model.data(rag, Qt.ItemDataRole.ToolTipRole)
    assert model.data(target) == "30/06/2027" and model.data(target, Qt.ItemDataRole.FontRole).italic()
    assert model.data(rag, Qt.ItemDataRole.AccessibleTextRole) == "Red, from its actions"
    assert model.data(index.siblingAtColumn(ReviewTreeModel.COL_PROGRESS)) == "2 actions · updated 03/12/2020"


def test_a_target_note_shows_in_the_target_column(sample_db: Database) -> None:
    review_id = reviews.list_reviews(sample_db.sessions)[0].id
    rec = items.create_recommendation(sample_db.sessions, review_id, {"number": "8", "target_note": "Ongoing"})
    model = _lazy_model(sample_db, [])
    model.fetch(ItemKey(ItemKind.REVIEW, review_id))
    index = model.index_for(ItemKey.recommendation(rec.id), ReviewTreeModel.COL_TARGET)
    assert model.data(index) == "Ongoing"


def test_an_edit_refreshes_its_review_in_place(qtmodeltester: Any, sample_db: Database) -> None:
    model = _lazy_model(sample_db, [])
    clare = model.index(0, 0)
    model.fetchMore(clare)
    review_id = model.node(clare).id  # type: ignore[union-attr]
    first = model.node(model.index(0, 0, clare))
    assert first is not None
    updates.add_update(sample_db.sessions, first.key, {"narrative": "Done", "status": "Complete", "rag": "Green"})
    changed: list[Any] = []
    removed: list[Any] = []
    model.dataChanged.connect(lambda a, b, roles: changed.append(a))
    model.rowsRemoved.connect(lambda *args: removed.append(args))
    model.replace_review(list_reviews(sample_db.sessions, TODAY, {review_id})[0],
                         load_subtrees(sample_db.sessions, [review_id], TODAY)[review_id])
    assert changed and not removed  # the same rows: only their data changed
    assert model.data(model.index(0, 1, clare)) == Status.COMPLETE.value
    assert model.data(clare.siblingAtColumn(5)) == "3 recommendations: 1 complete"
    qtmodeltester.check(model)
    # A recommendation added: the review's rows are taken out and put in again, the others untouched.
    items.create_recommendation(sample_db.sessions, review_id, {"number": "9"})
    model.replace_review(list_reviews(sample_db.sessions, TODAY, {review_id})[0],
                         load_subtrees(sample_db.sessions, [review_id], TODAY)[review_id])
    assert removed and model.rowCount(clare) == 4
    qtmodeltester.check(model)


def test_the_filter_proxy_over_the_lazy_model(qtmodeltester: Any, sample_db: Database) -> None:
    _populate(sample_db)
    model = _lazy_model(sample_db, [])
    # Every review read first: Qt's tester, run again on each reset, would otherwise open one while
    # the reset is still in its hands (a view never does; the lazy model is tested on its own above).
    for review in model.reviews():
        model.fetch(review.key)
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_result(find(sample_db.sessions, FilterCriteria(text="domestic"), TODAY))
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1 and proxy.rowCount(proxy.index(0, 0)) == 1
    r3 = proxy.index(0, 0, proxy.index(0, 0))
    assert proxy.data(r3).startswith("CLARE-R3")
    assert proxy.data(r3, Qt.ItemDataRole.BackgroundRole) is not None  # its text holds the word: highlighted
    # A word found only in its update history: in italics, and the tooltip says why it is there.
    proxy.set_result(find(sample_db.sessions, FilterCriteria(text="research"), TODAY))
    r3 = proxy.index(0, 0, proxy.index(0, 0))
    assert proxy.data(r3).startswith("CLARE-R3") and proxy.data(r3, Qt.ItemDataRole.FontRole).italic()
    assert "update history" in proxy.data(r3, Qt.ItemDataRole.ToolTipRole)
    proxy.set_result(None)
    assert proxy.rowCount(proxy.index(0, 0)) == 4
