"""Partners' proposals, decided in one place. A proposal a return brought but the import did not
apply (a contributor's, or one kept on the database's side of a conflict) waits on the board; the
lead accepts it (the item moves, through a dated update that says so, every field audited) or
declines it (it stays on its update, marked declined, audited). Either can be undone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.base import utc_now
from scr_desk.db.items import get_item
from scr_desk.db.models import Action, Agency, Proposal, Recommendation, ReturnExport, Review, Update
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ProposalState, Rag, Status
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.domain.update_words import proposal_accepted_narrative
from scr_desk.domain.wording import count
from scr_desk.services import audit
from scr_desk.services.changes import Origin, set_fields
from scr_desk.services.errors import ServiceError
from scr_desk.services.updates import append_update, remove_update

__all__ = ["Decided", "ProposalRow", "decide_proposals", "list_proposals", "reopen_proposals"]


@dataclass(frozen=True)
class ProposalRow:
    id: int
    item: ItemKey
    reference: str
    agency: str
    agency_code: str
    period: str
    status: Status | None  # proposed
    rag: Rag | None
    revised_target_date: date | None
    now_status: Status  # the item as it stands
    now_rag: Rag | None
    now_target: date | None
    narrative: str  # the update the proposal came with
    as_at: date
    export_uid: str
    state: ProposalState
    decided_at: datetime | None
    decided_by: str

    @property
    def proposed(self) -> str:
        """"Status In progress → Complete; RAG Green → Blue": what accepting it would do."""
        return "; ".join(f"{label} {_shown(now)} → {_shown(new)}" for label, now, new in self._fields())

    def _fields(self) -> list[tuple[str, Any, Any]]:
        return [(label, now, new) for label, now, new in (
            ("Status", self.now_status, self.status), ("RAG", self.now_rag, self.rag),
            ("Revised target", self.now_target, self.revised_target_date)) if new is not None]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "item": self.reference, "agency": self.agency_code, "agency_name": self.agency,
                "period": self.period, "state": self.state.value.lower(),
                "proposed": {name: _plain(value) for name, value in (
                    ("status", self.status), ("rag", self.rag), ("revised_target_date", self.revised_target_date))
                    if value is not None},
                "now": {"status": _plain(self.now_status), "rag": _plain(self.now_rag),
                        "revised_target_date": _plain(self.now_target)},
                "update": {"date": self.as_at.isoformat(), "text": self.narrative},
                "decided_at": self.decided_at.isoformat() if self.decided_at else None,
                "decided_by": self.decided_by or None}

def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return format_uk(value) if isinstance(value, date) else str(getattr(value, "value", value))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def list_proposals(sessions: sessionmaker[Session], *, period: str | None = None,
                   state: ProposalState | None = ProposalState.WAITING) -> list[ProposalRow]:
    """Proposals (waiting ones by default), oldest first, each with its item as it stands now."""
    with sessions() as session:
        query = select(Proposal, Update).join(Update, Proposal.update_id == Update.id)
        if state is not None:
            query = query.where(Proposal.state == state)
        if period:
            query = query.where(Update.period == period)
        found = session.execute(query.order_by(Update.as_at, Proposal.id)).all()
        return [_row(session, proposal, update) for proposal, update in found]


def _row(session: Session, proposal: Proposal, update: Update) -> ProposalRow:
    key = ItemKey.pointed_at(update.recommendation_id, update.action_id)
    item = get_item(session, key)
    assert item is not None  # the update goes with its item (ON DELETE CASCADE), and the proposal with it
    agency = session.get(Agency, update.agency_id) if update.agency_id else None
    export_uid = session.scalar(select(ReturnExport.uid).where(ReturnExport.id == proposal.export_id)) or ""
    return ProposalRow(
        id=proposal.id, item=key, reference=_reference(session, item), agency=agency.name if agency else "",
        agency_code=agency.code if agency else "", period=update.period, status=proposal.status, rag=proposal.rag,
        revised_target_date=proposal.revised_target_date, now_status=item.status, now_rag=item.rag,
        now_target=item.revised_target_date, narrative=update.narrative, as_at=update.as_at, export_uid=export_uid,
        state=proposal.state, decided_at=proposal.decided_at, decided_by=proposal.decided_by)


def _reference(session: Session, item: Recommendation | Action) -> str:
    rec = item if isinstance(item, Recommendation) else session.get(Recommendation, item.recommendation_id)
    assert rec is not None
    code = session.scalar(select(Review.code).where(Review.id == rec.review_id)) or ""
    if isinstance(item, Action):
        return action_reference(code, rec.number, item.number)
    return recommendation_reference(code, rec.number)


@dataclass(frozen=True)
class Decided:
    """One decision made, with what undoing it puts back."""

    proposal_id: int
    reference: str
    accepted: bool
    update_uid: str | None = None  # the update an acceptance added (moving status and RAG)
    before_status: Status | None = None
    before_rag: Rag | None = None
    before_target: date | None = None
    target_changed: bool = False


def decide_proposals(sessions: sessionmaker[Session], accept: Sequence[int] = (), decline: Sequence[int] = (), *,
                     today: date | None = None, again: Sequence[Decided] = ()) -> list[Decided]:
    """Accept and decline proposals, all or none: each must be waiting (an id that is not is one
    sentence naming it, and nothing is decided). A redo passes the decisions made before
    (`again`): the updates an acceptance adds keep their keys."""
    if overlap := sorted(set(accept) & set(decline)):
        raise ServiceError(f"Proposal {', '.join(map(str, overlap))}: cannot be both accepted and declined.")
    today = today or date.today()
    decided: list[Decided] = []
    keys = {d.proposal_id: d.update_uid for d in again if d.update_uid}
    with sessions.begin() as session:
        wanted = [*dict.fromkeys(accept), *dict.fromkeys(decline)]
        found = {p.id: p for p in session.scalars(select(Proposal).where(Proposal.id.in_(wanted)))}
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            raise ServiceError(f"There is no proposal {', '.join(missing)}; `scr-desk proposals` lists those waiting.")
        settled = [f"{i} ({found[i].state.value.lower()})" for i in wanted
                   if found[i].state is not ProposalState.WAITING]
        if settled:
            raise ServiceError(f"{count(len(settled), 'proposal')} already decided: {', '.join(settled)}; nothing was "
                               "decided.")
        for proposal_id in dict.fromkeys(accept):
            decided.append(_accept(session, found[proposal_id], today, keys.get(proposal_id)))
        for proposal_id in dict.fromkeys(decline):
            decided.append(_decline(session, found[proposal_id]))
    return decided


def _settle(session: Session, proposal: Proposal, state: ProposalState) -> tuple[Recommendation | Action, str]:
    update = proposal.update
    key = ItemKey.pointed_at(update.recommendation_id, update.action_id)
    item = get_item(session, key)
    assert item is not None
    proposal.state, proposal.decided_at, proposal.decided_by = state, utc_now(), audit.current_user()
    agency = session.get(Agency, update.agency_id) if update.agency_id else None
    said = "; ".join(f"{label} {_shown(value)}" for label, value in (
        ("Status", proposal.status), ("RAG", proposal.rag), ("Revised target", proposal.revised_target_date))
        if value is not None)
    audit.record(session, key.kind, item.uid, "changed", field="proposal",
                 old=f"{said}, proposed by {agency.name if agency else 'an agency'} for {update.period}",
                 new=state.value.lower(), source=f"proposal {proposal.id} {state.value.lower()} by the lead")
    return item, said


def _accept(session: Session, proposal: Proposal, today: date, uid: str | None) -> Decided:
    update = proposal.update
    item, said = _settle(session, proposal, ProposalState.ACCEPTED)
    key = ItemKey.pointed_at(update.recommendation_id, update.action_id)
    before = Decided(proposal.id, _reference(session, item), True, None, item.status, item.rag,
                     item.revised_target_date)
    moves = {name: value for name, value in (("status", proposal.status), ("rag", proposal.rag))
             if value is not None and value != getattr(item, name)}
    update_uid = None
    if moves:  # the move is on record as a dated update, so every view agrees on when it happened
        agency = session.get(Agency, update.agency_id) if update.agency_id else None
        added = append_update(session, key, {
            "as_at": today, "period": update.period, "agency_id": update.agency_id, "author": audit.current_user(),
            "narrative": proposal_accepted_narrative(agency.name if agency else "", update.period, said), **moves},
            source_detail=f"proposal {proposal.id} accepted by {audit.current_user()}", uid=uid)
        update_uid = added.uid
    target = proposal.revised_target_date
    changed = target is not None and target != item.revised_target_date
    if changed:
        set_fields(session, item, key.kind, {"revised_target_date": target},
                   Origin(f"proposal {proposal.id} accepted by the lead"))
    return Decided(before.proposal_id, before.reference, True, update_uid, before.before_status, before.before_rag,
                   before.before_target, changed)


def _decline(session: Session, proposal: Proposal) -> Decided:
    item, _said = _settle(session, proposal, ProposalState.DECLINED)
    return Decided(proposal.id, _reference(session, item), False)


def reopen_proposals(sessions: sessionmaker[Session], decided: Sequence[Decided]) -> None:
    """Undo of decisions: each proposal waits again, and an acceptance's moves are put back."""
    with sessions.begin() as session:
        for decision in decided:
            proposal = session.get(Proposal, decision.proposal_id)
            if proposal is None:
                raise ServiceError(f"The proposal on {decision.reference} is no longer in the database.")
            update = proposal.update
            key = ItemKey.pointed_at(update.recommendation_id, update.action_id)
            item = get_item(session, key)
            assert item is not None
            if decision.update_uid:
                remove_update(session, decision.update_uid, decision.before_status, decision.before_rag)
            if decision.target_changed:
                set_fields(session, item, key.kind, {"revised_target_date": decision.before_target}, Origin("undo"))
            proposal.state, proposal.decided_at, proposal.decided_by = ProposalState.WAITING, None, ""
            audit.record(session, key.kind, item.uid, "changed", field="proposal",
                         old="accepted" if decision.accepted else "declined", new="waiting", source="undo")

