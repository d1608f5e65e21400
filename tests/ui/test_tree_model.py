"""The tree model passes Qt's model tester, before and after edits, and filtering keeps the
ancestors of every match."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.services import items, reviews, updates
from scr_desk.services.tree import load_tree
from scr_desk.ui.tree_filter import FilterCriteria, TreeFilterProxy, visible_keys
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


def test_model_passes_the_model_tester(qtmodeltester: Any, sample_db: Database) -> None:
    _populate(sample_db)
    model = ReviewTreeModel()
    model.set_tree(load_tree(sample_db.sessions, TODAY))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    clare = model.index(0, 0)
    assert model.rowCount(clare) == 4
    r5 = model.index(3, 0, clare)
    assert model.data(r5) == "CLARE-R5  Escalation policy"
    assert model.rowCount(r5) == 2
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_RAG)) == "Red"
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_TARGET)) == "01/01/2021 ⚠"
    assert "overdue" in model.data(r5.siblingAtColumn(ReviewTreeModel.COL_PROGRESS))
    assert "1 of 2 actions complete, 1 overdue" in model.data(r5.siblingAtColumn(ReviewTreeModel.COL_PROGRESS))
    assert model.data(r5.siblingAtColumn(ReviewTreeModel.COL_RAG), Qt.ItemDataRole.DecorationRole) is not None
    action = model.index(0, 0, r5)
    assert model.data(action.siblingAtColumn(ReviewTreeModel.COL_RAG)) == "Blue"  # complete shows Blue
    assert model.data(clare.siblingAtColumn(ReviewTreeModel.COL_PROGRESS)) == "0 of 4 complete, 1 overdue"
    assert model.parent(action) == r5 and model.parent(r5) == clare


def test_model_after_edits_and_partial_refresh(qtmodeltester: Any, sample_db: Database) -> None:
    model = ReviewTreeModel()
    model.set_tree(load_tree(sample_db.sessions, TODAY))
    rec = items.get_recommendation(sample_db.sessions, model.node(model.index(0, 0, model.index(0, 0))).id)
    updates.add_update(sample_db.sessions, ItemKey.recommendation(rec.id),
                       {"narrative": "Done", "status": "Complete", "rag": "Green"})
    review_id = rec.review_id
    fresh = load_tree(sample_db.sessions, TODAY, {review_id})
    changed: list[Any] = []
    model.dataChanged.connect(lambda a, b, roles: changed.append(a))
    assert model.replace_review(fresh.reviews[0]) is True
    assert changed
    assert model.data(model.index(0, 1, model.index(0, 0))) == Status.COMPLETE.value
    assert model.data(model.index(0, 0).siblingAtColumn(5)) == "1 of 3 complete"
    qtmodeltester.check(model)
    items.create_recommendation(sample_db.sessions, review_id, {"number": "9"})
    assert model.replace_review(load_tree(sample_db.sessions, TODAY, {review_id}).reviews[0]) is False
    model.set_tree(load_tree(sample_db.sessions, TODAY))
    qtmodeltester.check(model)
    assert model.rowCount(model.index(0, 0)) == 4


def test_filter_keeps_ancestors_and_matches(qtmodeltester: Any, sample_db: Database) -> None:
    _populate(sample_db)
    tree = load_tree(sample_db.sessions, TODAY)
    by_ref = {n.reference: n.key for n in tree.walk()}
    # text in an update narrative finds recommendation 3 and keeps its review
    assert visible_keys(tree, FilterCriteria(text="domestic")) == {by_ref["CLARE"], by_ref["CLARE-R3"]}
    # several words must all match
    assert visible_keys(tree, FilterCriteria(text="mash voice")) == {by_ref["CLARE"], by_ref["CLARE-R1"]}
    # a review's name shows the whole review
    assert by_ref["ADULTB-R1"] in visible_keys(tree, FilterCriteria(text="adult b"))
    # overdue only: the overdue recommendation and its overdue action
    overdue = visible_keys(tree, FilterCriteria(overdue_only=True))
    assert overdue == {by_ref["CLARE"], by_ref["CLARE-R5"], by_ref["CLARE-R5-A2"]}
    assert visible_keys(tree, FilterCriteria(rag=Rag.RED)) == {by_ref["CLARE"], by_ref["CLARE-R5"]}
    closed_hidden = visible_keys(tree, FilterCriteria(hide_closed=True))
    assert by_ref["ADULTB-R1"] not in closed_hidden and by_ref["CLARE-R5-A1"] not in closed_hidden
    assert by_ref["CLARE-R5-A2"] in closed_hidden
    solent = next(i for i, name in tree.agencies.items() if name == "Solent NHS Trust")
    assert visible_keys(tree, FilterCriteria(agency_id=solent)) == {by_ref["CLARE"], by_ref["CLARE-R4"]}
    assert visible_keys(tree, FilterCriteria(theme="CAMHS")) == {by_ref["CLARE"], by_ref["CLARE-R4"]}
    assert visible_keys(tree, FilterCriteria(status=Status.ASSURED)) == {by_ref["ADULTB"], by_ref["ADULTB-R1"]}
    assert visible_keys(tree, FilterCriteria(text="nothing matches this")) == set()

    model = ReviewTreeModel()
    model.set_tree(tree)
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_criteria(FilterCriteria(text="domestic"))
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1 and proxy.rowCount(proxy.index(0, 0)) == 1
    assert proxy.data(proxy.index(0, 0, proxy.index(0, 0))).startswith("CLARE-R3")
    proxy.set_criteria(FilterCriteria())
    assert proxy.rowCount(proxy.index(0, 0)) == 4
