"""Writing a tracker's plan as one batch: every number, code, name and place was settled in the
plan, so nothing here can break a constraint. A new item is made with the fields the file gives; an
existing one has its empty fields filled, the fields that differ taken only where the lead chose the
file's (a conflict's choice), and its status and RAG moved only by an update newer than its newest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import Action, Agency, Recommendation, Review
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.names import name_key
from scr_desk.services.agencies import find_agency
from scr_desk.services.changes import next_position
from scr_desk.services.imports.apply import BatchWriter, NewUpdate
from scr_desk.services.imports.legacy import TrackerPayload
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, PlannedRow
from scr_desk.services.imports.tracker_match import ItemTarget, ReviewTarget

AGENCY_FIELDS = ("lead_agency", "owner_agency")


class _Writer:
    def __init__(self, writer: BatchWriter, payload: TrackerPayload) -> None:
        self.writer = writer
        self.session: Session = writer.session
        self.payload = payload
        self.reviews: dict[str, Review] = {}
        self.done: set[int] = set()  # id() of the targets written
        self.agencies: dict[str, Agency] = {}
        registry = payload.settled.registry
        self.new_agencies = dict(registry.new_agencies) if registry is not None else {}
        for agency in self.session.scalars(select(Agency)):
            self.agencies.setdefault(name_key(agency.name), agency)
            self.agencies.setdefault(name_key(agency.code), agency)

    def agency(self, name: str, planned: PlannedRow) -> Agency:
        """The agency the plan settled `name` as: one stored (by any name or code it answers to,
        old names from merges included), else the new one the plan named and coded."""
        key = name_key(name)
        if key in self.agencies:
            return self.agencies[key]
        if (found := find_agency(self.session, name)) is not None:  # made since the plan was read, say
            self.agencies[key] = found
            return found
        stored, code = self.new_agencies[key]
        agency = Agency(name=stored, code=code)
        self.session.add(agency)
        self.session.flush()
        self.agencies[key] = agency
        self.writer.log("agency", agency.uid, "created", new=stored, sheet=planned.sheet, row=planned.row)
        return agency

    def review(self, target: ReviewTarget, planned: PlannedRow) -> Review:
        if target.existing is not None:  # the plan's record was read in another session: this one's
            found = self.session.get(Review, target.existing.id)
            assert found is not None
            return found
        if target.key not in self.reviews:
            review = Review(name=target.name, code=target.code, review_type=target.review_type,
                            partnership=target.partnership, summary=target.summary,
                            position=next_position(self.session, Review.position))
            self.session.add(review)
            self.session.flush()
            self.writer.log(ItemKind.REVIEW, review.uid, "created", new=review.name, sheet=planned.sheet,
                            row=planned.row)
            self.reviews[target.key] = review
        return self.reviews[target.key]

    def item(self, target: ItemTarget, planned: PlannedRow, choice: ConflictChoice) -> Recommendation | Action | None:
        if id(target) in self.done:
            return None  # written already (a recommendation reported by an earlier row)
        self.done.add(id(target))
        obj: Recommendation | Action
        if target.existing is None:
            obj = self._create(target, planned)
        else:
            # the plan's record was read in another session: this session's copy is written
            loaded: Recommendation | Action | None = self.session.get(Recommendation, target.existing.id) \
                if target.kind == ItemKind.RECOMMENDATION else self.session.get(Action, target.existing.id)
            assert loaded is not None
            obj = loaded
            changes = dict(target.fill)
            if choice is ConflictChoice.FILE:
                changes.update(target.take)
            changes.update(target.moves)
            for name in AGENCY_FIELDS:
                if name in changes:
                    changes[name] = self.agency(changes[name], planned)
            if changes:
                self.writer.change(target.kind, obj, changes, planned.sheet, planned.row)
        target.db_id = obj.id
        if target.kind == ItemKind.RECOMMENDATION:
            assert isinstance(obj, Recommendation)
            for name in target.contributors:
                agency = self.agency(name, planned)
                if agency not in obj.contributors and agency.id != obj.lead_agency_id:
                    obj.contributors.append(agency)
        for update in target.updates:
            values = {k: v for k, v in update.items() if k not in ("agency", "dated")}
            values["agency_id"] = self.agency(update["agency"], planned).id if update["agency"] else None
            self.writer.add_update(NewUpdate(item=ItemKey(target.kind, obj.id), item_uid=obj.uid, values=values,
                                             sheet=planned.sheet, row=planned.row))
        return obj

    def _create(self, target: ItemTarget, planned: PlannedRow) -> Recommendation | Action:
        fields = dict(target.create)
        for name in AGENCY_FIELDS:
            if name in fields:
                fields[name] = self.agency(fields[name], planned)
        obj: Recommendation | Action
        if target.kind == ItemKind.RECOMMENDATION:
            review = self.review(target.review, planned)
            obj = Recommendation(review_id=review.id, number=target.number, position=target.position, **fields)
            label = f"{review.name} R{target.number}"
        else:
            assert target.parent is not None and target.parent.db_id
            obj = Action(recommendation_id=target.parent.db_id, number=target.number, position=target.position,
                         **fields)
            label = target.item.text[:80]
        self.session.add(obj)
        self.session.flush()
        self.writer.log(target.kind, obj.uid, "created", new=label, sheet=planned.sheet, row=planned.row)
        return obj


def apply_legacy(writer: BatchWriter, plan: ImportPlan) -> None:
    from scr_desk.services.imports.tracker_corrections import remember
    from scr_desk.services.imports.tracker_questions import remember_answers
    payload = plan.payload
    assert isinstance(payload, TrackerPayload)
    write = _Writer(writer, payload)
    with write.session.no_autoflush:
        for planned, targets in payload.rows:
            if not planned.will_apply:
                continue
            for target in targets:
                parent = target.parent
                if target.kind == ItemKind.ACTION and parent is not None and not parent.db_id:
                    if parent.existing is None:
                        continue  # its new recommendation's row was left out: so is it
                    parent.db_id = parent.existing.id
                write.item(target, planned, planned.choice)
    session: Session = writer.session
    remember_answers(session, {k: v for k, v in payload.answers.items() if ":" in k and not _structural(k)})
    remember(session, payload.layout, payload.answers)


def _structural(question_id: str) -> bool:
    from scr_desk.services.imports.tracker_corrections import is_structural
    return is_structural(question_id)
