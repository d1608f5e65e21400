"""Matching a tracker's rows to what the database holds, and writing them as one batch.

A recommendation is matched by its number (or, unnumbered, its text) within its own review only;
an action by its number when the tracker gives one, else by its text; an update by its period
and words, so importing the same tracker again, or next quarter's copy, adds only what is new."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import NAME_LENGTH, Action, Agency, Recommendation, Review, Update
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, ReviewType, Status
from scr_desk.domain.contacts import suggest_code
from scr_desk.domain.names import clean_name, name_key
from scr_desk.services.agencies import find_agency, known_names
from scr_desk.services.changes import next_position, number_for
from scr_desk.services.fields import free_value
from scr_desk.services.imports.plan import FieldChange, ImportPlan, Issue, Outcome, PlannedRow

ITEM_LABELS = {"status": "Status", "rag": "RAG", "target_date": "Target date", "target_note": "Target note",
               "revised_target_date": "Revised target date", "text": "Text", "owner_name": "Named owner",
               "scope": "Scope", "success_measure": "Success measure"}


class ReviewNaming(NamedTuple):
    """A review the tracker names, as the lead confirmed it: the name, code and type it is made with."""

    name: str
    code: str
    review_type: str


class RowKeys(NamedTuple):
    """Which review, recommendation and action of the file a row is about, as matching keys."""

    review: str
    rec: str
    action: str


@dataclass
class LegacyPayload:
    rows: list[tuple[PlannedRow, Any, RowKeys]] = field(default_factory=list)
    reviews: dict[str, ReviewNaming] = field(default_factory=dict)  # by the name's casefold
    new_updates: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # id(planned) -> updates to add
    answers: dict[str, Any] = field(default_factory=dict)


def _rec_key(item: Any) -> str:
    return item.rec_number or "text:" + " ".join(item.rec_values.get("text", "").casefold().split())


def _action_key(item: Any) -> str:
    if not item.action_text:
        return ""
    return f"no:{item.action_number}" if item.action_number else " ".join(item.action_text.casefold().split())


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "isoformat"):
        return format_uk(value)
    return getattr(value, "value", str(value))


def _same_words(text: str) -> str:
    return " ".join(str(text or "").split()).casefold()


class Existing:
    """What the database holds for the reviews a tracker names, read once (not a query per row)."""

    def __init__(self, session: Session, reviews: dict[str, Review], names: set[str]) -> None:
        review_ids = [r.id for key, r in reviews.items() if key in names]
        self.recs: dict[tuple[int, str], Recommendation] = {}
        for rec in session.scalars(select(Recommendation).where(Recommendation.review_id.in_(review_ids))):
            self.recs.setdefault((rec.review_id, "no:" + rec.number), rec)
            self.recs.setdefault((rec.review_id, "text:" + _same_words(rec.text)), rec)
        rec_ids = list({r.id for r in self.recs.values()})
        self.actions: dict[tuple[int, str], Action] = {}
        for found in session.scalars(select(Action).where(Action.recommendation_id.in_(rec_ids))):
            self.actions.setdefault((found.recommendation_id, "no:" + found.number), found)
            self.actions.setdefault((found.recommendation_id, "text:" + _same_words(found.text)), found)
        action_ids = [a.id for a in self.actions.values()]
        self.updates: dict[ItemKey, set[tuple[str, str]]] = {}
        self.latest: dict[ItemKey, str] = {}  # the words of each item's newest update
        for rec_id, action_id, period, narrative in session.execute(
                select(Update.recommendation_id, Update.action_id, Update.period, Update.narrative).where(
                    Update.recommendation_id.in_(rec_ids) | Update.action_id.in_(action_ids))
                .order_by(Update.as_at, Update.created_at)):
            key = ItemKey.pointed_at(rec_id, action_id)
            self.updates.setdefault(key, set()).add((period, _same_words(narrative)))
            self.latest[key] = _same_words(narrative)
        self.agencies = known_names(session)  # names, codes and names merged away, as name keys

    def rec(self, review: Review, item: Any) -> Recommendation | None:
        if item.rec_number:
            return self.recs.get((review.id, "no:" + item.rec_number))
        text = item.rec_values.get("text", "")
        return self.recs.get((review.id, "text:" + _same_words(text))) if text else None

    def action(self, rec: Recommendation, item: Any) -> Action | None:
        found = self.actions.get((rec.id, "no:" + item.action_number)) if item.action_number else None
        return found or self.actions.get((rec.id, "text:" + _same_words(item.action_text)))


def match_items(session: Session, plan: ImportPlan, items: list[tuple[PlannedRow, Any]],
                reviews_chosen: dict[str, ReviewNaming] | None = None) -> None:
    payload = LegacyPayload(reviews=dict(reviews_chosen or {}), answers=dict(plan.answers))
    plan.payload = payload
    reviews = {r.name.casefold(): r for r in session.scalars(select(Review))}
    existing = Existing(session, reviews, {item.review.casefold() for _, item in items})
    planned_recs: set[tuple[str, str]] = set()
    planned_actions: set[tuple[str, str, str]] = set()
    new_reviews: set[str] = set()
    seen_updates: set[tuple[str, str, str, str, str]] = set()
    agencies: dict[str, str] = {}
    for planned, item in items:
        review_key, rec_key, action_key = item.review.casefold(), _rec_key(item), _action_key(item)
        review = reviews.get(review_key)
        rec = existing.rec(review, item) if review else None
        action = existing.action(rec, item) if rec and item.action_text else None
        created = []
        if review is None and review_key not in new_reviews:
            new_reviews.add(review_key)
            created.append(f"review {item.review}")
        if rec is None and (review_key, rec_key) not in planned_recs:
            planned_recs.add((review_key, rec_key))
            created.append(f"recommendation {item.rec_number or '(numbered in order)'}")
        if item.action_text and action is None and (review_key, rec_key, action_key) not in planned_actions:
            planned_actions.add((review_key, rec_key, action_key))
            created.append(f"action {item.action_number + ' ' if item.action_number else ''}{item.action_text[:40]!r}")
        target = action if item.action_text else rec
        values = item.action_values if item.action_text else item.rec_values
        changes: list[FieldChange] = []
        if target is not None:
            for name, label in ITEM_LABELS.items():
                if name in values and values[name] not in (None, "") and getattr(target, name) != values[name]:
                    changes.append(FieldChange(name, label, _show(getattr(target, name)), _show(values[name])))
        target_key = ItemKey(item.kind, target.id if target else 0)
        stored = existing.updates.get(target_key, set())
        fresh = []
        for update in item.updates:
            words = _same_words(update["narrative"])
            mark = (review_key, rec_key, action_key, update["period"], words)
            if (update["period"], words) in stored or mark in seen_updates:
                continue
            if not update.get("dated_by_file") and words == existing.latest.get(target_key):
                continue  # next quarter's copy with the same words in its one update column: nothing new
            seen_updates.add(mark)
            fresh.append(update)
        payload.new_updates[id(planned)] = fresh
        for name in item.agencies + ([values["owner_agency"]] if values.get("owner_agency") else []):
            if name_key(name) not in agencies and name_key(name) not in existing.agencies:
                agencies[name_key(name)] = name
        planned.reference = f"{item.review} R{item.rec_number or '?'}" + (
            f" action {item.action_number}" if item.action_number else " action" if item.action_text else "")
        planned.changes = tuple(changes)
        planned.adds_update = bool(fresh)
        if created:
            planned.outcome, planned.message = Outcome.NEW_ITEM, "new " + ", ".join(created)
        elif changes:
            planned.outcome = Outcome.CHANGED
        elif planned.adds_update:
            planned.outcome = Outcome.NEW_UPDATE
        else:
            planned.outcome, planned.message = Outcome.UNCHANGED, "already in the database"
        if len(fresh) > 1:
            planned.message = "; ".join(x for x in (planned.message, f"{len(fresh)} updates "
                                                    f"({', '.join(u['period'] for u in fresh)})") if x)
        if item.notes:
            planned.message = "; ".join([planned.message, *item.notes]).strip("; ")
        payload.rows.append((planned, item, RowKeys(review_key, rec_key, action_key)))
    plan.created = {"reviews": len(new_reviews), "recommendations": len(planned_recs),
                    "actions": len(planned_actions)}
    plan.extra_updates = sum(max(0, len(v) - 1) for v in payload.new_updates.values())
    plan.new_agencies = sorted(agencies.values(), key=str.casefold)
    if plan.new_agencies:
        count = len(plan.new_agencies)
        plan.notes.append(Issue(None, None, f"{count} new {'agency' if count == 1 else 'agencies'}: "
                                            + ", ".join(plan.new_agencies)))


def apply_legacy(writer: Any, plan: ImportPlan) -> None:
    from scr_desk.services.imports.tracker_questions import remember_answers
    session: Session = writer.session
    payload: LegacyPayload = plan.payload
    reviews: dict[str, Review] = {r.name.casefold(): r for r in session.scalars(select(Review))}
    recs: dict[tuple[str, str], Recommendation] = {}
    actions: dict[tuple[str, str, str], Action] = {}
    created: set[int] = set()  # id() of items this import makes
    existing = Existing(session, reviews, {item.review.casefold() for _, item, _ in payload.rows})
    with session.no_autoflush:  # new items are flushed as they are made; nothing else needs a flush
        for planned, item, keys in payload.rows:
            if planned.will_apply:
                _apply_row(writer, payload, planned, item, keys, reviews, recs, actions, created, existing)
    remember_answers(session, payload.answers)


def _apply_row(writer: Any, payload: LegacyPayload, planned: PlannedRow, item: Any, keys: RowKeys,
               reviews: dict[str, Review], recs: dict[tuple[str, str], Recommendation],
               actions: dict[tuple[str, str, str], Action], created: set[int], existing: Existing) -> None:
    review_key, rec_key, action_key = keys
    review = reviews.get(review_key) or _new_review(writer, item, payload, planned)
    reviews[review_key] = review
    rec = recs.get((review_key, rec_key)) or existing.rec(review, item)
    if rec is None:
        rec = _new_rec(writer, review, item, planned)
        created.add(id(rec))
    recs[(review_key, rec_key)] = rec
    target: Any = rec
    values = dict(item.rec_values)
    if item.action_text:
        action = actions.get((review_key, rec_key, action_key)) or existing.action(rec, item)
        if action is None:
            action = _new_action(writer, rec, item, planned)
            created.add(id(action))
        actions[(review_key, rec_key, action_key)] = action
        if item.rec_values.get("text") and not rec.text:
            writer.change(ItemKind.RECOMMENDATION, rec, {"text": item.rec_values["text"]}, planned.sheet, planned.row)
        if item.rec_values.get("scope"):
            writer.change(ItemKind.RECOMMENDATION, rec, {"scope": item.rec_values["scope"]}, planned.sheet, planned.row)
        target, values = action, dict(item.action_values)
    values.pop("lead_agency", None)
    lead = item.rec_values.get("lead_agency")
    owner = values.pop("owner_agency", None)
    if lead and rec.lead_agency_id is None:
        rec.lead_agency_id = _agency(writer, lead, planned).id
    if owner and item.action_text and target.owner_agency_id is None:
        target.owner_agency_id = _agency(writer, owner, planned).id
    updates = payload.new_updates.get(id(planned), [])
    if id(target) in created and updates and not values.get("status"):
        values["status"] = Status.IN_PROGRESS  # a new item that arrives with progress has begun
    if id(rec) in created and item.action_text and updates and rec.status is Status.NOT_STARTED:
        rec.status = Status.IN_PROGRESS
    given = {k: v for k, v in values.items() if v not in (None, "")}
    writer.change(item.kind, target, given, planned.sheet, planned.row)
    for update in updates:
        update = dict(update)
        update.pop("dated_by_file", None)
        agency_name = update.pop("agency", "")
        update["agency_id"] = _agency(writer, agency_name, planned).id if agency_name else None
        writer.add_update(item.kind, target.id, target.uid, update, planned.sheet, planned.row)


def _new_review(writer: Any, item: Any, payload: LegacyPayload, planned: PlannedRow) -> Review:
    session: Session = writer.session
    name, code, review_type = payload.reviews.get(item.review.casefold(),
                                                  ReviewNaming(item.review, "", item.review_type))
    from scr_desk.domain.rules import review_code
    code = free_value(session, Review.code, code or review_code(name))
    position = next_position(session, Review.position)
    review = Review(name=_whole_name(name, planned), code=code, review_type=ReviewType(review_type), position=position)
    session.add(review)
    session.flush()
    writer.log(ItemKind.REVIEW, review.uid, "created", new=review.name, sheet=planned.sheet, row=planned.row)
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
    writer.log(ItemKind.RECOMMENDATION, rec.uid, "created", new=f"{review.name} R{number}", sheet=planned.sheet,
               row=planned.row)
    return rec


def _new_action(writer: Any, rec: Recommendation, item: Any, planned: PlannedRow) -> Action:
    session: Session = writer.session
    siblings = Action.recommendation_id == rec.id
    number = number_for(session, Action.number, siblings, wanted=item.action_number or None)
    position = next_position(session, Action.position, siblings)
    action = Action(recommendation_id=rec.id, number=str(number)[:20], position=position, text=item.action_text)
    session.add(action)
    session.flush()
    writer.log(ItemKind.ACTION, action.uid, "created", new=item.action_text[:80], sheet=planned.sheet, row=planned.row)
    return action


def _agency(writer: Any, name: str, planned: PlannedRow) -> Agency:
    session: Session = writer.session
    known: dict[str, Agency] = writer.__dict__.setdefault("agencies_by_name", {})  # one look-up per name
    if name_key(name) in known:
        return known[name_key(name)]
    found = find_agency(session, name)
    if found is not None:
        known[name_key(name)] = found
        return found
    if not clean_name(name):
        from scr_desk.services.errors import ValidationError
        raise ValidationError(f"sheet {planned.sheet!r}, row {planned.row}",
                              "an agency's name holds nothing but invisible characters")
    code = free_value(session, Agency.code, suggest_code(clean_name(name)))
    agency = Agency(name=_whole_name(name, planned), code=code)
    session.add(agency)
    session.flush()
    known[name_key(name)] = agency
    writer.log("agency", agency.uid, "created", new=agency.name, sheet=planned.sheet, row=planned.row)
    return agency


def _whole_name(name: str, planned: PlannedRow) -> str:
    """A name is stored whole or the import is refused (and rolled back): never cut, as a cut name
    no longer matches its tracker row and a re-import would duplicate the record."""
    if len(name) > NAME_LENGTH:
        from scr_desk.services.errors import ValidationError
        raise ValidationError(f"sheet {planned.sheet!r}, row {planned.row}",
                              f"the name is {len(name):,} characters long; names may have at most {NAME_LENGTH}")
    return name
