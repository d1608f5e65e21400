"""The panel report's content, as at a date: plain data that the PDF and Word writers lay out.

Status and RAG "as at" a date come from the update history (the latest update on or before the
date that set them), so a report for last December reads as it would have then; "since the last
report" compares with the same view at the review's previous panel meeting.
"""

from __future__ import annotations

import re

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, Agency, Meeting, Recommendation, Review, Update, recommendation_contributor
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import DONE_STATUSES, Rag, Status
from scr_desk.domain.wording import count, of_total
from scr_desk.domain.rules import days_overdue, natural_key, recommendation_reference, shown_rag
from scr_desk.services.errors import ServiceError

PROGRESSING = {Status.IN_PROGRESS, Status.ON_HOLD}


@dataclass(frozen=True, kw_only=True, slots=True)
class RecommendationLine:
    number: str
    reference: str
    text: str
    lead: str
    contributors: tuple[str, ...]
    status: Status
    rag: Rag | None
    previous_status: Status | None
    previous_rag: Rag | None
    latest_update: str
    latest_agency: str
    latest_date: date | None
    evidence: str
    days_overdue: int
    actions: str  # "2 of 3 actions complete"

    @property
    def change(self) -> str:
        if self.previous_status is None and self.previous_rag is None:
            return "first report"
        parts = []
        if self.previous_status != self.status:
            parts.append(f"status was {self.previous_status.value if self.previous_status else 'not set'}")
        if self.previous_rag != self.rag:
            parts.append(f"RAG was {self.previous_rag.value if self.previous_rag else 'not rated'}")
        return "; ".join(parts) or "no change"


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewSection:
    name: str
    review_type: str
    reference: str
    previous_report: date | None
    lines: tuple[RecommendationLine, ...]
    summary: str
    counts: dict[str, int]


@dataclass(frozen=True, kw_only=True, slots=True)
class PanelReport:
    partnership: str
    panel: str
    as_of: date
    sections: tuple[ReviewSection, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"Progress on case review recommendations, as at {format_uk(self.as_of)}"


NO_REVIEWS = "There are no reviews to report on yet."
TEXT_LIMIT = 4000  # characters of any one text a report shows; the rest is noted, not printed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def report_text(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """A text as a report may print it: control characters (which Word's XML cannot hold) become
    spaces, and a text longer than `limit` is cut with a visible note of how much more there is."""
    text = text or ""
    clean = _CONTROL.sub(" ", text[:limit])  # cut first: a 150-million-character text is not scanned whole
    if len(text) <= limit:
        return clean
    return clean.rstrip() + f" … (continues: {len(text) - limit:,} more characters in the database)"


def summary_sentence(lines: tuple[RecommendationLine, ...]) -> tuple[str, dict[str, int]]:
    """'Of the 13 recommendations, 4 are complete and assured, 6 are in progress, 3 have not
    progressed; 2 are overdue.'"""
    done = sum(1 for line in lines if line.status in DONE_STATUSES)
    going = sum(1 for line in lines if line.status in PROGRESSING)
    waiting = sum(1 for line in lines if line.status is Status.NOT_STARTED)
    closed = sum(1 for line in lines if line.status in (Status.SUPERSEDED, Status.WITHDRAWN))
    late = sum(1 for line in lines if line.days_overdue)
    parts = [f"{done} {'is' if done == 1 else 'are'} complete and assured",
             f"{going} {'is' if going == 1 else 'are'} in progress",
             f"{waiting} {'has' if waiting == 1 else 'have'} not progressed"]
    if closed:
        parts.append(f"{closed} {'was' if closed == 1 else 'were'} superseded or withdrawn")
    text = f"Of the {count(len(lines), 'recommendation')}, " + ", ".join(parts[:-1]) + \
        f" and {parts[-1]}" + f"; {late} {'is' if late == 1 else 'are'} overdue."
    return text, {"total": len(lines), "complete": done, "in progress": going, "not progressed": waiting,
                  "closed": closed, "overdue": late}


def _state_at(history: list[Update], day: date | None) -> tuple[Status | None, Rag | None]:
    status = rag = None
    for update in history:
        if day is not None and update.as_at > day:
            break
        status = update.status or status
        rag = update.rag or rag
    return status, rag


def build_report(sessions: sessionmaker[Session], *, as_of: date | None = None, review_names: list[str] | None = None,
                 panel: str = "") -> PanelReport:
    as_of = as_of or date.today()
    with sessions() as session:
        query = select(Review).order_by(Review.position, Review.id)
        reviews = list(session.scalars(query))
        if not reviews:  # the same sentence as the window's, and no empty file written
            raise ServiceError(NO_REVIEWS)
        if review_names:
            known = {r.name.casefold() for r in reviews} | {r.code.casefold() for r in reviews}
            wanted = {n.casefold() for n in review_names}
            chosen = [r for r in reviews if r.name.casefold() in wanted or r.code.casefold() in wanted]
            missing = [n for n in dict.fromkeys(review_names) if n.casefold() not in known]  # as typed
            if missing:
                called = " or ".join(repr(n) for n in missing)
                raise ServiceError(f"There is no review called {called}; the reviews are: "
                                   f"{', '.join(r.name for r in reviews)}.")
            reviews = chosen
        agencies = dict(session.execute(select(Agency.id, Agency.name)).all())
        sections = []
        last_meeting: Meeting | None = None
        for review in reviews:
            meetings = list(session.scalars(select(Meeting).where(Meeting.review_id == review.id,
                                                                  Meeting.held_on <= as_of).order_by(Meeting.held_on)))
            earlier = [m for m in meetings if m.held_on < as_of]
            previous = earlier[-1].held_on if earlier else None
            if meetings and (last_meeting is None or meetings[-1].held_on > last_meeting.held_on):
                last_meeting = meetings[-1]  # the panel this report goes to
            sections.append(_section(session, review, agencies, as_of, previous))
        partnership = next((r.partnership for r in reviews if r.partnership), "")
        body = panel or (last_meeting.body if last_meeting else "Scrutiny panel")
        return PanelReport(partnership=report_text(partnership, 500), panel=report_text(body, 500), as_of=as_of,
                           sections=tuple(sections))


def _section(session: Session, review: Review, agencies: dict[int, str], as_of: date,
             previous: date | None) -> ReviewSection:
    recs = sorted(session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)),
                  key=lambda r: (r.position, natural_key(r.number)))
    ids = [r.id for r in recs]
    history: dict[int, list[Update]] = defaultdict(list)
    for update in session.scalars(select(Update).where(Update.recommendation_id.in_(ids))
                                  .order_by(Update.as_at, Update.id)):
        history[update.recommendation_id].append(update)  # type: ignore[index]
    contributors: dict[int, list[str]] = defaultdict(list)
    for rec_id, agency_id in session.execute(select(recommendation_contributor).where(
            recommendation_contributor.c.recommendation_id.in_(ids))):
        contributors[rec_id].append(agencies.get(agency_id, ""))
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in session.scalars(select(Action).where(Action.recommendation_id.in_(ids))):
        actions[action.recommendation_id].append(action)
    lines = tuple(_line(rec, review.code, history[rec.id], actions.get(rec.id, []), agencies,
                        contributors[rec.id], as_of, previous) for rec in recs)
    summary, counts = summary_sentence(lines)
    return ReviewSection(name=report_text(review.name, 500), review_type=review.review_type.value,
                         reference=report_text(review.reference, 500), previous_report=previous, lines=lines,
                         summary=summary, counts=counts)


