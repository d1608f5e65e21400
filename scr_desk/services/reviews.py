"""Reviews: create, edit, reorder, delete (with an exact undo)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import NAME_LENGTH, Action, Recommendation, Review
from scr_desk.domain.dto import ReviewRow
from scr_desk.domain.enums import ItemKind, ReviewStatus, ReviewType
from scr_desk.domain.rules import review_code
from scr_desk.services import audit, fields, snapshot
from scr_desk.services.changes import apply_changes, next_position, refuse_if_value_changed
from scr_desk.services.errors import NotFoundError, ValidationError
from scr_desk.services.mapping import review_row

__all__ = [
    "REVIEW_FIELDS", "add_review", "code_follows_name", "create_review", "delete_review", "get_review", "list_reviews",
    "move_review", "preview_delete_review", "rename_review", "reorder", "update_review",
]


REVIEW_FIELDS = {
    "review_type": fields.enum_value("Type", ReviewType),
    "name": fields.text("Name", required=True, max_length=NAME_LENGTH),
    "code": fields.text("Code", required=True, max_length=30),
    "reference": fields.text("Reference", max_length=100),
    "partnership": fields.text("Partnership", max_length=200),
    "reviewer": fields.text("Reviewer", max_length=200),
    "commissioned_on": fields.optional_date("Commissioned"),
    "endorsed_on": fields.optional_date("Endorsed"),
    "published_on": fields.optional_date("Published"),
    "report_url": fields.text("Learning report link"),
    "response_url": fields.text("Partnership response link"),
    "summary": fields.text("Summary"),
    "status": fields.enum_value("Status", ReviewStatus),
}


def list_reviews(sessions: sessionmaker[Session]) -> list[ReviewRow]:
    with sessions() as session:
        return [review_row(r) for r in session.scalars(select(Review).order_by(Review.position, Review.id))]


def get_review(sessions: sessionmaker[Session], review_id: int) -> ReviewRow:
    with sessions() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise NotFoundError(ItemKind.REVIEW, review_id)
        return review_row(review)


def add_review(session: Session, values: Mapping[str, object], *, source: str = audit.TYPED,
               batch_id: int | None = None) -> Review:
    data = {name: REVIEW_FIELDS[name](session, value) for name, value in values.items()
            if name in REVIEW_FIELDS}
    unknown = set(values) - set(REVIEW_FIELDS) - {"uid", "position"}
    if unknown:
        raise ValidationError(", ".join(sorted(unknown)), "is not a field of a review")
    if "name" not in data:
        raise ValidationError("Name", "must not be empty")
    data.setdefault("review_type", ReviewType.OTHER)
    if data.get("code"):
        if session.scalar(select(Review.id).where(Review.code == data["code"])) is not None:
            raise ValidationError("Code", f"another review already uses the code {data['code']!r}")
    else:
        data["code"] = fields.free_value(session, Review.code, review_code(str(data["name"])))
    position = values.get("position")
    if position is None:
        position = next_position(session, Review.position)
    review = Review(**data, position=fields.as_int("Position", position))
    if values.get("uid"):
        review.uid = str(values["uid"])
    session.add(review)
    session.flush()
    audit.record_created(session, ItemKind.REVIEW, review, {"name": review.name, "type": review.review_type},
                         source=source, batch_id=batch_id)
    return review


def create_review(sessions: sessionmaker[Session], values: Mapping[str, object]) -> ReviewRow:
    with sessions.begin() as session:
        return review_row(add_review(session, values))


def update_review(sessions: sessionmaker[Session], review_id: int, changes: Mapping[str, object], *,
                  expected_values: Mapping[str, object] | None = None) -> ReviewRow:
    """Change a review; with `expected_values` (what an edit being undone or redone left there),
    refused when a field no longer holds it (ChangedSince)."""
    with sessions.begin() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise NotFoundError(ItemKind.REVIEW, review_id)
        if expected_values:
            refuse_if_value_changed(review_row(review), expected_values, review.code or review.name)
        if "code" in changes:
            code = REVIEW_FIELDS["code"](session, changes["code"])
            clash = session.scalar(select(Review.id).where(Review.code == code, Review.id != review_id))
            if clash is not None:
                raise ValidationError("Code", f"another review already uses the code {code!r}")
        apply_changes(session, review, ItemKind.REVIEW, changes, REVIEW_FIELDS)
        return review_row(review)


def code_follows_name(name: str, code: str) -> bool:
    """Was the code made from the name (and not typed by hand)? "CLARE" and "CLARE2" follow
    "Clare"; "SCR-17" does not."""
    made = review_code(name)
    return code == made or (code.startswith(made) and code[len(made):].isdigit())


def rename_review(sessions: sessionmaker[Session], review_id: int, name: object, *,
                  expected_name: str | None = None) -> tuple[str, str]:
    """Rename a review; its code follows the new name while it still follows the old one (was
    never edited by hand). Returns the name and code before, for undo. With `expected_name` (a
    redo), refused when the name is no longer that (ChangedSince)."""
    with sessions.begin() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise NotFoundError(ItemKind.REVIEW, review_id)
        if expected_name is not None:
            refuse_if_value_changed(review, {"name": expected_name}, review.code or review.name)
        before = (review.name, review.code)
        changes: dict[str, object] = {"name": name}
        new_name = REVIEW_FIELDS["name"](session, name)
        # (a code that already fits the new name stays as it is)
        if code_follows_name(review.name, review.code) and new_name and \
                not code_follows_name(str(new_name), review.code):
            changes["code"] = fields.free_value(session, Review.code, review_code(str(new_name)))
        apply_changes(session, review, ItemKind.REVIEW, changes, REVIEW_FIELDS)
        return before


def move_review(sessions: sessionmaker[Session], review_id: int, offset: int) -> list[int]:
    """Move a review up (-1) or down (+1) the list; returns the new order of ids."""
    with sessions.begin() as session:
        ordered = list(session.scalars(select(Review).order_by(Review.position, Review.id)))
        return reorder(session, ItemKind.REVIEW, ordered, review_id, offset)


def reorder(session: Session, entity: str, ordered: Sequence[Review | Recommendation | Action], item_id: int,
            offset: int) -> list[int]:
    """Shared by reviews, recommendations and actions: renumber positions 1..n after a move."""
    index = next((i for i, obj in enumerate(ordered) if obj.id == item_id), None)
    if index is None:
        raise NotFoundError(entity, item_id)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered = list(ordered)
    if target != index:
        ordered.insert(target, ordered.pop(index))
        audit.record(session, entity, ordered[target].uid, "changed", field="position",
                     old=index + 1, new=target + 1)
    for position, obj in enumerate(ordered, start=1):
        obj.position = position
    return [obj.id for obj in ordered]


def delete_review(sessions: sessionmaker[Session], review_id: int) -> snapshot.Snapshot:
    """Delete a review and everything under it; the snapshot returned undoes it."""
    with sessions.begin() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise NotFoundError(ItemKind.REVIEW, review_id)
        taken = snapshot.capture(session, ItemKind.REVIEW, review_id, f"the review '{review.name}'")
        snapshot.delete_captured(session, taken)
        return taken


def preview_delete_review(sessions: sessionmaker[Session], review_id: int) -> str:
    """What a delete would take with it, for the confirmation question."""
    with sessions() as session:
        review = session.get(Review, review_id)
        if review is None:
            raise NotFoundError(ItemKind.REVIEW, review_id)
        return snapshot.capture(session, ItemKind.REVIEW, review_id, f"the review '{review.name}'").describe()
