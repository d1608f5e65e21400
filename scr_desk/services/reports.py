"""The panel report's content, as at a date: plain data that the PDF and Word writers lay out.

Status and RAG "as at" a date come from the update history (the latest update on or before the
date that set them), so a report for last December reads as it would have then; "since the last
report" compares with the same view at the review's previous panel meeting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import (
    Action,
    Agency,
    Decision,
    Meeting,
    Recommendation,
    Review,
    Update,
    recommendation_contributor,
)
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import AssuranceDecision, Status
from scr_desk.domain.rules import natural_key
from scr_desk.domain.wording import count
from scr_desk.services.errors import ServiceError
from scr_desk.services.report_lines import (
    TEXT_LIMIT,
    ActionLine,
    PanelAssurance,
    RecommendationLine,
    action_line,
    recommendation_line,
    report_text,
)
from scr_desk.services.settings import partnership_name

__all__ = ["NO_REVIEWS", "TEXT_LIMIT", "ActionLine", "PanelReport", "RecommendationLine", "ReviewSection",
           "build_report", "report_text", "summary_sentence"]

PROGRESSING = {Status.IN_PROGRESS, Status.ON_HOLD}


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


def _are(number: int, singular: str = "is", plural: str = "are") -> str:
    return f"{number} {singular if number == 1 else plural}"


def summary_sentence(lines: tuple[RecommendationLine, ...]) -> tuple[str, dict[str, int]]:
    """'Of the 13 recommendations, 3 are assured, 1 is complete and awaiting assurance, 6 are in
    progress and 3 have not progressed; 2 are overdue.' Complete (an agency's word that the work
    is done) and Assured (the panel's decision) are counted apart: only the panel assures."""
    assured = sum(1 for line in lines if line.status is Status.ASSURED)
    embedded = sum(1 for line in lines if line.status is Status.EMBEDDED)
    complete = sum(1 for line in lines if line.status is Status.COMPLETE)
    going = sum(1 for line in lines if line.status in PROGRESSING)
    waiting = sum(1 for line in lines if line.status is Status.NOT_STARTED)
    closed = sum(1 for line in lines if line.status in (Status.SUPERSEDED, Status.WITHDRAWN))
    late = sum(1 for line in lines if line.days_overdue)
    parts = [f"{_are(assured)} assured"]
    if embedded:
        parts.append(f"{_are(embedded)} embedded")
    parts += [f"{_are(complete)} complete and awaiting assurance", f"{_are(going)} in progress",
              f"{_are(waiting, 'has', 'have')} not progressed"]
    if closed:
        parts.append(f"{_are(closed, 'was', 'were')} superseded or withdrawn")
    text = f"Of the {count(len(lines), 'recommendation')}, " + ", ".join(parts[:-1]) + \
        f" and {parts[-1]}; {_are(late)} overdue."
    counts = {"total": len(lines), "assured": assured, "embedded": embedded, "complete, awaiting assurance": complete,
              "in progress": going, "not progressed": waiting, "superseded or withdrawn": closed, "overdue": late}
    if not embedded:
        del counts["embedded"]
    return text, counts


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
        partnership = partnership_name(session)
        body = panel or (last_meeting.body if last_meeting else "Scrutiny panel")
        return PanelReport(partnership=report_text(partnership, 500), panel=report_text(body, 500), as_of=as_of,
                           sections=tuple(sections))


def _assurances(session: Session, rec_ids: list[int], as_of: date) -> dict[int, PanelAssurance]:
    """Each recommendation's latest panel decision that assured or embedded it, as at the date."""
    found: dict[int, PanelAssurance] = {}
    rows = session.execute(select(Decision.recommendation_id, Decision.decision, Decision.comment, Meeting.body,
                                  Meeting.held_on).join(Meeting, Decision.meeting_id == Meeting.id)
                           .where(Decision.recommendation_id.in_(rec_ids), Meeting.held_on <= as_of,
                                  Decision.decision.in_((AssuranceDecision.CLOSED, AssuranceDecision.EMBEDDED)))
                           .order_by(Meeting.held_on, Decision.id))
    for rec_id, decision, comment, body, held_on in rows:
        found[rec_id or 0] = PanelAssurance(decision=decision, panel=report_text(body, 500), on=held_on,
                                       comment=report_text(comment))
    return found


def _section(session: Session, review: Review, agencies: dict[int, str], as_of: date,
             previous: date | None) -> ReviewSection:
    recs = sorted(session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)),
                  key=lambda r: (r.position, natural_key(r.number)))
    ids = [r.id for r in recs]
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in session.scalars(select(Action).where(Action.recommendation_id.in_(ids))):
        actions[action.recommendation_id].append(action)
    action_ids = [a.id for own in actions.values() for a in own]
    history: dict[int, list[Update]] = defaultdict(list)
    action_history: dict[int, list[Update]] = defaultdict(list)
    for update in session.scalars(select(Update).where(or_(Update.recommendation_id.in_(ids),
                                                           Update.action_id.in_(action_ids)))
                                  .order_by(Update.as_at, Update.id)):
        if update.recommendation_id is not None:
            history[update.recommendation_id].append(update)
        elif update.action_id is not None:
            action_history[update.action_id].append(update)
    contributors: dict[int, list[str]] = defaultdict(list)
    for rec_id, agency_id in session.execute(select(recommendation_contributor).where(
            recommendation_contributor.c.recommendation_id.in_(ids))):
        contributors[rec_id].append(agencies.get(agency_id, ""))
    assurances = _assurances(session, ids, as_of)
    lines = []
    for rec in recs:
        own = sorted(actions.get(rec.id, []), key=lambda a: (a.position, natural_key(a.number)))
        action_lines = tuple(action_line(a, rec, review.code, action_history[a.id], agencies, as_of) for a in own)
        lines.append(recommendation_line(rec, review.code, history[rec.id], agencies, contributors[rec.id], as_of,
                                         previous, assurances.get(rec.id), action_lines))
    summary, counts = summary_sentence(tuple(lines))
    return ReviewSection(name=report_text(review.name, 500), review_type=review.review_type.value,
                         reference=report_text(review.reference, 500), previous_report=previous, lines=tuple(lines),
                         summary=summary, counts=counts)
