"""The returns board: for each agency and period, what was sent (from the record of every export),
what came back (from the receipts of imports not undone), what was chased, and the proposals
waiting for the lead. The window's Returns view and `scr-desk returns` show the same board."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Agency, ImportBatch, Proposal, ReturnChase, ReturnExport, ReturnReceipt
from scr_desk.domain.contacts import split_addresses
from scr_desk.domain.enums import ProposalState
from scr_desk.domain.rules import parse_period
from scr_desk.domain.wording import count
from scr_desk.services.returns_export import agencies_with_open_items, default_period

__all__ = ["Board", "BoardRow", "ReturnState", "load_board", "sent_periods"]


class ReturnState(StrEnum):
    NOT_SENT = "not sent"
    SENT = "sent"
    OVERDUE = "overdue"
    RECEIVED = "received"
    PARTLY = "partly received"

    @property
    def outstanding(self) -> bool:
        """Sent and not yet back: what a chaser is for."""
        return self in (ReturnState.SENT, ReturnState.OVERDUE)

    @property
    def came_back(self) -> bool:
        return self in (ReturnState.RECEIVED, ReturnState.PARTLY)


@dataclass(frozen=True)
class BoardRow:
    agency_id: int | None
    code: str
    name: str
    period: str
    state: ReturnState
    contact: str = ""
    emails: tuple[str, ...] = ()
    export_uid: str = ""  # the latest return sent to this agency for the period
    file_name: str = ""
    written_to: str = ""
    sent: datetime | None = None
    deadline: date | None = None
    rows_sent: int = 0
    received: datetime | None = None
    rows_landed: int = 0
    rows_left_out: int = 0
    proposals_waiting: int = 0
    days_overdue: int = 0
    chased: tuple[date, ...] = ()
    open_items: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"agency": self.code, "name": self.name, "period": self.period, "state": self.state.value,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "sent": self.sent.isoformat() if self.sent else None, "file": self.file_name or None,
                "received": self.received.isoformat() if self.received else None, "rows_sent": self.rows_sent,
                "rows_landed": self.rows_landed, "rows_left_out": self.rows_left_out,
                "proposals_waiting": self.proposals_waiting, "days_overdue": self.days_overdue,
                "chased": [d.isoformat() for d in self.chased], "contact": self.contact, "emails": list(self.emails)}


@dataclass(frozen=True)
class Board:
    period: str
    rows: tuple[BoardRow, ...]
    periods: tuple[str, ...]  # every period returns were sent for, newest first
    waiting_everywhere: int = 0  # proposals waiting, whatever their period
    today: date = field(default_factory=date.today)

    @property
    def sent(self) -> list[BoardRow]:
        return [r for r in self.rows if r.state is not ReturnState.NOT_SENT]

    def headline(self) -> str:
        """"6 of 8 returns in, 2 overdue, 5 proposals waiting" (proposals of every period)."""
        sent = self.sent
        waiting = f"{count(self.waiting_everywhere, 'proposal')} waiting"
        if not sent:
            return "No returns sent yet" + (f"; {waiting}" if self.waiting_everywhere else "")
        came_back = sum(1 for r in sent if r.state.came_back)
        overdue = sum(1 for r in sent if r.state is ReturnState.OVERDUE)
        return f"{came_back:,} of {count(len(sent), 'return')} in, {overdue:,} overdue, {waiting}"


def sent_periods(session: Session) -> list[str]:
    """Every period returns were sent for, newest first."""
    periods = set(session.scalars(select(ReturnExport.period).distinct()))
    return sorted(periods, key=_period_order, reverse=True)


def _period_order(period: str) -> tuple[int, int]:
    try:
        parsed = parse_period(period)
    except ValueError:
        return (0, 0)
    return (parsed.start_year, parsed.quarter)


def load_board(sessions: sessionmaker[Session], period: str | None = None, *, today: date | None = None) -> Board:
    today = today or date.today()
    open_items = {agency_id: n for agency_id, _name, _code, n in agencies_with_open_items(sessions)}
    with sessions() as session:
        periods = sent_periods(session)
        period = period or (periods[0] if periods else default_period(today))
        agencies = {a.id: a for a in session.scalars(select(Agency))}
        exports = list(session.scalars(select(ReturnExport).where(ReturnExport.period == period)
                                       .order_by(ReturnExport.exported_at, ReturnExport.id)))
        by_agency: dict[int | str, list[ReturnExport]] = defaultdict(list)
        for export in exports:  # a deleted agency's returns stay on the board under the name they were sent to
            by_agency[export.agency_id if export.agency_id is not None else export.agency_name].append(export)
        export_ids = [e.id for e in exports]
        receipts = _receipts(session, export_ids)
        chases = _chases(session, export_ids)
        waiting: dict[int, int] = {export_id: n for export_id, n in session.execute(
            select(Proposal.export_id, func.count()).where(Proposal.state == ProposalState.WAITING,
                                                           Proposal.export_id.in_(export_ids))
            .group_by(Proposal.export_id)) if export_id is not None}
        rows = [_row(key, sent, agencies, period, today, receipts, chases, waiting, open_items)
                for key, sent in by_agency.items()]
        rows += [_not_sent(agencies[agency_id], period, n) for agency_id, n in open_items.items()
                 if n and agency_id not in by_agency and agency_id in agencies]
        everywhere = session.scalar(select(func.count()).select_from(Proposal)
                                    .where(Proposal.state == ProposalState.WAITING)) or 0
    rows.sort(key=lambda r: (_STATE_ORDER[r.state], r.name.casefold()))
    return Board(period, tuple(rows), tuple(periods), everywhere, today)


# What needs the lead first: overdue, then partly received, sent, not sent, received.
_STATE_ORDER = {ReturnState.OVERDUE: 0, ReturnState.PARTLY: 1, ReturnState.SENT: 2, ReturnState.NOT_SENT: 3,
                ReturnState.RECEIVED: 4}


def _receipts(session: Session, export_ids: list[int]) -> dict[int, list[ReturnReceipt]]:
    found: dict[int, list[ReturnReceipt]] = defaultdict(list)
    for receipt in session.scalars(select(ReturnReceipt).join(ImportBatch).where(
            ReturnReceipt.export_id.in_(export_ids), ImportBatch.undone_at.is_(None))
            .order_by(ReturnReceipt.received_at, ReturnReceipt.id)):
        found[receipt.export_id].append(receipt)
    return found


def _chases(session: Session, export_ids: list[int]) -> dict[int, list[date]]:
    found: dict[int, list[date]] = defaultdict(list)
    for export_id, day in session.execute(select(ReturnChase.export_id, ReturnChase.chased_on)
                                          .where(ReturnChase.export_id.in_(export_ids))
                                          .order_by(ReturnChase.chased_on, ReturnChase.id)):
        found[export_id].append(day)
    return found


def _row(key: int | str, sent: list[ReturnExport], agencies: dict[int, Agency], period: str, today: date,
         receipts: dict[int, list[ReturnReceipt]], chases: dict[int, list[date]], waiting: dict[int, int],
         open_items: dict[int, int]) -> BoardRow:
    latest = sent[-1]
    agency = agencies.get(key) if isinstance(key, int) else None
    came = sorted((r for e in sent for r in receipts.get(e.id, [])), key=lambda r: (r.received_at, r.id))
    if came:
        state = ReturnState.PARTLY if came[-1].rows_left_out else ReturnState.RECEIVED
    else:
        state = ReturnState.OVERDUE if today > latest.deadline else ReturnState.SENT
    return BoardRow(
        agency_id=agency.id if agency else None, code=agency.code if agency else "", period=period, state=state,
        name=agency.name if agency else latest.agency_name, contact=agency.contact_name if agency else "",
        emails=tuple(split_addresses(agency.contact_email)) if agency else (), export_uid=latest.uid,
        file_name=latest.file_name, written_to=latest.written_to, sent=latest.exported_at, deadline=latest.deadline,
        rows_sent=latest.row_count, received=came[-1].received_at if came else None,
        rows_landed=sum(r.rows_landed for r in came), rows_left_out=came[-1].rows_left_out if came else 0,
        proposals_waiting=sum(waiting.get(e.id, 0) for e in sent),
        days_overdue=(today - latest.deadline).days if state is ReturnState.OVERDUE else 0,
        chased=tuple(sorted(d for e in sent for d in chases.get(e.id, []))),
        open_items=open_items.get(agency.id, 0) if agency else 0)


def _not_sent(agency: Agency, period: str, open_items: int) -> BoardRow:
    return BoardRow(agency_id=agency.id, code=agency.code, name=agency.name, period=period,
                    state=ReturnState.NOT_SENT, contact=agency.contact_name,
                    emails=tuple(split_addresses(agency.contact_email)), open_items=open_items)
