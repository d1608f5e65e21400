"""One recommendation, and each of its actions, as the panel report shows them at a date.

Status and RAG "as at" a date come from the update history. A recommendation whose progress is
recorded on its actions (a tracker with an Action column) is never shown as empty: it carries its
actions' roll-up (the worst RAG of its open actions, their latest target and their latest update)
and each action's own line. Assurance is the panel's decision: a line says "assured by the panel
on ..." only where a recorded decision says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from scr_desk.db.models import Action, Recommendation, Update
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import DONE_STATUSES, RAG_SEVERITY_ORDER, AssuranceDecision, Rag, Status
from scr_desk.domain.rules import action_reference, days_overdue, effective_target, recommendation_reference, shown_rag
from scr_desk.domain.wording import of_total
from scr_desk.services.updates import is_form_change

__all__ = [
    "ActionLine", "LatestUpdate", "PanelAssurance", "RecommendationLine", "TEXT_LIMIT", "Target", "action_line",
    "recommendation_line", "report_text", "state_at", "target_of", "worst_rag",
]


TEXT_LIMIT = 4000  # characters of any one text a report shows; the rest is noted, not printed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def worst_rag(rags: Iterable[Rag | None]) -> Rag | None:
    rated = [rag for rag in rags if rag in RAG_SEVERITY_ORDER]
    return min(rated, key=RAG_SEVERITY_ORDER.index) if rated else None


def report_text(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """A text as a report may print it: control characters (which Word's XML cannot hold) become
    spaces, and a text longer than `limit` is cut with a visible note of how much more there is."""
    text = text or ""
    clean = _CONTROL.sub(" ", text[:limit])  # cut first: a 150-million-character text is not scanned whole
    if len(text) <= limit:
        return clean
    return clean.rstrip() + f" … (continues: {len(text) - limit:,} more characters in the database)"


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    """The date in force (the revised one where a target was revised), the original beside it
    when it was revised, and a target note ("Ongoing") where there is no date."""

    due: date | None
    original: date | None  # only when a revision moved it
    note: str

    @property
    def text(self) -> str:
        if self.due is None:
            return self.note or "No target set"
        if self.original is not None:
            return f"{format_uk(self.due)} (revised; originally {format_uk(self.original)})"
        return format_uk(self.due)


def target_of(target: date | None, revised: date | None, note: str) -> Target:
    due = effective_target(target, revised)
    original = target if revised is not None and target is not None and target != revised else None
    return Target(due=due, original=original, note=report_text(note, 200))


@dataclass(frozen=True, kw_only=True, slots=True)
class LatestUpdate:
    text: str
    agency: str
    on: date
    action: str = ""  # the action's number when the update was recorded on an action

    @property
    def signature(self) -> str:
        where = f", on action {self.action}" if self.action else ""
        return f"{self.agency or 'Agency not recorded'}, {format_uk(self.on)}{where}"


@dataclass(frozen=True, kw_only=True, slots=True)
class PanelAssurance:
    decision: AssuranceDecision
    panel: str
    on: date
    comment: str

    @property
    def text(self) -> str:
        verb = "Assured" if self.decision is AssuranceDecision.CLOSED else "Embedded, as decided"
        said = f": {self.comment}" if self.comment else ""
        return f"{verb} by the panel ({self.panel}) on {format_uk(self.on)}{said}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionLine:
    number: str
    reference: str
    text: str
    owner: str
    status: Status
    rag: Rag | None
    target: Target
    latest: LatestUpdate | None
    days_overdue: int


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
    target: Target
    own_latest: LatestUpdate | None  # the latest update recorded on the recommendation itself
    evidence: str
    days_overdue: int
    assurance: PanelAssurance | None  # the decision that assured or embedded it, if one did
    action_lines: tuple[ActionLine, ...] = ()

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

    @property
    def open_actions(self) -> tuple[ActionLine, ...]:
        return tuple(a for a in self.action_lines if not a.status.is_closed)

    @property
    def actions_rag(self) -> Rag | None:
        """The worst RAG of the open actions (Blue when every live action is done)."""
        live = [a for a in self.action_lines if a.status not in (Status.SUPERSEDED, Status.WITHDRAWN)]
        if live and all(a.status in DONE_STATUSES for a in live):
            return Rag.BLUE
        return worst_rag(a.rag for a in self.open_actions)

    @property
    def headline_rag(self) -> Rag | None:
        """The RAG a one-line view shows: its own rating, else its actions' roll-up."""
        return self.rag if self.rag is not None else self.actions_rag

    @property
    def actions_target(self) -> date | None:
        """The latest target among the open actions (among all of them when none is open)."""
        chosen = self.open_actions or self.action_lines
        dates = [a.target.due for a in chosen if a.target.due is not None]
        return max(dates) if dates else None

    @property
    def latest(self) -> LatestUpdate | None:
        """The newest update on the recommendation or any of its actions."""
        candidates = [u for u in (self.own_latest, *(replace(a.latest, action=a.number) for a in self.action_lines
                                                      if a.latest is not None)) if u is not None]
        return max(candidates, key=lambda u: u.on) if candidates else None

    @property
    def actions(self) -> str:
        """'2 of 3 actions complete', or '' for a recommendation without actions."""
        if not self.action_lines:
            return ""
        done = sum(1 for a in self.action_lines if a.status in DONE_STATUSES)
        return of_total(done, len(self.action_lines), "action")

    @property
    def rag_text(self) -> str:
        if self.rag is not None:
            return self.rag.value
        if self.actions_rag is not None:
            return f"{self.actions_rag.value}{self.actions_rag_reason}"
        return "not rated"

    @property
    def actions_rag_reason(self) -> str:
        return ", the worst of its open actions" if self.open_actions else ", its actions all done"

    @property
    def target_text(self) -> str:
        """Its own target (in force, with the original where revised), else its actions' latest."""
        if self.target.due is None and not self.target.note and self.actions_target is not None:
            return f"{format_uk(self.actions_target)} (the latest of its actions)"
        return self.target.text

    @property
    def status_text(self) -> str:
        if self.status is Status.COMPLETE:
            return "Complete, awaiting the panel's assurance"
        if self.status in (Status.ASSURED, Status.EMBEDDED) and self.assurance is None:
            return f"{self.status.value} (no panel decision is recorded)"
        return self.status.value

    @property
    def actions_summary(self) -> str:
        """'1 of 3 actions complete; open actions at worst Red; latest target 31/03/2027'."""
        parts = [self.actions]
        if self.open_actions:
            rag = worst_rag(a.rag for a in self.open_actions)
            parts.append(f"open actions at worst {rag.value}" if rag else "open actions not rated")
        if self.actions_target is not None:
            parts.append(f"latest target {format_uk(self.actions_target)}")
        return "; ".join(parts)


def state_at(history: list[Update], day: date | None) -> tuple[Status | None, Rag | None]:
    status = rag = None
    for update in history:
        if day is not None and update.as_at > day:
            break
        status = update.status or status
        rag = update.rag or rag
    return status, rag


def _latest(past: list[Update], agencies: dict[int, str]) -> LatestUpdate | None:
    # What a person wrote: the line the detail form records for a status or RAG chosen there
    # says nothing the status row does not, and would hide the last real progress.
    written = [u for u in past if (u.narrative or "").strip() and not is_form_change(u)]
    if not written:
        return None
    latest = written[-1]
    return LatestUpdate(text=report_text(latest.narrative), agency=report_text(agencies.get(latest.agency_id or 0, ""),
                                                                                  500), on=latest.as_at)


def _shown_state(item: Recommendation | Action, history: list[Update], as_of: date) -> tuple[Status, Rag | None]:
    past = [u for u in history if u.as_at <= as_of]
    status, rag = state_at(past, as_of)
    status = status or (item.status if not history else Status.NOT_STARTED)
    rag = rag if past else item.rag
    if as_of >= date.today():
        # As at today the record itself is the truth (the tree shows it), whatever the
        # history says: an edit made before edits were recorded as updates still counts.
        status, rag = item.status, item.rag
    return status, shown_rag(status, rag)


def action_line(action: Action, rec: Recommendation, review_code: str, history: list[Update],
                agencies: dict[int, str], as_of: date) -> ActionLine:
    status, rag = _shown_state(action, history, as_of)
    owner = " · ".join(x for x in (agencies.get(action.owner_agency_id or 0, ""), action.owner_name) if x)
    return ActionLine(
        number=report_text(action.number, 50),
        reference=report_text(action_reference(review_code, rec.number, action.number), 80),
        text=report_text(action.text), owner=report_text(owner, 500), status=status, rag=rag,
        target=target_of(action.target_date, action.revised_target_date, action.target_note),
        latest=_latest([u for u in history if u.as_at <= as_of], agencies),
        days_overdue=days_overdue(status, action.target_date, action.revised_target_date, as_of))


def recommendation_line(rec: Recommendation, review_code: str, history: list[Update], agencies: dict[int, str],
                        contributors: list[str], as_of: date, previous: date | None,
                        assurance: PanelAssurance | None, action_lines: tuple[ActionLine, ...]) -> RecommendationLine:
    """One recommendation as the report shows it at `as_of`, and as it stood at the previous panel."""
    past = [u for u in history if u.as_at <= as_of]
    status, rag = _shown_state(rec, history, as_of)
    prev_status, prev_rag = state_at(past, previous) if previous else (None, None)
    assured = status in (Status.ASSURED, Status.EMBEDDED)
    return RecommendationLine(
        number=report_text(rec.number, 50),
        reference=report_text(recommendation_reference(review_code, rec.number), 80),
        text=report_text(rec.text), lead=report_text(agencies.get(rec.lead_agency_id or 0, ""), 500),
        contributors=tuple(sorted(report_text(c, 500) for c in contributors)), status=status, rag=rag,
        previous_status=prev_status,
        previous_rag=shown_rag(prev_status, prev_rag) if prev_status else prev_rag,
        target=target_of(rec.target_date, rec.revised_target_date, rec.target_note),
        own_latest=_latest(past, agencies),
        evidence=report_text(next((u.evidence for u in reversed(past) if u.evidence), "")),
        days_overdue=days_overdue(status, rec.target_date, rec.revised_target_date, as_of),
        assurance=assurance if assured else None, action_lines=action_lines)
