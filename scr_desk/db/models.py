"""The record: agencies, reviews, recommendations, actions, updates, meetings, batches, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Table, UniqueConstraint
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from scr_desk.db.base import Base, new_uid, utc_now
from scr_desk.db.types import CleanName, TolerantEnum, TolerantString, TolerantText
from scr_desk.domain.enums import (
    AssuranceDecision,
    ImportKind,
    ProposalState,
    Rag,
    ReviewStatus,
    ReviewType,
    Scope,
    SourceKind,
    Status,
)
from scr_desk.domain.names import clean_name, name_key

__all__ = [
    "Action", "Agency", "AgencyAlias", "AppMeta", "Attendee", "AuditEntry", "Decision", "ImportBatch", "Meeting",
    "NAME_LENGTH", "Proposal", "Recommendation", "ReturnChase", "ReturnExport", "ReturnExportRow", "ReturnReceipt",
    "Review", "TeamMember", "Update", "created_col", "recommendation_contributor", "uid_col",
]


def _enum(kind: type) -> TolerantEnum:
    # Stored by readable value as plain text, so the file stays legible to other tools and a
    # new member never needs a table rebuild. Read tolerantly: a value this version does not
    # know (from a newer version, or another tool) is shown as it is, marked unknown, and never
    # stops the record from loading.
    return TolerantEnum(kind)


# Long enough for the longest real names ("Hampshire and Isle of Wight Integrated Care Board ..."),
# so a name is stored whole or refused with a sentence, never cut.
NAME_LENGTH = 500

uid_col = Annotated[str, mapped_column(TolerantString(32), unique=True, default=new_uid)]
created_col = Annotated[datetime, mapped_column(default=utc_now)]

recommendation_contributor = Table(
    "recommendation_contributor", Base.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True),
)


class AppMeta(Base):
    """Key/value facts about the file itself, such as the database's own id."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(TolerantString(60), primary_key=True)
    value: Mapped[str] = mapped_column(TolerantText)


def _name_key_of_row(context: DefaultExecutionContext) -> str:
    """The name key of a row inserted without one (a plain insert of many rows)."""
    parameters: dict[str, object] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return name_key(str(parameters.get("name") or ""))


