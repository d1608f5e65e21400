"""Undo and redo of every kind of change the window makes, without a window (issue 25, item 3):
each is an edit object in services/edits, run here as the window's undo stack runs it. After
every undo the records are exactly as before the change, after every redo exactly as after it,
twice over; each step is in the audit trail as the undo or the redo it is, written as the
connecting role (on the server) or the computer's user (on a file). A step whose value was
changed since by someone else is refused and changes nothing. On a file and on a server.

The window's kinds of change, from its actions (ui/window_actions.py, the detail pane, the
agencies list, the meeting dialog, the returns board): a field typed, a review renamed, a status
or RAG chosen, a review/recommendation/action added, deleted or moved, an update added or
corrected, a meeting recorded, changed or deleted with its decisions, the partnership named, an
agency added, changed, deleted or merged, partners' proposals decided, and an import undone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scr_desk.db.engine import Database
from scr_desk.db.models import AuditEntry
from scr_desk.domain.dto import AttendeeRow, ItemKey
from scr_desk.domain.enums import AssuranceDecision, ItemKind, Rag, Status
from scr_desk.services import agencies, audit, items, meetings, reviews, settings, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.edits import items as item_edits
from scr_desk.services.edits.base import Edit
from scr_desk.services.edits.meetings import MeetingChange, MeetingDeletion, NewMeeting
from scr_desk.services.edits.records import (
    AgencyChange,
    AgencyDeletion,
    AgencyMerge,
    NewAgency,
    PartnershipName,
    ProposalDecisions,
)
from scr_desk.services.edits.updates import NewUpdate, UpdateCorrection
from scr_desk.services.errors import ChangedSince, StaleEditError
from scr_desk.services.imports.batches import list_batches, undo_batch
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.proposals import list_proposals
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines

# What a step leaves behind besides the records themselves: a version number counts changes, and
# a record put back is put back as it was, but a timestamp of when a row was written is new.
_BOOKKEEPING = {"version", "created_at"}


def _records(db: Database) -> Any:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in _BOOKKEEPING}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return plain(dump_records(db.sessions))


def _trail_since(db: Database, last_id: int) -> list[AuditEntry]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)))


def _last_audit_id(db: Database) -> int:
    with db.sessions() as session:
        return max(session.scalars(select(AuditEntry.id)), default=0)


def _author(db: Database) -> str:
    with db.sessions() as session:
        return audit.current_user(session)


def round_trip(db: Database, edit: Edit, more: Callable[[], object] = lambda: None) -> None:
    """Do `edit`, then undo and redo it twice: the records (and `more`) as before after each undo,
    as after the change after each redo, each step audited as itself, by the connecting author."""
    def state() -> object:
        return _records(db), more()
    before = state()
    edit.do()
    after = state()
    assert after != before, f"{edit.text} changed nothing"
    author = _author(db)
    for _ in range(2):
        for step, expected, word in ((edit.undo, before, "undo"), (edit.redo, after, "redo")):
            mark = _last_audit_id(db)
            step()
            assert state() == expected, f"{word} of {edit.text}"
            trail = _trail_since(db, mark)
            assert trail, f"the {word} of {edit.text} is in the audit trail"
            assert {entry.user for entry in trail} == {author}
            assert any(word in entry.source for entry in trail), [e.source for e in trail]


def key_of(db: Database, reference: str) -> ItemKey:
    return next(n.key for n in load_tree(db.sessions).walk() if n.reference == reference)


def first_action(db: Database) -> ItemKey:
    """The first of the two actions under CLARE-R3 (the with_actions fixture)."""
    return next(n.key for n in load_tree(db.sessions).walk() if n.key.kind == ItemKind.ACTION)


def agency(db: Database, code: str) -> Any:
    return next(a for a in agencies.list_agencies(db.sessions) if a.code == code)


# --- items ----------------------------------------------------------------------------------------

def test_a_field_typed_is_undone_and_redone_on_each_kind_of_item(with_actions: Database) -> None:
    db = with_actions
    rec = key_of(db, "CLARE-R4")
    action = first_action(db)
    review = ItemKey(ItemKind.REVIEW, items.get_recommendation(db.sessions, rec.id).review_id)
    for item, field, value in ((rec, "text", "Audit the audit"), (rec, "lead_agency_id", agency(db, "HC").id),
                               (rec, "themes", "Neglect; Housing"), (action, "target_date", "30/06/2021"),
                               (action, "owner_agency_id", agency(db, "HC").id), (review, "summary", "Updated")):
        edit = item_edits.field_change(db.sessions, item, field, value)
        assert edit is not None
        round_trip(db, edit)


def test_a_field_changed_since_by_someone_else_is_not_overwritten_by_undo(sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    edit = item_edits.field_change(sample_db.sessions, rec, "text", "Mine")
    assert edit is not None
    edit.do()
    items.update_recommendation(sample_db.sessions, rec.id, {"text": "Theirs"})  # another person, since
    before = _records(sample_db)
    with pytest.raises(ChangedSince, match="has changed since"):
        edit.undo()
    assert _records(sample_db) == before
    assert items.get_recommendation(sample_db.sessions, rec.id).text == "Theirs"


def test_a_review_renamed_is_undone_and_redone_with_its_code(sample_db: Database) -> None:
    review = reviews.list_reviews(sample_db.sessions)[0]
    edit = item_edits.field_change(sample_db.sessions, ItemKey(ItemKind.REVIEW, review.id), "name", "Avery")
    assert isinstance(edit, item_edits.ReviewRename)
    round_trip(sample_db, edit)


def test_a_status_and_a_rag_chosen_are_undone_and_redone(sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    for field, value in (("rag", Rag.RED), ("status", Status.COMPLETE)):
        edit = item_edits.field_change(sample_db.sessions, rec, field, value)
        assert isinstance(edit, item_edits.StatusOrRagChange)
        round_trip(sample_db, edit)


def test_a_rag_undone_after_a_later_update_moved_it_is_refused(sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    edit = item_edits.field_change(sample_db.sessions, rec, "rag", Rag.RED)
    assert edit is not None
    edit.do()
    updates.add_update(sample_db.sessions, rec, {"as_at": date.today(), "narrative": "Later", "rag": "Green"})
    before = _records(sample_db)
    with pytest.raises(ChangedSince):
        edit.undo()
    assert _records(sample_db) == before


def test_new_reviews_recommendations_and_actions_are_undone_and_redone_with_their_keys(
        sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    review = ItemKey(ItemKind.REVIEW, items.get_recommendation(sample_db.sessions, rec.id).review_id)
    for edit in (item_edits.new_review(sample_db.sessions), item_edits.new_item_under(sample_db.sessions, review),
                 item_edits.new_item_under(sample_db.sessions, rec)):
        round_trip(sample_db, edit)


def test_deletions_of_each_kind_of_item_are_undone_and_redone(with_actions: Database) -> None:
    db = with_actions
    action = first_action(db)
    review = ItemKey(ItemKind.REVIEW, reviews.list_reviews(db.sessions)[-1].id)
    for item in (action, key_of(db, "CLARE-R4"), review):
        round_trip(db, item_edits.deletion(db.sessions, item))


def test_moves_are_undone_and_redone_and_a_move_past_the_end_is_no_edit(with_actions: Database) -> None:
    db = with_actions
    rec = key_of(db, "CLARE-R3")
    action = first_action(db)
    item_edits.new_review(db.sessions).do()  # (the sample has one review)
    first_review = ItemKey(ItemKind.REVIEW, reviews.list_reviews(db.sessions)[0].id)
    for item, offset in ((rec, -1), (action, 1), (first_review, 1)):
        edit = item_edits.move(db.sessions, item, offset)
        assert edit is not None
        round_trip(db, edit)
    now_first = ItemKey(ItemKind.REVIEW, reviews.list_reviews(db.sessions)[0].id)
    assert item_edits.move(db.sessions, now_first, -1) is None


# --- the timeline -------------------------------------------------------------------------------

def test_an_update_added_is_undone_and_redone_with_the_status_and_rag_it_moved(sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    edit = NewUpdate(sample_db.sessions, rec, {"as_at": "10/02/2021", "narrative": "Audit done",
                                               "status": "Complete", "rag": "Green"}, "CLARE-R4")
    round_trip(sample_db, edit)


def test_a_correction_is_undone_and_redone(sample_db: Database) -> None:
    rec = key_of(sample_db, "CLARE-R4")
    shown = updates.add_update(sample_db.sessions, rec, {"as_at": "10/02/2021", "narrative": "Audit dnoe",
                                                         "rag": "Amber"})
    edit = UpdateCorrection(sample_db.sessions, shown, {"narrative": "Audit done", "rag": Rag.GREEN,
                                                        "as_at": date(2021, 2, 12)}, "CLARE-R4")
    round_trip(sample_db, edit)


# --- meetings -----------------------------------------------------------------------------------

def test_a_meeting_with_its_decisions_changed_and_deleted_is_undone_and_redone(sample_db: Database) -> None:
    db = sample_db
    rec = key_of(db, "CLARE-R4")
    review_id = items.get_recommendation(db.sessions, rec.id).review_id
    council = agency(db, "SCC")
    recorded = NewMeeting(db.sessions, review_id, {"body": "Panel", "held_on": date(2021, 3, 1), "notes": "Quorate"},
                          [AttendeeRow("A Chair", "Chair", council.id)],
                          [(rec, AssuranceDecision.CLOSED, "Evidence seen")])
    round_trip(db, recorded)
    assert recorded.meeting_id is not None
    shown = meetings.get_meeting(db.sessions, recorded.meeting_id)
    changed = MeetingChange(db.sessions, shown, {"notes": "Not quorate", "held_on": date(2021, 3, 2)},
                            [AttendeeRow("A Chair", "Chair", council.id), AttendeeRow("B Member", "", None)],
                            [(key_of(db, "CLARE-R1"), AssuranceDecision.CHALLENGED, "More needed")], review_id)
    round_trip(db, changed)
    round_trip(db, MeetingDeletion(db.sessions, meetings.get_meeting(db.sessions, recorded.meeting_id)))


# --- the partnership, its agencies, proposals, imports ------------------------------------------

def test_the_partnership_named_is_undone_and_redone_and_a_later_rename_wins(sample_db: Database) -> None:
    db = sample_db
    naming = PartnershipName(db.sessions, "Southshire Safeguarding Partnership")
    round_trip(db, naming, lambda: settings.read_partnership_name(db.sessions))
    settings.name_partnership(db.sessions, "Someone else's name")
    with pytest.raises(ChangedSince, match="partnership's name has changed since"):
        naming.undo()
    assert settings.read_partnership_name(db.sessions) == "Someone else's name"


def test_agencies_added_changed_and_deleted_are_undone_and_redone(sample_db: Database) -> None:
    db = sample_db
    made = NewAgency(db.sessions, {"name": "Youth Offending Team", "code": "YOT"})
    round_trip(db, made)
    assert made.row is not None
    round_trip(db, AgencyChange(db.sessions, made.row, {"name": "Youth Justice Service", "contact_email": "yjs@x.org"}))
    round_trip(db, AgencyDeletion(db.sessions, agency(db, "YOT")))


def test_an_agency_changed_since_is_not_put_back_by_undo(sample_db: Database) -> None:
    police = agency(sample_db, "HC")
    edit = AgencyChange(sample_db.sessions, police, {"name": "Hampshire and IOW Constabulary"})
    edit.do()
    agencies.update_agency(sample_db.sessions, police.id, {"name": "Hampshire Police"})
    with pytest.raises(ChangedSince):
        edit.undo()
    assert agency(sample_db, "HC").name == "Hampshire Police"


def _aliases(db: Database) -> object:
    from scr_desk.db.models import AgencyAlias
    with db.sessions() as session:
        return sorted(tuple(row) for row in session.execute(select(AgencyAlias.name, AgencyAlias.agency_id)))


def test_an_agency_merged_into_another_is_undone_and_redone_with_everything_it_moved(
        with_actions: Database) -> None:
    # GIVEN a duplicate of the council that leads one recommendation, owns an action, wrote an
    # update, contributes to a recommendation and attended a meeting
    db = with_actions
    council = agency(db, "SCC")
    duplicate = agencies.create_agency(db.sessions, "Southshire Council", "SC2")
    rec, other = key_of(db, "CLARE-R4"), key_of(db, "CLARE-R1")
    action = first_action(db)
    items.update_recommendation(db.sessions, rec.id, {"lead_agency_id": duplicate.id})
    items.update_recommendation(db.sessions, other.id, {"contributor_ids": [duplicate.id, council.id]})
    items.update_action(db.sessions, action.id, {"owner_agency_id": duplicate.id})
    updates.add_update(db.sessions, rec, {"as_at": "10/02/2021", "narrative": "x", "agency_id": duplicate.id})
    meetings.create_meeting(db.sessions, {"body": "Panel", "held_on": date(2021, 3, 1)},
                            [AttendeeRow("A Member", "", duplicate.id)])
    # WHEN it is merged into the council, THEN undo puts it all back, redo merges again
    merge = AgencyMerge(db.sessions, duplicate, council)
    round_trip(db, merge, lambda: _aliases(db))
    assert merge.merged is not None and merge.merged.moved == 5


def test_a_merge_whose_record_was_moved_since_is_not_undone(sample_db: Database) -> None:
    db = sample_db
    duplicate = agencies.create_agency(db.sessions, "Southshire Council", "SC2")
    rec = key_of(db, "CLARE-R4")
    items.update_recommendation(db.sessions, rec.id, {"lead_agency_id": duplicate.id})
    merge = AgencyMerge(db.sessions, duplicate, agency(db, "SCC"))
    merge.do()
    items.update_recommendation(db.sessions, rec.id, {"lead_agency_id": agency(db, "HC").id})
    before = _records(db)
    with pytest.raises(ChangedSince, match="names another agency now"):
        merge.undo()
    assert _records(db) == before


def test_proposals_decided_are_undone_and_redone(with_actions: Database, tmp_path: Path) -> None:
    db = with_actions
    police = fill(export(db, tmp_path, "HC"), {"CLARE-R1": {
        "update": "Police training complete", "proposed_status": "Complete", "proposed_rag": "Blue"}})
    apply_plan(db, plan_import(db, police))
    [waiting] = list_proposals(db.sessions)
    round_trip(db, ProposalDecisions(db.sessions, [waiting.id], []),
               lambda: [p.id for p in list_proposals(db.sessions)])


def test_an_import_is_undone_to_the_records_before_it(with_actions: Database, tmp_path: Path) -> None:
    # The window's import entry on the undo stack hands over to the batch's own undo (an import is
    # not redone: the lead imports the workbook again).
    db = with_actions
    before = _records(db)
    council = fill(export(db, tmp_path), {"CLARE-R3": {"update": "Training booked", "proposed_rag": "Amber"}})
    apply_plan(db, plan_import(db, council))
    assert _records(db) != before
    undo_batch(db, list_batches(db.sessions)[0].id)
    assert _records(db) == before


def test_an_edit_made_from_a_version_changed_since_is_refused(sample_db: Database) -> None:
    # Team mode: the edit is checked against the version of the item the lead was shown.
    db = sample_db
    rec = key_of(db, "CLARE-R4")
    shown = items.get_recommendation(db.sessions, rec.id).version
    items.update_recommendation(db.sessions, rec.id, {"text": "Someone else's"})
    before = _records(db)
    for edit in (item_edits.field_change(db.sessions, rec, "text", "Mine", shown_version=shown),
                 item_edits.field_change(db.sessions, rec, "rag", Rag.RED, shown_version=shown),
                 NewUpdate(db.sessions, rec, {"narrative": "Mine"}, "CLARE-R4", shown)):
        assert edit is not None
        with pytest.raises(StaleEditError):
            edit.do()
    assert _records(db) == before
