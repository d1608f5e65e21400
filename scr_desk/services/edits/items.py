"""Edits of reviews, recommendations and actions: a field typed in the detail form, a review's
name, a status or RAG chosen there, a new item, a deletion and a move up or down."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from scr_desk.db.models import Action, Recommendation, Review
from scr_desk.domain.dates import unusual_dates_allowed
from scr_desk.domain.dto import ActionRow, ItemKey, RecommendationRow, ReviewRow
from scr_desk.domain.enums import ItemKind, Rag, ReviewType, Status
from scr_desk.domain.rules import next_number
from scr_desk.domain.wording import field_words
from scr_desk.services import items, reviews, snapshot, updates
from scr_desk.services.changes import same_value
from scr_desk.services.edits.base import Change, Edit, review_of
from scr_desk.services.edits.updates import AddsAnUpdate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    ItemRow = ReviewRow | RecommendationRow | ActionRow

__all__ = ["FieldEdit", "ItemDeletion", "ItemMove", "NewItem", "ReviewRename", "StatusOrRagChange", "deletion",
           "field_change", "move", "new_item_under", "new_review", "read_item"]

# Asked when a date outside 2000–2100 was typed: (the field's label, the date) -> keep it?
AllowUnusualDate = Callable[[str, date], bool]


def read_item(sessions: sessionmaker[Session], item: ItemKey) -> ItemRow:
    """The review, recommendation or action as stored now."""
    if item.kind == ItemKind.REVIEW:
        return reviews.get_review(sessions, item.id)
    if item.kind == ItemKind.RECOMMENDATION:
        return items.get_recommendation(sessions, item.id)
    return items.get_action(sessions, item.id)


def field_change(sessions: sessionmaker[Session], item: ItemKey, field: str, value: object, *,
                 shown_version: int | None = None, allow_unusual_date: AllowUnusualDate | None = None
                 ) -> Edit | None:
    """The edit that sets `field` of `item` to `value`, as typed in the form on the version shown;
    None when that changes nothing (an empty date tabbed through, the same choice made again).
    A review's name also moves its code; a status or a RAG is a dated update in the timeline."""
    row = read_item(sessions, item)
    before = getattr(row, field)
    if field == "themes" and isinstance(before, tuple):
        before = "; ".join(before)
    if same_value(before, value):
        return None
    reference = row.reference or getattr(row, "code", "") or getattr(row, "name", "")
    if item.kind == ItemKind.REVIEW and field == "name":
        return ReviewRename(sessions, item.id, str(before), value)
    change = Change(review_id=review_of(sessions, item))
    if item.kind != ItemKind.REVIEW and field in ("status", "rag") and value is not None:
        chosen = value if isinstance(value, Rag | Status) else (Rag if field == "rag" else Status)(str(value))
        return StatusOrRagChange(sessions, item, field, chosen, reference, change, shown_version)
    allowed = _unusual_date_allowed(field, value, allow_unusual_date)
    return FieldEdit(sessions, item, field, before, value, reference, change, shown_version, allowed)


def _unusual_date_allowed(field: str, value: object, ask: AllowUnusualDate | None) -> bool:
    """A date outside 2000–2100 is kept only once the lead says it is meant."""
    from scr_desk.services.fields import UnusualDateValue, optional_date
    if ask is None or not field.endswith(("_date", "_on")) or value in (None, ""):
        return False
    label = field_words(field)
    try:
        optional_date(label)(None, value)  # type: ignore[arg-type]  # a date's check needs no session
    except UnusualDateValue as exc:
        return ask(label.capitalize(), exc.value)
    except Exception:  # noqa: BLE001 - any other refusal is reported by the edit itself
        return False
    return False


