"""The fixed vocabularies of the domain, stored in the database by their readable value."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

__all__ = [
    "AGENCY_STATUSES", "AssuranceDecision", "DONE_STATUSES", "ImportKind", "ItemKind", "LabelledEnum", "ProposalState",
    "RAG_DESCRIPTIONS", "RAG_SEVERITY_ORDER", "Rag", "ReviewStatus", "ReviewType", "STATUS_DESCRIPTIONS", "Scope",
    "SourceKind", "Status",
]


class LabelledEnum(StrEnum):
    """A str enum whose value is the label users see and the text stored on disk."""

    @classmethod
    def from_text(cls, text: str) -> Self:
        """Find a member by its value or name, ignoring case and spacing."""
        wanted = " ".join(text.replace("_", " ").split()).casefold()
        for member in cls:
            if wanted in (member.value.casefold(), member.name.casefold().replace("_", " ")):
                return member
        raise ValueError(f"{text!r} is not a {cls.__name__} ({', '.join(m.value for m in cls)})")

    def __str__(self) -> str:
        # A stored value this version does not know (see scr_desk.db.types) is shown marked.
        return f"{self.value} (unknown)" if getattr(self, "unknown", False) else self.value


class Status(LabelledEnum):
    """Lifecycle of a recommendation or an action."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETE = "Complete"
    ASSURED = "Assured"
    EMBEDDED = "Embedded"
    ON_HOLD = "On hold"
    SUPERSEDED = "Superseded"
    WITHDRAWN = "Withdrawn"

    @property
    def is_done(self) -> bool:
        """Complete or beyond: the work is finished, so it can no longer be overdue."""
        return self in DONE_STATUSES

    @property
    def is_closed(self) -> bool:
        """Nothing more is expected: done, or taken off the books."""
        return self in DONE_STATUSES or self in (Status.SUPERSEDED, Status.WITHDRAWN)

    @property
    def description(self) -> str:
        return STATUS_DESCRIPTIONS.get(self, "A status this version of SCR Desk does not know.")


DONE_STATUSES = frozenset({Status.COMPLETE, Status.ASSURED, Status.EMBEDDED})
# What a partner agency may report in a return; Assured and Embedded are the panel's decisions,
# Superseded and Withdrawn the partnership's, so they come only from the lead or a meeting.
AGENCY_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE, Status.ON_HOLD)

STATUS_DESCRIPTIONS = {
    Status.NOT_STARTED: "No work has begun.",
    Status.IN_PROGRESS: "Work is under way.",
    Status.COMPLETE: "The agency reports the work done and has submitted evidence.",
    Status.ASSURED: "The panel has seen the evidence and closed the item.",
    Status.EMBEDDED: "Impact on practice has been evidenced.",
    Status.ON_HOLD: "Paused by agreement; give the reason in the update.",
    Status.SUPERSEDED: "Replaced by a later recommendation or action.",
    Status.WITHDRAWN: "No longer pursued, by the partnership's decision.",
}


class Rag(LabelledEnum):
    """Red/Amber/Green rating of progress; Blue marks completed items."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"

    @property
    def letter(self) -> str:
        return self.value[:1]

    @property
    def description(self) -> str:
        return RAG_DESCRIPTIONS.get(self, "A rating this version of SCR Desk does not know.")

    @classmethod
    def parse(cls, text: str) -> Rag:
        """Read a RAG from what people type: 'R', 'red', 'Amber/Green' (the worse one wins)."""
        cleaned = " ".join(str(text).split()).casefold()
        if not cleaned:
            raise ValueError("an empty RAG rating")
        parts = [p.strip() for p in cleaned.replace("-", "/").split("/") if p.strip()]
        found: list[Rag] = []
        for part in parts:
            for member in cls:
                if part in (member.value.casefold(), member.letter.casefold()):
                    found.append(member)
                    break
            else:
                raise ValueError(f"{text!r} is not a RAG rating (Red, Amber, Green or Blue)")
        # A split rating such as Amber/Green is reported at its more cautious colour.
        return min(found, key=lambda r: RAG_SEVERITY_ORDER.index(r))


RAG_SEVERITY_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]

RAG_DESCRIPTIONS = {
    Rag.RED: "Significant risk, or not progressing.",
    Rag.AMBER: "Issues identified; continue monitoring.",
    Rag.GREEN: "On track.",
    Rag.BLUE: "Complete.",
}


class ReviewType(LabelledEnum):
    SCR = "Serious Case Review"
    LCSPR = "Local Child Safeguarding Practice Review"
    RAPID_REVIEW = "Rapid Review"
    SAR = "Safeguarding Adults Review"
    SAR_RAPID_TIME = "SAR in Rapid Time"
    DHR = "Domestic Homicide Review"
    THEMATIC = "Thematic review"
    AUDIT = "Multi-agency audit"
    OTHER = "Other"

    @property
    def short(self) -> str:
        return _REVIEW_TYPE_SHORT.get(self, self.value)


_REVIEW_TYPE_SHORT = {
    ReviewType.SCR: "SCR",
    ReviewType.LCSPR: "LCSPR",
    ReviewType.SAR: "SAR",
    ReviewType.SAR_RAPID_TIME: "SARRT",
    ReviewType.DHR: "DHR",
}


class ReviewStatus(LabelledEnum):
    COMMISSIONED = "Commissioned"
    IN_PROGRESS = "Review in progress"
    PUBLISHED = "Published"
    MONITORING = "Monitoring recommendations"
    CLOSED = "Closed"


class Scope(LabelledEnum):
    LOCAL = "Local"
    REGIONAL = "Regional"
    NATIONAL = "National"


class AssuranceDecision(LabelledEnum):
    ACCEPTED = "Accepted"
    CHALLENGED = "Challenged"
    CLOSED = "Closed"
    EMBEDDED = "Embedded"

    @property
    def resulting_status(self) -> Status | None:
        """The status a panel decision moves an item to, if any."""
        return {AssuranceDecision.CLOSED: Status.ASSURED,
                AssuranceDecision.EMBEDDED: Status.EMBEDDED}.get(self)


class SourceKind(LabelledEnum):
    TYPED = "Typed in"
    IMPORTED = "Imported"
    MINUTED = "Minuted"


class ItemKind(LabelledEnum):
    """What a node of the record is. A str enum, so it equals and hashes as its value."""

    REVIEW = "review"
    RECOMMENDATION = "recommendation"
    ACTION = "action"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ImportKind(LabelledEnum):
    RETURNS = "returns"
    FULL = "full"
    LEGACY = "legacy"


class ProposalState(LabelledEnum):
    """Where a partner's proposal stands: waiting for the lead, or decided."""

    WAITING = "Waiting"
    ACCEPTED = "Accepted"
    DECLINED = "Declined"
