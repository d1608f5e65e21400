"""Matching a tracker's rows to what the database holds, and writing them as one batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scr_desk.db.models import NAME_LENGTH, Action, Agency, Recommendation, Review, Update
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import ReviewType, Status
from scr_desk.domain.rules import review_code
from scr_desk.services.agencies import find_agency, suggest_code
from scr_desk.services.changes import next_position, number_for
from scr_desk.services.fields import free_value
from scr_desk.services.imports.plan import FieldChange, ImportPlan, Outcome, PlannedRow

ITEM_LABELS = {"status": "Status", "rag": "RAG", "target_date": "Target date", "text": "Text",
               "owner_name": "Named owner"}


@dataclass
class LegacyPayload:
    rows: list[tuple[PlannedRow, Any, tuple[str, str, str]]] = field(default_factory=list)


def _rec_key(item: Any) -> str:
    return item.rec_number or "text:" + " ".join(item.rec_values.get("text", "").casefold().split())


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "isoformat"):
        return format_uk(value)
    return getattr(value, "value", str(value))


def match_items(session: Session, plan: ImportPlan, items: list[tuple[PlannedRow, Any]]) -> None:
    payload = LegacyPayload()
    plan.payload = payload
    reviews = {r.name.casefold(): r for r in session.scalars(select(Review))}
    planned_recs: set[tuple[str, str]] = set()
    planned_actions: set[tuple[str, str, str]] = set()
    new_reviews: set[str] = set()
    for planned, item in items:
        review_key = item.review.casefold()
        rec_key = _rec_key(item)
        action_key = " ".join(item.action_text.casefold().split())
        review = reviews.get(review_key)
        rec = _find_rec(session, review, item) if review else None
        action = _find_action(session, rec, item.action_text) if rec and item.action_text else None
        created = []
        if review is None and review_key not in new_reviews:
            new_reviews.add(review_key)
            created.append(f"review {item.review}")
        if rec is None and (review_key, rec_key) not in planned_recs:
            planned_recs.add((review_key, rec_key))
            created.append(f"recommendation {item.rec_number or '(numbered in order)'}")
        if item.action_text and action is None and (review_key, rec_key, action_key) not in planned_actions:
            planned_actions.add((review_key, rec_key, action_key))
            created.append(f"action {item.action_text[:40]!r}")
        changes: list[FieldChange] = []
        target = action if item.action_text else rec
        values = item.action_values if item.action_text else item.rec_values
        if target is not None:
            for name, label in ITEM_LABELS.items():
                if name in values and values[name] not in (None, "") and getattr(target, name) != values[name]:
                    changes.append(FieldChange(name, label, _show(getattr(target, name)), _show(values[name])))
        duplicate = False
        if item.update and target is not None:
            column = Update.action_id if item.action_text else Update.recommendation_id
            duplicate = session.scalar(select(Update.id).where(
                column == target.id, Update.as_at == item.update["as_at"],
                Update.narrative == item.update["narrative"], Update.evidence == item.update["evidence"])
                .limit(1)) is not None
        planned.reference = f"{item.review} R{item.rec_number or '?'}" + (" action" if item.action_text else "")
        planned.changes = tuple(changes)
        planned.adds_update = bool(item.update) and not duplicate
        if created:
            planned.outcome, planned.message = Outcome.NEW_ITEM, "new " + ", ".join(created)
        elif changes:
            planned.outcome = Outcome.CHANGED
        elif planned.adds_update:
            planned.outcome = Outcome.NEW_UPDATE
        else:
            planned.outcome, planned.message = Outcome.UNCHANGED, "already in the database"
        payload.rows.append((planned, item, (review_key, rec_key, action_key)))
    plan.created = {"reviews": len(new_reviews),
                    "recommendations": len([k for k in planned_recs]),
                    "actions": len(planned_actions)}


def _find_rec(session: Session, review: Review, item: Any) -> Recommendation | None:
    query = select(Recommendation).where(Recommendation.review_id == review.id)
    if item.rec_number:
        return session.scalar(query.where(Recommendation.number == item.rec_number))
    text = item.rec_values.get("text", "")
    return session.scalar(query.where(func.lower(Recommendation.text) == text.casefold())) if text else None


def _find_action(session: Session, rec: Recommendation, text: str) -> Action | None:
    return session.scalar(select(Action).where(Action.recommendation_id == rec.id,
                                               func.lower(Action.text) == text.casefold()))


def apply_legacy(writer: Any, plan: ImportPlan) -> None:
    session: Session = writer.session
    payload: LegacyPayload = plan.payload
    reviews: dict[str, Review] = {r.name.casefold(): r for r in session.scalars(select(Review))}
    recs: dict[tuple[str, str], Recommendation] = {}
    actions: dict[tuple[str, str, str], Action] = {}
    created: set[int] = set()  # id() of items this import makes
    for planned, item, (review_key, rec_key, action_key) in payload.rows:
        if not planned.will_apply:
            continue
        review = reviews.get(review_key) or _new_review(writer, item, planned)
        reviews[review_key] = review
        rec = recs.get((review_key, rec_key)) or _find_rec(session, review, item)
        if rec is None:
            rec = _new_rec(writer, review, item, planned)
            created.add(id(rec))
        recs[(review_key, rec_key)] = rec
        target: Any = rec
        values = dict(item.rec_values)
        if item.action_text:
            action = actions.get((review_key, rec_key, action_key)) or _find_action(session, rec, item.action_text)
            if action is None:
                action = _new_action(writer, rec, item, planned)
                created.add(id(action))
            actions[(review_key, rec_key, action_key)] = action
            target, values = action, dict(item.action_values)
        values.pop("lead_agency", None)
        lead = item.rec_values.get("lead_agency")
        owner = values.pop("owner_agency", None)
        if lead and rec.lead_agency_id is None:
            rec.lead_agency_id = _agency(writer, lead, planned).id
        if owner and item.action_text and target.owner_agency_id is None:
            target.owner_agency_id = _agency(writer, owner, planned).id
        values.pop("number", None)
        if id(target) in created and item.update and not values.get("status"):
            values["status"] = Status.IN_PROGRESS  # a new item that arrives with progress has begun
        if id(rec) in created and item.action_text and item.update and rec.status is Status.NOT_STARTED:
            rec.status = Status.IN_PROGRESS
        writer.change("action" if item.action_text else "recommendation", target,
                      {k: v for k, v in values.items() if v not in (None, "")}, planned.sheet, planned.row)
        if planned.adds_update and item.update:
            update = dict(item.update)
            agency_name = update.pop("agency", "")
            update["agency_id"] = _agency(writer, agency_name, planned).id if agency_name else None
            session.flush()
            writer.add_update("action" if item.action_text else "recommendation", target.id, target.uid, update,
                              planned.sheet, planned.row)


def _new_review(writer: Any, item: Any, planned: PlannedRow) -> Review:
    session: Session = writer.session
    code = free_value(session, Review.code, review_code(item.review))
    position = next_position(session, Review.position)
    review = Review(name=_whole_name(item.review, planned), code=code, review_type=ReviewType(item.review_type), position=position)
    session.add(review)
    session.flush()
    writer.log("review", review.uid, "created", new=review.name, sheet=planned.sheet, row=planned.row)
    return review


def _new_rec(writer: Any, review: Review, item: Any, planned: PlannedRow) -> Recommendation:
    session: Session = writer.session
    siblings = Recommendation.review_id == review.id
    number = number_for(session, Recommendation.number, siblings, wanted=item.rec_number)
    position = next_position(session, Recommendation.position, siblings)
    rec = Recommendation(review_id=review.id, number=number[:20], position=position,
                         text=item.rec_values.get("text", ""))
    session.add(rec)
    session.flush()
    writer.log("recommendation", rec.uid, "created", new=f"{review.name} R{number}", sheet=planned.sheet, row=planned.row)
    return rec


def _new_action(writer: Any, rec: Recommendation, item: Any, planned: PlannedRow) -> Action:
    session: Session = writer.session
    siblings = Action.recommendation_id == rec.id
    number = number_for(session, Action.number, siblings, wanted=item.action_values.get("number"))
    position = next_position(session, Action.position, siblings)
    action = Action(recommendation_id=rec.id, number=str(number)[:20], position=position, text=item.action_text)
    session.add(action)
    session.flush()
    writer.log("action", action.uid, "created", new=item.action_text[:80], sheet=planned.sheet, row=planned.row)
    return action


def _agency(writer: Any, name: str, planned: PlannedRow) -> Agency:
    session: Session = writer.session
    found = find_agency(session, name)
    if found is not None:
        return found
    code = free_value(session, Agency.code, suggest_code(name))
    agency = Agency(name=_whole_name(name, planned), code=code)
    session.add(agency)
    session.flush()
    writer.log("agency", agency.uid, "created", new=name, sheet=planned.sheet, row=planned.row)
    return agency


def _whole_name(name: str, planned: PlannedRow) -> str:
    """A name is stored whole or the import is refused (and rolled back): never cut, as a cut name
    no longer matches its tracker row and a re-import would duplicate the record."""
    if len(name) > NAME_LENGTH:
        from scr_desk.services.errors import ValidationError
        raise ValidationError(f"sheet {planned.sheet!r}, row {planned.row}",
                              f"the name is {len(name):,} characters long; names may have at most {NAME_LENGTH}")
    return name
