"""Imports at the large partnership's scale: what a sheet refers to is read in one query per table
(in parts where SQLite's limit on bound values needs it), with the indexes that answer it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import select

from scr_desk.db.engine import Database, _make_engine, open_database
from scr_desk.db.migrate import alembic_config
from scr_desk.db.models import Action, Recommendation
from scr_desk.domain.enums import ItemKind
from scr_desk.excel.layout import return_key
from scr_desk.services.imports.return_items import already_given, imported_origins, load_targets

SQLITE_MAX_VARIABLES = 32_766  # SQLite 3.32 and later


def test_a_return_with_more_rows_than_sqlite_binds_in_one_statement_is_planned(with_actions: Database) -> None:
    # A return to the biggest agency of a large partnership at 10x has about 100,000 rows: one IN
    # list of their keys was "too many SQL variables".
    with with_actions.sessions() as session:
        real = {return_key(ItemKind.RECOMMENDATION, uid) for uid in session.scalars(select(Recommendation.uid))}
        real |= {return_key(ItemKind.ACTION, uid) for uid in session.scalars(select(Action.uid))}
        unknown = {return_key(ItemKind.ACTION, f"{n:032x}") for n in range(SQLITE_MAX_VARIABLES + 10)}
        targets = load_targets(session, real | unknown, agency_id=1)
        assert set(targets) == real
        given = already_given(session, targets.values(), 1, "2020-21 Q3")  # the minuted progress of 03/12/2020
        assert {item.id for item, _, _ in given} == {1, 2}
        assert imported_origins(session, [f"{n:064x}" for n in range(SQLITE_MAX_VARIABLES + 10)]) == set()


def test_an_older_database_gains_the_update_period_indexes_on_upgrade(sample_db_path: Path) -> None:
    engine = _make_engine(sample_db_path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002_round_two")
    engine.dispose()
    open_database(sample_db_path).close()  # upgrades it, after a backup
    raw = sqlite3.connect(sample_db_path)
    indexes = {row[1]: [c[2] for c in raw.execute(f"PRAGMA index_info('{row[1]}')")]
               for row in raw.execute("PRAGMA index_list('progress_update')")}
    raw.close()
    assert indexes["ix_progress_update_recommendation_period"] == ["recommendation_id", "period"]
    assert indexes["ix_progress_update_action_period"] == ["action_id", "period"]
    assert "ix_progress_update_recommendation_id" not in indexes and "ix_progress_update_action_id" not in indexes
