"""The full workbook: every record, streamed from the database into the write-only writer."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk import __version__
from scr_desk.db.models import (
    Action,
    Agency,
    Attendee,
    Decision,
    Meeting,
    Recommendation,
    Review,
    Update,
    recommendation_contributor,
)
from scr_desk.db.portable import in_code_order
from scr_desk.domain.enums import Status
from scr_desk.domain.rules import action_reference, days_overdue, recommendation_reference, shown_rag
from scr_desk.services.export_temp import private_scratch
from scr_desk.services.files import write_atomically
from scr_desk.services.return_record import full_signature, signed_by
from scr_desk.services.returns_export import ExportResult, check_workbook, database_uid

__all__ = ["BATCH", "build_summary", "export_full"]


BATCH = 2000


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns}


class _Lookups:
    """Small id -> key maps, so each streamed row is written without another query."""

    def __init__(self, session: Session) -> None:
        self.agency = {a.id: (a.uid, a.name) for a in session.scalars(select(Agency))}
        self.review = {r.id: (r.uid, r.code) for r in session.scalars(select(Review))}
        self.rec = {i: (u, n, rv) for i, u, n, rv in session.execute(
            select(Recommendation.id, Recommendation.uid, Recommendation.number, Recommendation.review_id))}
        self.action = {i: (u, n, r) for i, u, n, r in session.execute(
            select(Action.id, Action.uid, Action.number, Action.recommendation_id))}
        self.meeting = dict(session.execute(select(Meeting.id, Meeting.uid)).all())
        self.contributors: dict[int, list[int]] = defaultdict(list)
        for rec_id, agency_id in session.execute(select(recommendation_contributor)):
            self.contributors[rec_id].append(agency_id)

    def rec_reference(self, rec_id: int) -> str:
        _, number, review_id = self.rec[rec_id]
        return recommendation_reference(self.review[review_id][1], number)

    def action_reference(self, action_id: int) -> str:
        _, number, rec_id = self.action[action_id]
        _, rec_number, review_id = self.rec[rec_id]
        return action_reference(self.review[review_id][1], rec_number, number)

    def agency_uid(self, agency_id: int | None) -> str:
        return self.agency[agency_id][0] if agency_id in self.agency else ""

    def agency_name(self, agency_id: int | None) -> str:
        return self.agency[agency_id][1] if agency_id in self.agency else ""


def _stream(session: Session, model: Any, *order: Any) -> Iterator[Any]:
    yield from session.scalars(select(model).order_by(*order).execution_options(yield_per=BATCH))


def _sheets(session: Session, look: _Lookups) -> dict[str, Iterator[dict[str, Any]]]:
    def agencies() -> Iterator[dict[str, Any]]:
        for a in _stream(session, Agency, in_code_order(Agency.name)):
            yield _columns(a)

    def reviews() -> Iterator[dict[str, Any]]:
        for r in _stream(session, Review, Review.position, Review.id):
            yield _columns(r)

    def recommendations() -> Iterator[dict[str, Any]]:
        for r in _stream(session, Recommendation, Recommendation.review_id, Recommendation.position, Recommendation.id):
            ids = sorted(look.contributors.get(r.id, []), key=look.agency_uid)
            yield {**_columns(r), "review_uid": look.review[r.review_id][0], "reference": look.rec_reference(r.id),
                   "lead_agency_uid": look.agency_uid(r.lead_agency_id),
                   "lead_agency": look.agency_name(r.lead_agency_id),
                   "contributor_uids": "; ".join(look.agency_uid(i) for i in ids),
                   "contributors": "; ".join(look.agency_name(i) for i in ids)}

    def actions() -> Iterator[dict[str, Any]]:
        for a in _stream(session, Action, Action.recommendation_id, Action.position, Action.id):
            yield {**_columns(a), "recommendation_uid": look.rec[a.recommendation_id][0],
                   "reference": look.action_reference(a.id), "owner_agency_uid": look.agency_uid(a.owner_agency_id),
                   "owner_agency": look.agency_name(a.owner_agency_id)}

    def updates() -> Iterator[dict[str, Any]]:
        for u in _stream(session, Update, Update.as_at, Update.id):
            rec = look.rec[u.recommendation_id][0] if u.recommendation_id else ""
            act = look.action[u.action_id][0] if u.action_id else ""
            reference = look.rec_reference(u.recommendation_id) if u.recommendation_id else \
                look.action_reference(u.action_id or 0)
            yield {**_columns(u), "recommendation_uid": rec, "action_uid": act, "reference": reference,
                   "agency_uid": look.agency_uid(u.agency_id), "agency": look.agency_name(u.agency_id),
                   "meeting_uid": look.meeting.get(u.meeting_id, "") if u.meeting_id else ""}

    def meetings() -> Iterator[dict[str, Any]]:
        for m in _stream(session, Meeting, Meeting.held_on, Meeting.id):
            yield {**_columns(m), "review_uid": look.review[m.review_id][0] if m.review_id in look.review else ""}

    def attendees() -> Iterator[dict[str, Any]]:
        for a in _stream(session, Attendee, Attendee.meeting_id, Attendee.position):
            yield {**_columns(a), "meeting_uid": look.meeting[a.meeting_id], "agency_uid": look.agency_uid(a.agency_id)}

    def decisions() -> Iterator[dict[str, Any]]:
        for d in _stream(session, Decision, Decision.meeting_id, Decision.id):
            yield {**_columns(d), "meeting_uid": look.meeting[d.meeting_id],
                   "recommendation_uid": look.rec[d.recommendation_id][0] if d.recommendation_id else "",
                   "action_uid": look.action[d.action_id][0] if d.action_id else ""}

    return {"Agencies": agencies(), "Reviews": reviews(), "Recommendations": recommendations(),
            "Actions": actions(), "Updates": updates(), "Meetings": meetings(), "Attendees": attendees(),
            "Decisions": decisions()}


def build_summary(session: Session, look: _Lookups, today: date) -> Any:
    from scr_desk.excel.full_writer import Summary

    statuses = [s.value for s in Status]
    summary = Summary(statuses)
    names = {r.id: r.name for r in session.scalars(select(Review).order_by(Review.position, Review.id))}
    by_status: dict[int, Counter[str]] = {i: Counter() for i in names}
    by_rag: dict[int, Counter[str]] = {i: Counter() for i in names}
    agency_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    overdue: list[tuple[int, str, str, str, object]] = []
    columns = (Recommendation.id, Recommendation.review_id, Recommendation.text, Recommendation.status,
               Recommendation.rag, Recommendation.target_date, Recommendation.revised_target_date,
               Recommendation.lead_agency_id)
    for rec_id, review_id, text, status, rag, target, revised, lead in session.execute(select(*columns)):
        by_status[review_id][status.value] += 1
        shown = shown_rag(status, rag)
        by_rag[review_id][shown.value if shown else "Not rated"] += 1
        late = days_overdue(status, target, revised, today)
        _count(agency_counts, lead, status, late)
        if late:
            overdue.append((late, look.rec_reference(rec_id), text[:120], look.agency_name(lead), revised or target))
    action_columns = (Action.id, Action.text, Action.status, Action.target_date, Action.revised_target_date,
                      Action.owner_agency_id)
    for action_id, text, status, target, revised, owner in session.execute(select(*action_columns)):
        late = days_overdue(status, target, revised, today)
        _count(agency_counts, owner, status, late)
        if late:
            overdue.append((late, look.action_reference(action_id), text[:120], look.agency_name(owner),
                            revised or target))
    summary.by_review_status = [(names[i], dict(by_status[i])) for i in names]
    summary.by_review_rag = [(names[i], dict(by_rag[i])) for i in names]
    summary.by_agency = sorted(((look.agency_name(i), counts[0], counts[1], counts[2])
                                for i, counts in agency_counts.items() if i), key=lambda row: row[0].casefold())
    summary.overdue = [(ref, text, lead, due, late) for late, ref, text, lead, due in sorted(overdue, reverse=True)]
    return summary


def _count(counts: dict[int, list[int]], agency_id: int | None, status: Status, late: int) -> None:
    if agency_id is None:
        return
    entry = counts[agency_id]
    if status.is_done:
        entry[2] += 1
    elif not status.is_closed:
        entry[0] += 1
        entry[1] += 1 if late else 0


def _sender(session: Session) -> dict[str, str]:
    """Beside the signature, never trusted: the writing database's file name, and the returns it
    was still waiting for, so that a move to a new database can say which of them it cannot take."""
    from scr_desk.services.imports.full_trust import outstanding_returns
    return {"database_name": signed_by(session)["database_name"],
            "returns_outstanding": "; ".join(outstanding_returns(session))}


def export_full(sessions: sessionmaker[Session], out: Path, *, today: date | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Every record into one workbook at `out`, written to a temporary file first."""
    from scr_desk.excel.full_writer import write_full

    def write(temp: Path) -> int:
        with private_scratch(), sessions() as session:
            look = _Lookups(session)
            total = len(look.rec) + len(look.action)
            export_id = uuid.uuid4().hex
            meta = {"database_uid": database_uid(session), "exported_at": datetime.now().replace(microsecond=0),
                    "app_version": __version__, "export_id": export_id,
                    "signature": full_signature(session, export_id), **_sender(session)}
            summary = build_summary(session, look, today or date.today())
            written = write_full(temp, meta, _sheets(session, look), summary,
                                 (lambda n, sheet: progress(n, total, sheet)) if progress else None, cancelled)
        check_workbook(temp)
        return written
    return ExportResult(Path(out), write_atomically(Path(out), write))