class FieldEdit(Edit):
    """One field of one item. Undo puts back what was there, redo what was typed, each only while
    the field still holds what the step before left there."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, field: str, before: object, after: object,
                 reference: str, change: Change, shown_version: int | None, unusual_date_allowed: bool) -> None:
        super().__init__(sessions, f"change of {field_words(field)} on {reference}")
        self.item, self.field, self.before, self.after = item, field, before, after
        self._change, self._shown_version, self._allowed = change, shown_version, unusual_date_allowed
        self._left: object = before  # what the last step left in the field, as stored

    def do(self) -> Change:
        return self._store(self.after, self._left, self._shown_version, self._allowed)

    def _undo(self) -> Change:
        return self._store(self.before, self._left, None, True)  # what was stored may be stored again

    def _redo(self) -> Change:
        return self._store(self.after, self._left, None, self._allowed)

    def _store(self, value: object, expected: object, version: int | None, unusual_dates: bool) -> Change:
        changes, check = {self.field: value}, {self.field: expected}
        with unusual_dates_allowed() if unusual_dates else nullcontext():
            row: ItemRow
            if self.item.kind == ItemKind.REVIEW:
                row = reviews.update_review(self.sessions, self.item.id, changes, expected_values=check)
            elif self.item.kind == ItemKind.RECOMMENDATION:
                row = items.update_recommendation(self.sessions, self.item.id, changes, expected_version=version,
                                                  expected_values=check)
            else:
                row = items.update_action(self.sessions, self.item.id, changes, expected_version=version,
                                          expected_values=check)
        self._left = getattr(row, self.field)
        return self._change


class ReviewRename(Edit):
    """A review's name, and its code while the code follows the name (never edited by hand)."""

    def __init__(self, sessions: sessionmaker[Session], review_id: int, before: str, name: object) -> None:
        super().__init__(sessions, f"renaming of {before} to {name}")
        self.review_id, self.name = review_id, name
        self._before: tuple[str, str] | None = None  # the name and code before, once renamed
        self._change = Change(structural=True, select=ItemKey(ItemKind.REVIEW, review_id))

    def do(self) -> Change:
        self._before = reviews.rename_review(self.sessions, self.review_id, self.name)
        return self._change

    def _undo(self) -> Change:
        assert self._before is not None
        name, code = self._before
        reviews.update_review(self.sessions, self.review_id, {"name": name, "code": code},
                              expected_values={"name": self.name})
        return self._change

    def _redo(self) -> Change:
        assert self._before is not None
        self._before = reviews.rename_review(self.sessions, self.review_id, self.name, expected_name=self._before[0])
        return self._change


class StatusOrRagChange(AddsAnUpdate):
    """A status or RAG chosen in the form: a dated update in the timeline (one truth for the tree,
    the timeline, the dashboard and the reports). Undo removes that update."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, field: str, value: Status | Rag,
                 reference: str, change: Change, shown_version: int | None) -> None:
        super().__init__(sessions, f"change of {field_words(field)} on {reference}")
        self.item, self.field, self.value = item, field, value
        self._change, self._shown_version = change, shown_version
        self._added = None

    def do(self) -> Change:
        self._added = updates.record_form_change(self.sessions, self.item, self.field, self.value,
                                                 expected_version=self._shown_version)
        return self._change

    def _redo(self) -> Change:
        assert self._added is not None
        was = self._added.previous_status if self.field == "status" else self._added.previous_rag
        self._added = updates.record_form_change(self.sessions, self.item, self.field, self.value,
                                                 uid=self._added.uid, expected_values={self.field: was})
        return self._change


class NewItem(Edit):
    """A new review, recommendation or action. Undo deletes it (keeping a snapshot) and redo puts
    that snapshot back, so the record keeps its id and key through any number of rounds."""

    def __init__(self, sessions: sessionmaker[Session], text: str, kind: ItemKind, parent_id: int | None,
                 values: dict[str, Any]) -> None:
        super().__init__(sessions, text)
        self.kind, self.parent_id, self.values = kind, parent_id, values
        self.key: ItemKey | None = None  # once made
        self._snapshot: snapshot.Snapshot | None = None

    def do(self) -> Change:
        made: ItemRow
        if self.kind == ItemKind.REVIEW:
            made = reviews.create_review(self.sessions, self.values)
        elif self.kind == ItemKind.RECOMMENDATION:
            assert self.parent_id is not None
            made = items.create_recommendation(self.sessions, self.parent_id, self.values)
        else:
            assert self.parent_id is not None
            made = items.create_action(self.sessions, self.parent_id, self.values)
        self.key = ItemKey(self.kind, made.id)
        return Change(structural=True, select=self.key)

    def _undo(self) -> Change:
        assert self.key is not None
        self._snapshot = _delete(self.sessions, self.key)
        return Change(structural=True)

    def _redo(self) -> Change:
        assert self._snapshot is not None
        snapshot.restore(self.sessions, self._snapshot)
        return Change(structural=True, select=self.key)


def new_review(sessions: sessionmaker[Session]) -> NewItem:
    """A review named "New review" (or "New review 2"… while that is taken)."""
    existing = {r.name for r in reviews.list_reviews(sessions)}
    name = next(n for n in (f"New review {i}" if i else "New review" for i in range(1000)) if n not in existing)
    return NewItem(sessions, "New review", ItemKind.REVIEW, None, {"name": name, "review_type": ReviewType.OTHER})


def new_item_under(sessions: sessionmaker[Session], selected: ItemKey) -> NewItem:
    """Under a review, its next recommendation; under a recommendation or an action, a new action
    of that recommendation."""
    if selected.kind == ItemKind.REVIEW:
        with sessions() as session:
            taken = session.scalars(select(Recommendation.number).where(Recommendation.review_id == selected.id))
            number = next_number(list(taken))
        return NewItem(sessions, f"New recommendation {number}", ItemKind.RECOMMENDATION, selected.id,
                       {"number": number})
    rec_id = selected.id if selected.kind == ItemKind.RECOMMENDATION \
        else items.get_action(sessions, selected.id).recommendation_id
    return NewItem(sessions, "New action", ItemKind.ACTION, rec_id, {})


def _delete(sessions: sessionmaker[Session], item: ItemKey) -> snapshot.Snapshot:
    if item.kind == ItemKind.REVIEW:
        return reviews.delete_review(sessions, item.id)
    return items.delete_item(sessions, item.kind, item.id)


class ItemDeletion(Edit):
    """An item with everything under it; undo puts back the exact rows (same ids and keys)."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, what: str) -> None:
        super().__init__(sessions, f"deletion of {what.split(', with')[0]}")
        self.item = item
        self.what = what  # "the review 'Clare', with 3 recommendations…": what the lead is asked to confirm
        self._snapshot: snapshot.Snapshot | None = None

    def do(self) -> Change:
        self._snapshot = _delete(self.sessions, self.item)
        return Change(structural=True)

    def _undo(self) -> Change:
        assert self._snapshot is not None
        snapshot.restore(self.sessions, self._snapshot)
        return Change(structural=True, select=self.item)

    def _redo(self) -> Change:
        return self.do()


