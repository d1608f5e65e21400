"""Exact copies of a subtree taken before a delete, so the delete can be undone.

Rows are copied with Core, ids and keys included, and put back in parent-first order; undo
therefore restores the same records, not look-alikes, and later history still points at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import (
    Action,
    Attendee,
    Decision,
    Meeting,
    Recommendation,
    Review,
    Update,
    recommendation_contributor,
)
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import count
from scr_desk.services import audit

__all__ = ["Snapshot", "capture", "delete_captured", "restore"]


_ORDER = ["review", "recommendation", "recommendation_contributor", "action",
          "progress_update", "meeting", "attendee", "decision"]
_TABLES: dict[str, Table] = {
    "review": Review.__table__, "recommendation": Recommendation.__table__,  # type: ignore[dict-item]
    "recommendation_contributor": recommendation_contributor,
    "action": Action.__table__, "progress_update": Update.__table__,  # type: ignore[dict-item]
    "decision": Decision.__table__,  # type: ignore[dict-item]
    "meeting": Meeting.__table__, "attendee": Attendee.__table__,  # type: ignore[dict-item]
}


@dataclass(frozen=True)
class Snapshot:
    entity: str
    uid: str
    label: str
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]
    meeting_links: tuple[int, ...] = ()  # meetings whose review link the delete cleared
    update_links: tuple[int, ...] = ()  # updates whose meeting link the delete cleared

    def count(self, table: str) -> int:
        return sum(len(rows) for name, rows in self.rows if name == table)

    def describe(self) -> str:
        """E.g. "the review 'Clare', with 3 recommendations, 2 actions and 5 updates"."""
        parts = []
        for table, word in (("recommendation", "recommendation"), ("action", "action"),
                            ("progress_update", "update"), ("decision", "panel decision")):
            n = self.count(table) - (1 if table == self.entity else 0)
            if n:
                parts.append(count(n, word))
        if not parts:
            return self.label
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{self.label}, with {joined}"


def _rows(session: Session, table: Table, *conditions: Any) -> tuple[dict[str, Any], ...]:
    query = select(table).where(or_(*conditions)) if len(conditions) > 1 else select(table).where(*conditions)
    return tuple(dict(row._mapping) for row in session.execute(query))


def capture(session: Session, entity: ItemKind | str, entity_id: int, label: str) -> Snapshot:
    """Every row a delete of the review, recommendation or action (or the "meeting") takes with it."""
    rec_ids: list[int] = []
    action_ids: list[int] = []
    collected: dict[str, tuple[dict[str, Any], ...]] = {}
    uid = ""
    meeting_links: tuple[int, ...] = ()
    if entity == "meeting":
        collected["meeting"] = _rows(session, _TABLES["meeting"], Meeting.id == entity_id)
        collected["attendee"] = _rows(session, _TABLES["attendee"], Attendee.meeting_id == entity_id)
        collected["decision"] = _rows(session, _TABLES["decision"], Decision.meeting_id == entity_id)
        links = tuple(session.scalars(select(Update.id).where(Update.meeting_id == entity_id)))
        uid = collected["meeting"][0]["uid"] if collected["meeting"] else ""
        return Snapshot(entity, uid, label,
                        tuple((n, collected[n]) for n in _ORDER if collected.get(n)), (), links)
    if entity == ItemKind.REVIEW:
        collected["review"] = _rows(session, _TABLES["review"], Review.id == entity_id)
        rec_ids = list(session.scalars(select(Recommendation.id).where(Recommendation.review_id == entity_id)))
        meeting_links = tuple(session.scalars(select(Meeting.id).where(Meeting.review_id == entity_id)))
    elif entity == ItemKind.RECOMMENDATION:
        rec_ids = [entity_id]
    elif entity == ItemKind.ACTION:
        action_ids = [entity_id]
    if rec_ids:
        collected["recommendation"] = _rows(session, _TABLES["recommendation"], Recommendation.id.in_(rec_ids))
        collected["recommendation_contributor"] = _rows(
            session, recommendation_contributor, recommendation_contributor.c.recommendation_id.in_(rec_ids))
        action_ids = list(session.scalars(select(Action.id).where(Action.recommendation_id.in_(rec_ids))))
    if action_ids:
        collected["action"] = _rows(session, _TABLES["action"], Action.id.in_(action_ids))
    collected["progress_update"] = _rows(session, _TABLES["progress_update"],
                                         Update.recommendation_id.in_(rec_ids), Update.action_id.in_(action_ids))
    collected["decision"] = _rows(session, _TABLES["decision"],
                                  Decision.recommendation_id.in_(rec_ids), Decision.action_id.in_(action_ids))
    uid = collected[entity][0]["uid"] if collected.get(entity) else ""
    return Snapshot(entity, uid, label,
                    tuple((name, collected[name]) for name in _ORDER if collected.get(name)),
                    meeting_links)


def delete_captured(session: Session, snapshot: Snapshot) -> None:
    """Delete the snapshot's root row; foreign keys cascade to the rest."""
    table = _TABLES[snapshot.entity]
    session.execute(delete(table).where(table.c.uid == snapshot.uid))
    audit.record(session, snapshot.entity, snapshot.uid, "deleted", old=snapshot.describe())


def restore(sessions: sessionmaker[Session], snapshot: Snapshot) -> None:
    """Put every captured row back exactly as it was."""
    with sessions.begin() as session:
        for name, rows in snapshot.rows:
            session.execute(_TABLES[name].insert(), [dict(r) for r in rows])
        if snapshot.meeting_links and snapshot.entity == ItemKind.REVIEW:
            review_id = snapshot.rows[0][1][0]["id"]
            session.execute(update(Meeting).where(Meeting.id.in_(snapshot.meeting_links))
                            .values(review_id=review_id))
        if snapshot.update_links and snapshot.entity == "meeting":
            meeting_id = snapshot.rows[0][1][0]["id"]
            session.execute(update(Update).where(Update.id.in_(snapshot.update_links))
                            .values(meeting_id=meeting_id))
        audit.record(session, snapshot.entity, snapshot.uid, "restored", new=snapshot.describe())
