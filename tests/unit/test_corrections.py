"""Correct… mends every part of an update (date, period, agency, author, text, evidence, status and
RAG), audited like every change, and the item keeps one truth: what its newest update says."""

from __future__ import annotations

from datetime import date

import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.services import agencies, audit, items, updates
from scr_desk.services.tree import load_tree

pytestmark = pytest.mark.both_engines


def _r4(db: Database) -> ItemKey:
    return next(n.key for n in load_tree(db.sessions).walk() if n.reference == "CLARE-R4")


def test_correct_changes_the_date_agency_status_and_rag_audited(sample_db: Database) -> None:
    # GIVEN an update on CLARE-R4 that gave the wrong status and RAG, under the wrong agency and date
    key = _r4(sample_db)
    police = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "HC")
    row = updates.add_update(sample_db.sessions, key, {"as_at": "10/02/2021", "narrative": "Audit done",
                                                       "status": "Complete", "rag": "Green"})
    assert items.get_recommendation(sample_db.sessions, key.id).status is Status.COMPLETE
    # WHEN the lead corrects each of them
    corrected = updates.correct_update(sample_db.sessions, row.id, {
        "as_at": date(2021, 4, 20), "agency_id": police.id, "status": Status.IN_PROGRESS, "rag": Rag.AMBER})
    # THEN the update says so, its period follows its date, and the item follows its newest update
    assert (corrected.as_at, corrected.period, corrected.agency_id) == (date(2021, 4, 20), "2021-22 Q1", police.id)
    assert (corrected.status, corrected.rag) == (Status.IN_PROGRESS, Rag.AMBER)
    rec = items.get_recommendation(sample_db.sessions, key.id)
    assert (rec.status, rec.rag) == (Status.IN_PROGRESS, Rag.AMBER)
    # AND every change is in the audit trail, as a correction
    trail = audit.history(sample_db.sessions, row.uid)
    fields = {entry.field for entry in trail if entry.source == "correction"}
    assert {"as_at", "period", "agency_id", "status", "rag"} <= fields
    moved = {entry.field for entry in audit.history(sample_db.sessions, rec.uid) if entry.source == "correction"}
    assert moved == {"status", "rag"}


def test_correcting_an_older_update_leaves_the_item_as_its_newest_says(sample_db: Database) -> None:
    key = _r4(sample_db)
    older = updates.add_update(sample_db.sessions, key, {"as_at": "10/01/2021", "narrative": "x", "rag": "Red"})
    updates.add_update(sample_db.sessions, key, {"as_at": "10/02/2021", "narrative": "y", "rag": "Green"})
    updates.correct_update(sample_db.sessions, older.id, {"rag": Rag.AMBER})
    assert items.get_recommendation(sample_db.sessions, key.id).rag is Rag.GREEN


def test_a_newest_update_dated_back_hands_the_item_to_the_one_now_newest(sample_db: Database) -> None:
    key = _r4(sample_db)
    updates.add_update(sample_db.sessions, key, {"as_at": "10/01/2021", "narrative": "x", "rag": "Red"})
    newest = updates.add_update(sample_db.sessions, key, {"as_at": "10/02/2021", "narrative": "y", "rag": "Green"})
    assert items.get_recommendation(sample_db.sessions, key.id).rag is Rag.GREEN
    # WHEN the newest is found to have been written a month before the other
    updates.correct_update(sample_db.sessions, newest.id, {"as_at": date(2020, 12, 20)})
    # THEN the item stands as the update now newest says
    assert items.get_recommendation(sample_db.sessions, key.id).rag is Rag.RED
    # AND putting the date back (an undo) puts the item back
    updates.correct_update(sample_db.sessions, newest.id, {"as_at": date(2021, 2, 10)})
    assert items.get_recommendation(sample_db.sessions, key.id).rag is Rag.GREEN
