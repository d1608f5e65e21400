"""Every record as plain JSON-ready data, in a stable order, keyed by uid rather than row id.

Row ids, audit entries and import batches describe this file's history rather than the record,
so they are left out: two databases holding the same record dump identically.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from scr_desk import __version__
from scr_desk.db.models import Agency, Meeting, Recommendation, Review, Update
from scr_desk.db.portable import in_code_order
from scr_desk.domain.rules import natural_key

__all__ = ["dump_json", "dump_records"]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value)  # the stored value; one this version does not know is marked "(unknown)"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(obj: Any, skip: set[str]) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


_IDS = {"id", "review_id", "recommendation_id", "action_id", "agency_id", "lead_agency_id",
        "owner_agency_id", "meeting_id", "import_batch_id", "origin_key"}


def dump_records(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as session:
        agencies = {a.id: a for a in session.scalars(select(Agency))}
        uid_of = {i: a.uid for i, a in agencies.items()}
        meetings = {m.id: m for m in session.scalars(select(Meeting).options(
            selectinload(Meeting.attendees), selectinload(Meeting.decisions)))}
        updates_by_rec: dict[int, list[Update]] = {}
        updates_by_action: dict[int, list[Update]] = {}
        for update in session.scalars(select(Update).order_by(Update.as_at, in_code_order(Update.uid))):
            if update.recommendation_id:
                updates_by_rec.setdefault(update.recommendation_id, []).append(update)
            else:
                updates_by_action.setdefault(update.action_id or 0, []).append(update)

        def updates(items: list[Update]) -> list[dict[str, Any]]:
            return [{**_columns(u, _IDS), "agency": uid_of.get(u.agency_id or 0),
                     "meeting": meetings[u.meeting_id].uid if u.meeting_id in meetings else None}
                    for u in items]

        reviews = []
        query = select(Review).order_by(Review.position, in_code_order(Review.uid)).options(
            selectinload(Review.recommendations).selectinload(Recommendation.actions),
            selectinload(Review.recommendations).selectinload(Recommendation.contributors))
        rec_uids: dict[int, str] = {}
        action_uids: dict[int, str] = {}
        for review in session.scalars(query):
            recs = []
            for rec in sorted(review.recommendations, key=lambda r: (r.position, natural_key(r.number))):
                rec_uids[rec.id] = rec.uid
                actions = []
                for action in sorted(rec.actions, key=lambda a: (a.position, natural_key(a.number))):
                    action_uids[action.id] = action.uid
                    actions.append({**_columns(action, _IDS),
                                    "owner_agency": uid_of.get(action.owner_agency_id or 0),
                                    "updates": updates(updates_by_action.get(action.id, []))})
                recs.append({**_columns(rec, _IDS), "lead_agency": uid_of.get(rec.lead_agency_id or 0),
                             "contributors": sorted(a.uid for a in rec.contributors),
                             "actions": actions, "updates": updates(updates_by_rec.get(rec.id, []))})
            reviews.append({**_columns(review, _IDS), "recommendations": recs})
        review_uids = {r.id: r.uid for r in session.scalars(select(Review))}
        meeting_list = []
        for meeting in sorted(meetings.values(), key=lambda m: (m.held_on, m.uid)):
            meeting_list.append({
                **_columns(meeting, _IDS), "review": review_uids.get(meeting.review_id or 0),
                "attendees": [{**_columns(a, _IDS | {"meeting_id"}), "agency": uid_of.get(a.agency_id or 0)}
                              for a in meeting.attendees],
                "decisions": sorted(
                    ({**_columns(d, _IDS), "recommendation": rec_uids.get(d.recommendation_id or 0),
                      "action": action_uids.get(d.action_id or 0)} for d in meeting.decisions),
                    key=lambda d: d["uid"]),
            })
        return {
            "format": "scr_desk dump 1",
            "app_version": __version__,
            "agencies": [_columns(a, _IDS) for a in sorted(agencies.values(), key=lambda a: a.name)],
            "reviews": reviews,
            "meetings": meeting_list,
        }


def dump_json(sessions: sessionmaker[Session], *, ascii_only: bool = False) -> str:
    """Every record as JSON; `ascii_only` escapes every other character as \\uXXXX (the same
    records, for an output that cannot hold them all, such as a console that is not UTF-8)."""
    return json.dumps(dump_records(sessions), indent=2, ensure_ascii=ascii_only, sort_keys=True) + "\n"
