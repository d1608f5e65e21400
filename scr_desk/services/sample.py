"""The sample database: the "Clare" review from the seed panel minute (data/clare.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from scr_desk.domain.dto import AttendeeRow, ItemRef
from scr_desk.domain.enums import SourceKind
from scr_desk.paths import sample_data_path
from scr_desk.services.agencies import add_agency
from scr_desk.services.items import add_recommendation
from scr_desk.services.meetings import add_meeting
from scr_desk.services.reviews import add_review
from scr_desk.services.updates import append_update

SOURCE = "sample data"


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
            append_update(session, ItemRef("recommendation", rec.id), {
                "as_at": meeting.held_on, "agency_id": agencies[update["agency"]],
                "narrative": update["narrative"], "status": rec_data["status"],
                "author": "Minuted by the panel",
            }, source_kind=SourceKind.MINUTED, source_detail=minuted, meeting_id=meeting.id)