class Agency(Base):
    """A partner agency. Its name is cleaned on the way in, and `name_key` (NFKC + case folded,
    see scr_desk.domain.names) is the one unique key every lookup of a name uses."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    name: Mapped[str] = mapped_column(CleanName(NAME_LENGTH), unique=True)
    name_key: Mapped[str] = mapped_column(TolerantString(NAME_LENGTH), unique=True, default=_name_key_of_row)
    code: Mapped[str] = mapped_column(TolerantString(30), unique=True)
    contact_name: Mapped[str] = mapped_column(TolerantString(200), default="")
    # One or more addresses, "; "-separated in the order given (the first is the contact's own).
    contact_email: Mapped[str] = mapped_column(TolerantText, default="")
    phone: Mapped[str] = mapped_column(TolerantString(60), default="")

    @validates("name")
    def _keyed(self, _field: str, value: str) -> str:
        cleaned = clean_name(value) if isinstance(value, str) else value
        self.name_key = name_key(cleaned or "")
        return cleaned


class AgencyAlias(Base):
    """A name an agency was known by before it was merged into another: a tracker, or a person,
    naming it still finds the agency it became (never "1 new agency" for one merged away)."""

    __tablename__ = "agency_alias"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(TolerantString(NAME_LENGTH), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)


class Review(Base):
    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    position: Mapped[int] = mapped_column(default=0)
    review_type: Mapped[ReviewType] = mapped_column(_enum(ReviewType))
    name: Mapped[str] = mapped_column(TolerantString(NAME_LENGTH))
    code: Mapped[str] = mapped_column(TolerantString(30), unique=True)
    reference: Mapped[str] = mapped_column(TolerantString(100), default="")
    partnership: Mapped[str] = mapped_column(TolerantString(200), default="")
    reviewer: Mapped[str] = mapped_column(TolerantString(200), default="")
    commissioned_on: Mapped[date | None]
    endorsed_on: Mapped[date | None]
    published_on: Mapped[date | None]
    report_url: Mapped[str] = mapped_column(TolerantText, default="")
    response_url: Mapped[str] = mapped_column(TolerantText, default="")
    summary: Mapped[str] = mapped_column(TolerantText, default="")
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus), default=ReviewStatus.MONITORING)
    created_at: Mapped[created_col]

    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Recommendation.position")


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("review_id", "number", name="review_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(TolerantString(20))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(TolerantText, default="")
    scope: Mapped[Scope] = mapped_column(_enum(Scope), default=Scope.LOCAL)
    themes: Mapped[str] = mapped_column(TolerantText, default="")  # "; "-separated tags
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    target_date: Mapped[date | None]
    revised_target_date: Mapped[date | None]
    target_note: Mapped[str] = mapped_column(TolerantText, default="")  # "Ongoing", "6 months from publication"
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NOT_STARTED)
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    # Bumped on every change; a return carries the version it was exported at, so an import
    # can tell an item changed in the database since the export (a conflict) from one not.
    version: Mapped[int] = mapped_column(default=1)

    review: Mapped[Review] = relationship(back_populates="recommendations")
    lead_agency: Mapped[Agency | None] = relationship()
    contributors: Mapped[list[Agency]] = relationship(secondary=recommendation_contributor,
                                                      order_by="Agency.name")
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Action.position")


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("recommendation_id", "number", name="recommendation_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(TolerantString(20))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(TolerantText, default="")
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    owner_name: Mapped[str] = mapped_column(TolerantString(200), default="")
    target_date: Mapped[date | None]
    revised_target_date: Mapped[date | None]
    target_note: Mapped[str] = mapped_column(TolerantText, default="")
    success_measure: Mapped[str] = mapped_column(TolerantText, default="")
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NOT_STARTED)
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    version: Mapped[int] = mapped_column(default=1)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    owner_agency: Mapped[Agency | None] = relationship()


class Meeting(Base):
    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    body: Mapped[str] = mapped_column(TolerantString(200))
    held_on: Mapped[date]
    agenda_item: Mapped[str] = mapped_column(TolerantString(200), default="")
    notes: Mapped[str] = mapped_column(TolerantText, default="")
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), index=True)

    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Attendee.position")
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True)


class Attendee(Base):
    __tablename__ = "attendee"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(TolerantString(200))
    role: Mapped[str] = mapped_column(TolerantString(300), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    agency: Mapped[Agency | None] = relationship()


class Decision(Base):
    """The panel's assurance decision on one recommendation or action at one meeting."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint(
        "(recommendation_id IS NULL) != (action_id IS NULL)", name="one_target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    decision: Mapped[AssuranceDecision] = mapped_column(_enum(AssuranceDecision))
    comment: Mapped[str] = mapped_column(TolerantText, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class ImportBatch(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    file_name: Mapped[str] = mapped_column(TolerantText)
    file_hash: Mapped[str] = mapped_column(TolerantString(64), index=True)
    kind: Mapped[ImportKind] = mapped_column(_enum(ImportKind))
    imported_at: Mapped[created_col]
    counts: Mapped[str] = mapped_column(TolerantText, default="{}")  # JSON
    undone_at: Mapped[datetime | None]


class Update(Base):
    """Append-only progress record; a correction rewrites it and keeps the old text in audit."""

    __tablename__ = "progress_update"
    __table_args__ = (
        CheckConstraint("(recommendation_id IS NULL) != (action_id IS NULL)", name="one_target"),
        # By item, then period: an item's newest period and an agency's updates for a period come
        # from the index alone (a return's import asks both for thousands of items at once).
        Index("ix_progress_update_recommendation_period", "recommendation_id", "period"),
        Index("ix_progress_update_action_period", "action_id", "period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    as_at: Mapped[date]
    period: Mapped[str] = mapped_column(TolerantString(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(TolerantString(200), default="")
    narrative: Mapped[str] = mapped_column(TolerantText, default="")
    evidence: Mapped[str] = mapped_column(TolerantText, default="")
    status: Mapped[Status | None] = mapped_column(_enum(Status))
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    source_kind: Mapped[SourceKind] = mapped_column(_enum(SourceKind), default=SourceKind.TYPED)
    source_detail: Mapped[str] = mapped_column(TolerantText, default="")
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    created_at: Mapped[created_col]
    # For an update imported from a return: which export, row and content it came from, so the
    # same return imported again (even by another process at the same moment) adds nothing.
    origin_key: Mapped[str | None] = mapped_column(TolerantString(64), index=True)

    agency: Mapped[Agency | None] = relationship()


class AuditEntry(Base):
    """Who changed what, when, from where. Rows are only ever added."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[created_col]
    user: Mapped[str] = mapped_column(TolerantString(100), default="")
    entity: Mapped[str] = mapped_column(TolerantString(40))
    entity_uid: Mapped[str] = mapped_column(TolerantString(32), index=True)
    action: Mapped[str] = mapped_column(TolerantString(20))  # created / changed / deleted / restored
    field: Mapped[str] = mapped_column(TolerantString(60), default="")
    old_value: Mapped[str | None] = mapped_column(TolerantText)
    new_value: Mapped[str | None] = mapped_column(TolerantText)
    source: Mapped[str] = mapped_column(TolerantText, default="")
    import_batch_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ReturnExport(Base):
    """A return workbook as it was sent: the database's own record, against which the file that
    comes back is checked. The workbook carries only the export id and a signature."""

    __tablename__ = "return_export"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]  # the export id written into the workbook
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"), index=True)
    agency_uid: Mapped[str] = mapped_column(TolerantString(32))
    agency_name: Mapped[str] = mapped_column(TolerantString(NAME_LENGTH))
    period: Mapped[str] = mapped_column(TolerantString(20))
    deadline: Mapped[date]
    file_name: Mapped[str] = mapped_column(TolerantText, default="")
    exported_at: Mapped[created_col]
    format_version: Mapped[int] = mapped_column(default=2)
    row_count: Mapped[int] = mapped_column(default=0)
    # Where the workbook was written, and its cover as written (partnership, time, version), so
    # a chaser attaches the very file, or rebuilds it from this record when it has gone.
    written_to: Mapped[str] = mapped_column(TolerantText, default="")
    partnership: Mapped[str] = mapped_column(TolerantText, default="")
    shown_at: Mapped[datetime | None]
    app_version: Mapped[str] = mapped_column(TolerantString(40), default="")

    rows: Mapped[list[ReturnExportRow]] = relationship(
        back_populates="export", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ReturnExportRow.position")


class ReturnExportRow(Base):
    """One row of a return as sent: which item, at which version, with which locked values."""

    __tablename__ = "return_export_row"
    __table_args__ = (UniqueConstraint("export_id", "item_key", name="export_item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("return_export.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    item_key: Mapped[str] = mapped_column(TolerantString(60))  # "recommendation:<uid>" or "action:<uid>"
    version: Mapped[int] = mapped_column(default=1)
    locked: Mapped[str] = mapped_column(TolerantText, default="{}")  # JSON: column key -> value as sent
    # JSON: every value of the row as written (empty for a return sent before rows were kept whole)
    shown: Mapped[str] = mapped_column(TolerantText, default="")

    export: Mapped[ReturnExport] = relationship(back_populates="rows")


class ReturnReceipt(Base):
    """A return that came back: the import that landed it, and what it brought. Goes with its
    import batch; an undone import no longer counts (the board reads `undone_at`)."""

    __tablename__ = "return_receipt"
    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("return_export.id", ondelete="CASCADE"), index=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[created_col]
    rows_landed: Mapped[int] = mapped_column(default=0)
    rows_left_out: Mapped[int] = mapped_column(default=0)  # conflicts left out, rows with nowhere to go


class ReturnChase(Base):
    """A chaser drafted for a return not yet in: when, and the draft's file name."""

    __tablename__ = "return_chase"
    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("return_export.id", ondelete="CASCADE"), index=True)
    chased_at: Mapped[created_col]
    chased_on: Mapped[date]
    file_name: Mapped[str] = mapped_column(TolerantText, default="")


class Proposal(Base):
    """A partner's proposed status, RAG or target that was recorded with its update but not
    applied: it waits for the lead, who accepts or declines it (dated, audited). A declined
    proposal stays on its update."""

    __tablename__ = "proposal"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id", ondelete="CASCADE"), unique=True)
    export_id: Mapped[int | None] = mapped_column(ForeignKey("return_export.id", ondelete="SET NULL"), index=True)
    status: Mapped[Status | None] = mapped_column(_enum(Status))
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    revised_target_date: Mapped[date | None]
    state: Mapped[ProposalState] = mapped_column(_enum(ProposalState), default=ProposalState.WAITING, index=True)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str] = mapped_column(TolerantString(100), default="")

    update: Mapped[Update] = relationship()


class TeamMember(Base):
    """A person who changes the record, by the name the audit trail records them under (on a
    server, their PostgreSQL role; on a file, their login name), with the name shown for them."""

    __tablename__ = "team_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[uid_col]
    login: Mapped[str] = mapped_column(TolerantString(100), unique=True)  # AuditEntry.user holds the same
    display_name: Mapped[str] = mapped_column(TolerantString(200), default="")
