"""The sample databases: the "Clare" review as its panel minute has it (data/clare.json), and an
illustrative partnership, invented from end to end, that shows every part of the app at work
(data/showcase.json: several kinds of review, two years of quarterly updates, overdue items, a
panel meeting with its decisions). The showcase's dates are written relative to the day it is
made ("today-22m"), so it always covers the two years up to now."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from scr_desk.domain.dto import AttendeeRow, ItemKey
from scr_desk.domain.enums import SourceKind
from scr_desk.domain.rules import action_reference, recommendation_reference
from scr_desk.paths import sample_data_path
from scr_desk.services.agencies import add_agency
from scr_desk.services.items import add_action, add_recommendation
from scr_desk.services.meetings import add_meeting, record_decision
from scr_desk.services.reviews import add_review
from scr_desk.services.updates import append_update

__all__ = ["SHOWCASE_FILE", "SHOWCASE_SOURCE", "SOURCE", "load_sample", "load_showcase", "relative_date"]


SOURCE = "sample data"
SHOWCASE_SOURCE = "illustrative sample data (invented)"
SHOWCASE_FILE = "showcase.json"
_RELATIVE = re.compile(r"^today(?:([+-]\d+)([md]))?$")


def load_sample(sessions: sessionmaker[Session], path: Path | None = None) -> None:
    """Add the sample review, its agencies, meeting and minuted progress, in one transaction."""
    data: dict[str, Any] = json.loads((path or sample_data_path()).read_text(encoding="utf-8"))
    with sessions.begin() as session:
        agencies = {a["code"]: add_agency(session, a["name"], a["code"], source=SOURCE).id
                    for a in data["agencies"]}
        review = add_review(session, data["review"], source=SOURCE)
        meeting_data = data["meeting"]
        meeting = add_meeting(
            session,
            {"body": meeting_data["body"], "held_on": meeting_data["held_on"],
             "agenda_item": meeting_data["agenda_item"], "notes": meeting_data["notes"],
             "review_id": review.id},
            [AttendeeRow(p["name"], p["role"], agencies.get(p["agency"]) if p["agency"] else None)
             for p in meeting_data["attendees"]])
        minuted = (f"{meeting.body}, {meeting.held_on:%d/%m/%Y}, item {meeting.agenda_item}")
        for rec_data in data["recommendations"]:
            rec = add_recommendation(session, review.id, {
                "number": rec_data["number"], "text": rec_data["text"], "themes": rec_data["themes"],
                "lead_agency_id": agencies[rec_data["lead"]],
                "contributor_ids": [agencies[c] for c in rec_data["contributors"]],
            }, source=SOURCE)
            update = rec_data["update"]
            append_update(session, ItemKey.recommendation(rec.id), {
                "as_at": meeting.held_on, "agency_id": agencies[update["agency"]],
                "narrative": update["narrative"], "status": rec_data["status"],
                "author": "Minuted by the panel",
            }, source_kind=SourceKind.MINUTED, source_detail=minuted, meeting_id=meeting.id)


def relative_date(text: str, today: date) -> date:
    """'today', 'today-22m' (months, the day clamped to the month's end) or 'today+10d'."""
    found = _RELATIVE.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a date relative to today ('today-3m', 'today+10d')")
    if found.group(1) is None:
        return today
    amount = int(found.group(1))
    if found.group(2) == "d":
        return date.fromordinal(today.toordinal() + amount)
    months = today.year * 12 + today.month - 1 + amount
    year, month = divmod(months, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))

def load_showcase(sessions: sessionmaker[Session], path: Path | None = None, today: date | None = None) -> None:
    """Add the illustrative partnership: its records in one transaction, then the panel's decisions
    (each its own, as the window records them). Call it on a new database, which the caller removes
    if this fails."""
    data: dict[str, Any] = json.loads((path or sample_data_path(SHOWCASE_FILE)).read_text(encoding="utf-8"))
    today = today or date.today()

    def when(value: str | None) -> date | None:
        return relative_date(value, today) if value else None

    items: dict[str, ItemKey] = {}
    with sessions.begin() as session:
        agencies = {a["code"]: add_agency(session, a["name"], a["code"], source=SHOWCASE_SOURCE).id
                    for a in data["agencies"]}

        def add_updates(item: ItemKey, updates: list[dict[str, Any]]) -> None:
            for update in updates:
                values = {"as_at": when(update["at"]), "agency_id": agencies[update["agency"]],
                          "narrative": update["narrative"], "evidence": update.get("evidence", ""),
                          "status": update.get("status"), "rag": update.get("rag"),
                          "author": "Quarterly return (illustrative)"}
                append_update(session, item, values, source_detail=SHOWCASE_SOURCE)

        for review_data in data["reviews"]:
            fields = {k: (when(v) if k.endswith("_on") else v) for k, v in review_data.items()
                      if k != "recommendations"}
            review = add_review(session, fields, source=SHOWCASE_SOURCE)
            for rec_data in review_data["recommendations"]:
                rec = add_recommendation(session, review.id, {
                    "number": rec_data["number"], "text": rec_data["text"], "themes": rec_data["themes"],
                    "target_date": when(rec_data.get("target_date")), "lead_agency_id": agencies[rec_data["lead"]],
                    "contributor_ids": [agencies[c] for c in rec_data["contributors"]],
                    "status": "Not started",
                }, source=SHOWCASE_SOURCE)
                rec_key = ItemKey.recommendation(rec.id)
                items[recommendation_reference(review.code, rec.number)] = rec_key
                for action_data in rec_data.get("actions", []):
                    action = add_action(session, rec.id, {
                        "number": action_data["number"], "text": action_data["text"],
                        "owner_agency_id": agencies[action_data["owner"]], "owner_name": action_data["owner_name"],
                        "target_date": when(action_data.get("target_date")), "status": "Not started",
                    }, source=SHOWCASE_SOURCE)
                    action_key = ItemKey.action(action.id)
                    items[action_reference(review.code, rec.number, action.number)] = action_key
                    add_updates(action_key, action_data["updates"])
                add_updates(rec_key, rec_data["updates"])
        meetings = []
        for meeting_data in data["meetings"]:
            meeting = add_meeting(
                session,
                {"body": meeting_data["body"], "held_on": when(meeting_data["held_on"]),
                 "agenda_item": meeting_data["agenda_item"], "notes": meeting_data["notes"]},
                [AttendeeRow(p["name"], p["role"], agencies[p["agency"]] if p["agency"] else None)
                 for p in meeting_data["attendees"]])
            meetings.append((meeting.id, meeting_data["decisions"]))
    for meeting_id, decisions in meetings:
        for decision in decisions:
            record_decision(sessions, meeting_id, items[decision["item"]], decision["decision"], decision["comment"])