def deletion(sessions: sessionmaker[Session], item: ItemKey) -> ItemDeletion:
    """The deletion of `item`, saying what it takes with it."""
    if item.kind == ItemKind.REVIEW:
        return ItemDeletion(sessions, item, reviews.preview_delete_review(sessions, item.id))
    return ItemDeletion(sessions, item, items.preview_delete(sessions, item.kind, item.id))


class ItemMove(Edit):
    """A move up or down among its siblings; undo moves it back as far as it went."""

    def __init__(self, sessions: sessionmaker[Session], item: ItemKey, step: int, reference: str) -> None:
        super().__init__(sessions, f"move of {reference}")
        self.item, self.step = item, step

    def do(self) -> Change:
        return self._move(self.step)

    def _undo(self) -> Change:
        return self._move(-self.step)

    def _redo(self) -> Change:
        return self._move(self.step)

    def _move(self, step: int) -> Change:
        if self.item.kind == ItemKind.REVIEW:
            reviews.move_review(self.sessions, self.item.id, step)
        elif self.item.kind == ItemKind.RECOMMENDATION:
            items.move_recommendation(self.sessions, self.item.id, step)
        else:
            items.move_action(self.sessions, self.item.id, step)
        return Change(structural=True, select=self.item)


def move(sessions: sessionmaker[Session], item: ItemKey, offset: int) -> ItemMove | None:
    """Moving `item` up (-1) or down (+1); None when it is already first or last, so that there is
    nothing to undo (an undo would otherwise move it the other way)."""
    row = read_item(sessions, item)  # (NotFoundError when it has gone)
    order = _siblings(sessions, item)
    index = order.index(item.id)
    target = max(0, min(len(order) - 1, index + offset))
    if target == index:
        return None
    return ItemMove(sessions, item, target - index, row.name if isinstance(row, ReviewRow) else row.reference)


def _siblings(sessions: sessionmaker[Session], item: ItemKey) -> list[int]:
    """The ids of `item` and its siblings in their order (as the movers order them)."""
    with sessions() as session:
        if item.kind == ItemKind.REVIEW:
            query = select(Review.id).order_by(Review.position, Review.id)
        elif item.kind == ItemKind.RECOMMENDATION:
            parent = select(Recommendation.review_id).where(Recommendation.id == item.id).scalar_subquery()
            query = select(Recommendation.id).where(Recommendation.review_id == parent) \
                .order_by(Recommendation.position, Recommendation.id)
        else:
            parent = select(Action.recommendation_id).where(Action.id == item.id).scalar_subquery()
            query = select(Action.id).where(Action.recommendation_id == parent).order_by(Action.position, Action.id)
        return list(session.scalars(query))