def _line(rec: Recommendation, review_code: str, history: list[Update], own: list[Action], agencies: dict[int, str],
          contributors: list[str], as_of: date, previous: date | None) -> RecommendationLine:
    """One recommendation as the report shows it at `as_of`, and as it stood at the previous panel."""
    past = [u for u in history if u.as_at <= as_of]
    status, rag = _state_at(past, as_of)
    status = status or (rec.status if not history else Status.NOT_STARTED)
    rag = rag if past else rec.rag
    if as_of >= date.today():
        # As at today the record itself is the truth (the tree shows it), whatever the
        # history says: an edit made before edits were recorded as updates still counts.
        status, rag = rec.status, rec.rag
    prev_status, prev_rag = _state_at(past, previous) if previous else (None, None)
    latest = past[-1] if past else None
    done = sum(1 for a in own if a.status in DONE_STATUSES)
    return RecommendationLine(
        number=report_text(rec.number, 50),
        reference=report_text(recommendation_reference(review_code, rec.number), 80),
        text=report_text(rec.text), lead=report_text(agencies.get(rec.lead_agency_id or 0, ""), 500),
        contributors=tuple(sorted(report_text(c, 500) for c in contributors)), status=status,
        rag=shown_rag(status, rag), previous_status=prev_status,
        previous_rag=shown_rag(prev_status, prev_rag) if prev_status else prev_rag,
        latest_update=report_text(latest.narrative) if latest else "",
        latest_agency=report_text(agencies.get(latest.agency_id or 0, ""), 500) if latest else "",
        latest_date=latest.as_at if latest else None,
        evidence=report_text(next((u.evidence for u in reversed(past) if u.evidence), "")),
        days_overdue=days_overdue(status, rec.target_date, rec.revised_target_date, as_of),
        actions=of_total(done, len(own), "action") if own else "")
