"""Frozen rows handed from services to the UI and the command line: never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from scr_desk.domain.enums import AssuranceDecision, ItemKind, Rag, ReviewStatus, ReviewType, Scope, SourceKind, Status

__all__ = [
    "ActionRow", "AgencyRow", "AttendeeRow", "AuditRow", "DecisionRow", "ItemKey", "MeetingRow", "RecommendationRow",
    "ReviewRow", "UpdateRow",
]


class ItemKey(NamedTuple):
    """Which review, recommendation or action: the one identity the tree, the services and the
    workbooks share. A NamedTuple, so it equals the plain (kind, id) tuple it replaces."""

    kind: ItemKind
    id: int

    @classmethod
    def of(cls, kind: str | ItemKind, item_id: int) -> ItemKey:
        return cls(ItemKind(kind), int(item_id))

    @classmethod
    def pointed_at(cls, recommendation_id: int | None, action_id: int | None) -> ItemKey:
        """What an update or a decision belongs to, from its two columns (one of them set)."""
        if recommendation_id is not None:
            return cls(ItemKind.RECOMMENDATION, recommendation_id)
        return cls(ItemKind.ACTION, action_id or 0)

    @classmethod
    def recommendation(cls, item_id: int) -> ItemKey:
        return cls(ItemKind.RECOMMENDATION, item_id)

    @classmethod
    def action(cls, item_id: int) -> ItemKey:
        return cls(ItemKind.ACTION, item_id)


@dataclass(frozen=True)
class AgencyRow:
    id: int
    uid: str
    name: str
    code: str
    contact_name: str = ""
    contact_email: str = ""  # one or more addresses, "; "-separated
    phone: str = ""

    @property
    def emails(self) -> list[str]:
        from scr_desk.domain.contacts import split_addresses
        return split_addresses(self.contact_email)


@dataclass(frozen=True)
class ReviewRow:
    id: int
    uid: str
    position: int
    review_type: ReviewType
    name: str
    code: str
    reference: str = ""
    partnership: str = ""
    reviewer: str = ""
    commissioned_on: date | None = None
    endorsed_on: date | None = None
    published_on: date | None = None
    report_url: str = ""
    response_url: str = ""
    summary: str = ""
    status: ReviewStatus = ReviewStatus.MONITORING


@dataclass(frozen=True)
class RecommendationRow:
    id: int
    uid: str
    review_id: int
    reference: str
    number: str
    position: int
    text: str
    scope: Scope
    themes: tuple[str, ...]
    lead_agency_id: int | None
    contributor_ids: tuple[int, ...]
    target_date: date | None
    revised_target_date: date | None
    status: Status
    rag: Rag | None
    version: int
    target_note: str = ""  # words in place of a date: "Ongoing", "6 months from publication"


@dataclass(frozen=True)
class ActionRow:
    id: int
    uid: str
    recommendation_id: int
    reference: str
    number: str
    position: int
    text: str
    owner_agency_id: int | None
    owner_name: str
    target_date: date | None
    revised_target_date: date | None
    success_measure: str
    status: Status
    rag: Rag | None
    version: int
    target_note: str = ""


@dataclass(frozen=True)
class UpdateRow:
    id: int
    uid: str
    item: ItemKey  # a recommendation or an action
    as_at: date
    period: str
    agency_id: int | None
    agency_name: str
    author: str
    narrative: str
    evidence: str
    status: Status | None
    rag: Rag | None
    previous_status: Status | None
    previous_rag: Rag | None
    source_kind: SourceKind
    source_detail: str
    import_batch_id: int | None
    meeting_id: int | None
    created_at: datetime
    corrected_at: datetime | None = None  # when its text was first corrected
    corrected_from: str = ""  # what it said before that correction


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    role: str = ""
    agency_id: int | None = None
    uid: str = ""  # as stored; "" for one not stored yet (kept by name, role and agency)


@dataclass(frozen=True)
class DecisionRow:
    item: ItemKey  # a recommendation or an action
    decision: AssuranceDecision
    comment: str = ""
    id: int = 0


@dataclass(frozen=True)
class MeetingRow:
    id: int
    uid: str
    body: str
    held_on: date
    agenda_item: str
    notes: str
    review_id: int | None
    attendees: tuple[AttendeeRow, ...] = field(default=())
    decisions: tuple[DecisionRow, ...] = field(default=())


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user: str
    entity: str
    entity_uid: str
    action: str
    field: str
    old_value: str | None
    new_value: str | None
    source: str
