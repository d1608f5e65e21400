"""Search in the database: what the filter keeps, and the index staying right whoever writes the
record (an edit, an import, an undo, a restore), built for an existing file when it is upgraded."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from scr_desk.db.engine import Database, open_database
from scr_desk.db.errors import UnexpectedSchemaError
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.search import FilterCriteria, parse_terms
from scr_desk.services import agencies, items, reviews, snapshot, updates
from scr_desk.services.search import find, text_index_for
from scr_desk.services.tree import load_tree
from tests.returns_kit import add_actions, export, fill

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 26)


def _refs(db: Database) -> dict[str, ItemKey]:
    return {n.reference: n.key for n in load_tree(db.sessions, TODAY).walk()}


def _shown(db: Database, **criteria: object) -> set[ItemKey]:
    return set(find(db.sessions, FilterCriteria(**criteria), TODAY).shown)  # type: ignore[arg-type]


def _found(db: Database, text: str) -> set[str]:
    names = {key: ref for ref, key in _refs(db).items()}
    return {names[key] for key in find(db.sessions, FilterCriteria(text=text), TODAY).found}


def _index_right(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return text_index_for(connection).verify(connection)


def _populate(db: Database) -> None:
    rec = items.create_recommendation(db.sessions, reviews.list_reviews(db.sessions)[0].id, {
        "number": "5", "text": "Escalation policy", "target_date": "01/01/2021", "rag": "Red",
        "status": "In progress"})
    items.create_action(db.sessions, rec.id, {"text": "Rewrite the escalation policy", "owner_name": "J. Smith",
                                              "status": "Complete"})
    items.create_action(db.sessions, rec.id, {"text": "Train the managers", "target_date": "01/06/2021"})
    other = reviews.create_review(db.sessions, {"name": "Adult B", "review_type": "SAR"})
    items.create_recommendation(db.sessions, other.id, {"number": "1", "text": "Self-neglect guidance",
                                                        "status": "Assured"})


def test_the_filter_keeps_ancestors_and_matches(sample_db: Database) -> None:
    _populate(sample_db)
    ref = _refs(sample_db)
    # text in an update narrative finds recommendation 3 and keeps its review
    assert _shown(sample_db, text="research") == {ref["CLARE"], ref["CLARE-R3"]}
    # several words must all match, each wherever it is
    assert _shown(sample_db, text="mash voice") == {ref["CLARE"], ref["CLARE-R1"]}
    # a review's name shows the whole review
    assert ref["ADULTB-R1"] in _shown(sample_db, text="adult b")
    # overdue only: the overdue recommendation and its overdue action
    assert _shown(sample_db, overdue_only=True) == {ref["CLARE"], ref["CLARE-R5"], ref["CLARE-R5-A2"]}
    assert _shown(sample_db, rag=Rag.RED) == {ref["CLARE"], ref["CLARE-R5"]}
    closed_hidden = _shown(sample_db, hide_closed=True)
    assert ref["ADULTB-R1"] not in closed_hidden and ref["CLARE-R5-A1"] not in closed_hidden
    assert ref["CLARE-R5-A2"] in closed_hidden
    solent = next(a.id for a in agencies.list_agencies(sample_db.sessions) if a.name == "Solent NHS Trust")
    assert _shown(sample_db, agency_id=solent) == {ref["CLARE"], ref["CLARE-R4"]}
    assert _shown(sample_db, theme="CAMHS") == {ref["CLARE"], ref["CLARE-R4"]}
    assert _shown(sample_db, status=Status.ASSURED) == {ref["ADULTB"], ref["ADULTB-R1"]}
    assert _shown(sample_db, text="nothing matches this") == set()
    # an action found opens its recommendation; what matches itself is counted, not what leads to it
    result = find(sample_db.sessions, FilterCriteria(text="rewrite"), TODAY)
    assert set(result.matches) == {ref["CLARE-R5-A1"]} and set(result.to_open) == {ref["CLARE-R5"]}


def test_words_are_found_as_typed_so_far_without_accents(sample_db: Database) -> None:
    review = reviews.list_reviews(sample_db.sessions)[0].id
    items.create_recommendation(sample_db.sessions, review, {"number": "6", "text": "Café workers' naïve questions"})
    assert _found(sample_db, "cafe naive") == {"CLARE-R6"}  # accents folded, both ways
    assert _found(sample_db, "CAFÉ") == {"CLARE-R6"}
    assert _found(sample_db, "quest") == {"CLARE-R6"}  # a word typed so far
    assert _found(sample_db, "clare-r6") == {"CLARE-R6"}  # a reference as it is written
    assert parse_terms("  -  ") == ()  # punctuation alone asks for nothing


def test_the_index_stays_right_after_an_edit(sample_db: Database) -> None:
    ref = _refs(sample_db)
    items.update_recommendation(sample_db.sessions, ref["CLARE-R1"].id, {"text": "Hoarding and self-neglect"})
    updates.add_update(sample_db.sessions, ref["CLARE-R4"], {"narrative": "Zebra crossing audit", "author": "A. Patel"})
    scc = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "SCC")
    agencies.update_agency(sample_db.sessions, scc.id, {"name": "Quokka Children's Services"})
    assert _found(sample_db, "hoarding") == {"CLARE-R1"} and _found(sample_db, "application") == set()
    assert _found(sample_db, "zebra") == {"CLARE-R4"} and _found(sample_db, "patel") == {"CLARE-R4"}
    assert _found(sample_db, "quokka")  # the agency's new name, on every item it leads or contributes to
    assert _index_right(sample_db) == []


def test_the_index_stays_right_after_an_import_and_its_undo(sample_db: Database, tmp_path: Path) -> None:
    from scr_desk.services.imports.batches import undo_batch
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    add_actions(sample_db)
    filled = fill(export(sample_db, tmp_path), {"CLARE-R3-A1": {"update": "Xylophone workshop delivered"}})
    result = apply_plan(sample_db, plan_import(sample_db, filled, today=date(2021, 4, 10)))
    assert _found(sample_db, "xylophone") == {"CLARE-R3-A1"} and _index_right(sample_db) == []
    undo_batch(sample_db, result.batch_id)
    assert _found(sample_db, "xylophone") == set() and _index_right(sample_db) == []


def test_the_index_stays_right_after_a_delete_and_its_undo(sample_db: Database) -> None:
    ref = _refs(sample_db)
    taken = items.delete_item(sample_db.sessions, ref["CLARE-R3"].kind, ref["CLARE-R3"].id)
    assert _found(sample_db, "research") == set() and _index_right(sample_db) == []
    snapshot.restore(sample_db.sessions, taken)
    assert _found(sample_db, "research") == {"CLARE-R3"} and _index_right(sample_db) == []


def test_the_index_stays_right_after_a_restore(sample_db_path: Path) -> None:
    from scr_desk.db.backup import backup_database
    from scr_desk.db.restore import restore_backup
    database = open_database(sample_db_path)
    backup = backup_database(sample_db_path, "before-import", uid=database.database_uid)
    updates.add_update(database.sessions, _refs(database)["CLARE-R1"], {"narrative": "Walrus"})
    assert _found(database, "walrus") == {"CLARE-R1"}
    database.close()
    restore_backup(sample_db_path, backup)
    database = open_database(sample_db_path)
    assert _found(database, "walrus") == set() and _found(database, "research") == {"CLARE-R3"}
    assert _index_right(database) == []
    database.close()


def test_an_existing_database_gains_the_index_on_upgrade_after_a_backup(sample_db_path: Path) -> None:
    # GIVEN a database from before the search index
    from alembic import command

    from scr_desk.db.backup import list_backups
    from scr_desk.db.engine import _make_engine
    from scr_desk.db.migrate import alembic_config
    engine = _make_engine(sample_db_path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_agency_name_key")
    engine.dispose()
    raw = sqlite3.connect(sample_db_path)
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%'").fetchone() == (0,)
    raw.close()
    # WHEN the app opens it
    from scr_desk.db.backup import read_database_uid
    identity = read_database_uid(sample_db_path)  # the file as it was (a copy may be given one of its own)
    database = open_database(sample_db_path)
    # THEN a backup of it was taken first, and its words are found
    assert any(backup.reason.startswith("before-upgrade") for backup in list_backups(sample_db_path, identity))
    assert _found(database, "research") == {"CLARE-R3"} and _index_right(database) == []
    database.close()


def test_a_tampered_index_is_refused_like_any_unknown_trigger(sample_db_path: Path) -> None:
    raw = sqlite3.connect(sample_db_path)
    raw.execute("DROP TRIGGER search_update_after_insert")
    raw.execute("CREATE TRIGGER search_update_after_insert AFTER INSERT ON progress_update BEGIN "
                "DELETE FROM review; END")
    raw.commit()
    raw.close()
    with pytest.raises(UnexpectedSchemaError, match="search_update_after_insert"):
        open_database(sample_db_path)


def test_a_bulk_load_rebuilds_the_index_once(sample_db: Database) -> None:
    with sample_db.engine.begin() as connection, text_index_for(connection).suspended(connection):
        connection.exec_driver_sql("UPDATE progress_update SET narrative = 'Okapi sighting'")
    assert _found(sample_db, "okapi") == {"CLARE-R1", "CLARE-R3", "CLARE-R4"} and _index_right(sample_db) == []


def test_a_whole_workbook_into_an_empty_database_is_indexed_once_and_right(
        sample_db: Database, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a partnership's full workbook, and an empty database on a new laptop
    from scr_desk.services import search
    from scr_desk.services.full_export import export_full
    from scr_desk.services.imports.batches import undo_batch
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    workbook = tmp_path / "full.xlsx"
    export_full(sample_db.sessions, workbook)
    monkeypatch.setattr(search, "BULK_UPDATES", 0)  # the sample's three updates count as a bulk load
    # WHEN it is imported (the index suspended and made again once), THEN its words are found
    result = apply_plan(db, plan_import(db, workbook))
    assert _found(db, "research") == {"CLARE-R3"} and _index_right(db) == []
    # AND its undo (also in bulk) leaves an empty, right index
    undo_batch(db, result.batch_id)
    assert _found(db, "research") == set() and _index_right(db) == []
