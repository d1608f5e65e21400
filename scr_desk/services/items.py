"""Recommendations and their actions: create, edit, reorder, delete (with an exact undo)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, Agency, Recommendation, Review
from scr_desk.domain.dto import ActionRow, RecommendationRow
from scr_desk.domain.enums import ItemKind, Rag, Scope, Status
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.domain.wording import with_article
from scr_desk.services import audit, fields, snapshot
from scr_desk.services.changes import (
    Coercer,
    apply_changes,
    item_reference,
    next_position,
    number_for,
    refuse_if_changed_since,
    refuse_if_value_changed,
)
from scr_desk.services.errors import NotFoundError, ValidationError
from scr_desk.services.mapping import action_row, recommendation_row
from scr_desk.services.reviews import reorder

__all__ = [
    "ACTION_FIELDS", "RECOMMENDATION_FIELDS", "act_to_row", "add_action", "add_recommendation",
    "change_recommendation", "create_action", "create_recommendation", "delete_item", "get_action",
    "get_recommendation", "move_action", "move_recommendation", "preview_delete", "rec_to_row", "update_action",
    "update_recommendation",
]


_SHARED = {
    "number": fields.text("Number", required=True, max_length=20),
    "text": fields.text("Text"),
    "target_date": fields.optional_date("Target date"),
    "revised_target_date": fields.optional_date("Revised target date"),
    "target_note": fields.text("Target note", max_length=500),
    "status": fields.enum_value("Status", Status),
    "rag": fields.enum_value("RAG", Rag, optional=True),
}
RECOMMENDATION_FIELDS = {
    **_SHARED,
    "scope": fields.enum_value("Scope", Scope),
    "themes": fields.themes,
    "lead_agency_id": fields.agency_id("Lead agency"),
}
ACTION_FIELDS = {
    **_SHARED,
    "owner_agency_id": fields.agency_id("Owner agency"),
    "owner_name": fields.text("Named owner", max_length=200),
    "success_measure": fields.text("Success measure"),
}


def rec_to_row(session: Session, rec: Recommendation) -> RecommendationRow:
    code = session.scalar(select(Review.code).where(Review.id == rec.review_id)) or ""
    return recommendation_row(rec, code, tuple(a.id for a in rec.contributors))


def act_to_row(session: Session, action: Action) -> ActionRow:
    rec = session.get(Recommendation, action.recommendation_id)
    assert rec is not None
    code = session.scalar(select(Review.code).where(Review.id == rec.review_id)) or ""
    return action_row(action, code, rec.number)


def _check_number(session: Session, model: type[Recommendation] | type[Action], parent_col: str, parent_id: int,
                  number: str, exclude_id: int | None = None) -> None:
    query = select(model.id).where(getattr(model, parent_col) == parent_id, model.number == number)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.scalar(query) is not None:
        what = ItemKind.RECOMMENDATION if model is Recommendation else ItemKind.ACTION
        raise ValidationError("Number", f"there is already a {what} numbered {number!r} here")


def _set_contributors(session: Session, rec: Recommendation, ids: object, source: str,
                      batch_id: int | None) -> bool:
    wanted = sorted(set(fields.as_ids("Contributing agencies", ids)))
    agencies = [session.get(Agency, i) for i in wanted]
    if any(a is None for a in agencies):
        raise ValidationError("Contributing agencies", "one of them no longer exists")
    old = sorted(a.id for a in rec.contributors)
    if old != wanted:
        rec.contributors = [a for a in agencies if a is not None]
        audit.record(session, ItemKind.RECOMMENDATION, rec.uid, "changed", field="contributors",
                     old=",".join(map(str, old)), new=",".join(map(str, wanted)),
                     source=source, batch_id=batch_id)
        return True
    return False


def _add_item(session: Session, kind: ItemKind, parent_id: int, values: Mapping[str, object],
              specs: Mapping[str, Coercer], *, extra: frozenset[str] = frozenset(), source: str,
              batch_id: int | None) -> Recommendation | Action:
    """What adding a recommendation to a review and an action to a recommendation share: the
    parent must exist, every field is checked, the number is the one asked for (unique among its
    siblings) or the next free one, and the new item goes last unless a position is given."""
    model: type[Recommendation] | type[Action]
    parent: type[Review] | type[Recommendation]
    if kind is ItemKind.RECOMMENDATION:
        model, parent, parent_column = Recommendation, Review, "review_id"
    else:
        model, parent, parent_column = Action, Recommendation, "recommendation_id"
    if session.get(parent, parent_id) is None:
        raise NotFoundError(ItemKind.REVIEW if parent is Review else ItemKind.RECOMMENDATION, parent_id)
    if unknown := set(values) - set(specs) - extra - {"uid", "position"}:
        raise ValidationError(", ".join(sorted(unknown)), f"is not a field of {with_article(kind)}")
    data = {k: specs[k](session, v) for k, v in values.items() if k in specs}
    siblings = getattr(model, parent_column) == parent_id
    data["number"] = number_for(session, model.number, siblings, wanted=data.get("number"))
    _check_number(session, model, parent_column, parent_id, data["number"])
    position = values.get("position") or next_position(session, model.position, siblings)
    item = model(**{parent_column: parent_id}, position=fields.as_int("Position", position), **data)
    if values.get("uid"):
        item.uid = str(values["uid"])
    session.add(item)
    session.flush()
    audit.record_created(session, kind, item, {"number": item.number, "text": item.text[:80]},
                         source=source, batch_id=batch_id)
    return item


def add_recommendation(session: Session, review_id: int, values: Mapping[str, object], *,
                       source: str = audit.TYPED, batch_id: int | None = None) -> Recommendation:
    rec = _add_item(session, ItemKind.RECOMMENDATION, review_id, values, RECOMMENDATION_FIELDS,
                    extra=frozenset({"contributor_ids"}), source=source, batch_id=batch_id)
    assert isinstance(rec, Recommendation)
    if values.get("contributor_ids"):
        rec.contributors = [a for i in fields.as_ids("Contributing agencies", values["contributor_ids"])
                            if (a := session.get(Agency, i)) is not None]
    return rec


def create_recommendation(sessions: sessionmaker[Session], review_id: int,
                          values: Mapping[str, object]) -> RecommendationRow:
    with sessions.begin() as session:
        return rec_to_row(session, add_recommendation(session, review_id, values))


def get_recommendation(sessions: sessionmaker[Session], rec_id: int) -> RecommendationRow:
    with sessions() as session:
        rec = session.get(Recommendation, rec_id)
        if rec is None:
            raise NotFoundError(ItemKind.RECOMMENDATION, rec_id)
        return rec_to_row(session, rec)


def change_recommendation(session: Session, rec: Recommendation, changes: Mapping[str, object], *,
                          source: str = audit.TYPED, batch_id: int | None = None) -> None:
    plain = dict(changes)
    contributors = plain.pop("contributor_ids", None)
    if "number" in plain:
        _check_number(session, Recommendation, "review_id", rec.review_id,
                      RECOMMENDATION_FIELDS["number"](session, plain["number"]), rec.id)
    changed = bool(apply_changes(session, rec, ItemKind.RECOMMENDATION, plain, RECOMMENDATION_FIELDS,
                                       source=source, batch_id=batch_id, bump_version=False))
    if contributors is not None:
        changed = _set_contributors(session, rec, contributors, source, batch_id) or changed
    if changed:
        rec.version += 1  # one edit, one version, however many fields it touched


def update_recommendation(sessions: sessionmaker[Session], rec_id: int, changes: Mapping[str, object], *,
                          expected_version: int | None = None,
                          expected_values: Mapping[str, object] | None = None) -> RecommendationRow:
    """Change a recommendation; with `expected_version` (the version the edit was made from),
    refused when it has changed since (StaleEditError); with `expected_values` (what an edit being
    undone or redone left), refused when a field no longer holds it (ChangedSince)."""
    with sessions.begin() as session:
        rec = session.get(Recommendation, rec_id)
        if rec is None:
            raise NotFoundError(ItemKind.RECOMMENDATION, rec_id)
        if expected_version is not None:
            refuse_if_changed_since(session, rec, item_reference(session, rec), expected_version)
        if expected_values:
            refuse_if_value_changed(rec_to_row(session, rec), expected_values, item_reference(session, rec))
        change_recommendation(session, rec, changes)
        return rec_to_row(session, rec)


def add_action(session: Session, rec_id: int, values: Mapping[str, object], *,
               source: str = audit.TYPED, batch_id: int | None = None) -> Action:
    action = _add_item(session, ItemKind.ACTION, rec_id, values, ACTION_FIELDS, source=source, batch_id=batch_id)
    assert isinstance(action, Action)
    return action


def create_action(sessions: sessionmaker[Session], rec_id: int, values: Mapping[str, object]) -> ActionRow:
    with sessions.begin() as session:
        return act_to_row(session, add_action(session, rec_id, values))


def get_action(sessions: sessionmaker[Session], action_id: int) -> ActionRow:
    with sessions() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError(ItemKind.ACTION, action_id)
        return act_to_row(session, action)


def update_action(sessions: sessionmaker[Session], action_id: int, changes: Mapping[str, object], *,
                  expected_version: int | None = None,
                  expected_values: Mapping[str, object] | None = None) -> ActionRow:
    """Change an action; `expected_version` and `expected_values` as for update_recommendation."""
    with sessions.begin() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError(ItemKind.ACTION, action_id)
        if expected_version is not None:
            refuse_if_changed_since(session, action, item_reference(session, action), expected_version)
        if expected_values:
            refuse_if_value_changed(act_to_row(session, action), expected_values, item_reference(session, action))
        if "number" in changes:
            _check_number(session, Action, "recommendation_id", action.recommendation_id,
                          ACTION_FIELDS["number"](session, changes["number"]), action.id)
        apply_changes(session, action, ItemKind.ACTION, changes, ACTION_FIELDS)
        return act_to_row(session, action)


def move_recommendation(sessions: sessionmaker[Session], rec_id: int, offset: int) -> list[int]:
    with sessions.begin() as session:
        rec = session.get(Recommendation, rec_id)
        if rec is None:
            raise NotFoundError(ItemKind.RECOMMENDATION, rec_id)
        siblings = list(session.scalars(select(Recommendation).where(
            Recommendation.review_id == rec.review_id).order_by(Recommendation.position, Recommendation.id)))
        return reorder(session, ItemKind.RECOMMENDATION, siblings, rec_id, offset)


def move_action(sessions: sessionmaker[Session], action_id: int, offset: int) -> list[int]:
    with sessions.begin() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError(ItemKind.ACTION, action_id)
        siblings = list(session.scalars(select(Action).where(
            Action.recommendation_id == action.recommendation_id).order_by(Action.position, Action.id)))
        return reorder(session, ItemKind.ACTION, siblings, action_id, offset)


def _label(session: Session, kind: ItemKind, item_id: int) -> str:
    """How a confirmation names an item: its reference and the start of its words,
    "CLARE-R3-A1 'Audit 30 referrals'"."""
    if kind == ItemKind.RECOMMENDATION:
        rec = session.get(Recommendation, item_id)
        if rec is None:
            raise NotFoundError(kind, item_id)
        return f"{recommendation_reference(rec.review.code, rec.number)}{_quoted(rec.text)}"
    action = session.get(Action, item_id)
    if action is None:
        raise NotFoundError(kind, item_id)
    rec = action.recommendation
    return f"{action_reference(rec.review.code, rec.number, action.number)}{_quoted(action.text)}"


def _quoted(text: str, limit: int = 60) -> str:
    line = " ".join((text or "").split())
    if not line:
        return ""
    return f" '{line if len(line) <= limit else line[:limit - 1].rstrip() + '…'}'"


def preview_delete(sessions: sessionmaker[Session], kind: ItemKind, item_id: int) -> str:
    with sessions() as session:
        return snapshot.capture(session, kind, item_id, _label(session, kind, item_id)).describe()


def delete_item(sessions: sessionmaker[Session], kind: ItemKind, item_id: int) -> snapshot.Snapshot:
    """Delete a recommendation or an action with everything under it; returns the undo snapshot."""
    with sessions.begin() as session:
        taken = snapshot.capture(session, kind, item_id, _label(session, kind, item_id))
        snapshot.delete_captured(session, taken)
        return taken
