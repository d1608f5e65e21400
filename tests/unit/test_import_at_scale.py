"""Imports at the large partnership's scale: what a sheet refers to is read in one query per table
(in parts where SQLite's limit on bound values needs it), with the indexes that answer it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event, select

from scr_desk.db.engine import Database, _make_engine, open_database
from scr_desk.db.migrate import alembic_config
from scr_desk.db.models import Action, Recommendation
from scr_desk.domain.enums import ItemKind
from scr_desk.excel.layout import return_key
from scr_desk.services.full_export import export_full
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from scr_desk.services.imports.return_items import already_given, imported_origins, load_targets
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.synthetic import QUICK, add_synthetic_data

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
        command.downgrade(config, "0006_team_members")
    engine.dispose()
    open_database(sample_db_path).close()  # upgrades it, after a backup
    raw = sqlite3.connect(sample_db_path)
    indexes = {row[1]: [c[2] for c in raw.execute(f"PRAGMA index_info('{row[1]}')")]
               for row in raw.execute("PRAGMA index_list('progress_update')")}
    raw.close()
    assert indexes["ix_progress_update_recommendation_period"] == ["recommendation_id", "period"]
    assert indexes["ix_progress_update_action_period"] == ["action_id", "period"]
    assert "ix_progress_update_recommendation_id" not in indexes and "ix_progress_update_action_id" not in indexes


def _statements(database: Database) -> list[str]:
    """Every SQL statement the database runs from now on (the real engine's own event)."""
    ran: list[str] = []
    event.listen(database.engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_: ran.append(statement))
    return ran


@pytest.fixture(scope="module")
def quick_full_workbook(tmp_path_factory: pytest.TempPathFactory, template_paths: dict[str, Path]) -> Path:
    """The full workbook of the sample plus the small synthetic set (1,600 records), beside the
    database that wrote it (source.sqlite)."""
    folder = tmp_path_factory.mktemp("quick_full")
    path = folder / "source.sqlite"
    shutil.copy2(template_paths["sample"], path)
    source = open_database(path)
    add_synthetic_data(source.sessions, QUICK)
    export_full(source.sessions, folder / "full.xlsx")
    source.close()
    return folder / "full.xlsx"


@pytest.mark.parametrize("into", ["an empty database", "the database that wrote it"])
def test_a_full_workbook_is_checked_and_written_in_a_few_statements_however_many_records(
        quick_full_workbook: Path, template_paths: dict[str, Path], tmp_path: Path, into: str) -> None:
    # The clash checks ran two queries for each new recommendation and one for each agency and
    # review; applying deleted and inserted the contributors of each recommendation in turn, and
    # the ORM's bulk insert wrote a statement per row where rows left different columns empty.
    if into == "an empty database":
        shutil.copy2(template_paths["empty"], tmp_path / "target.sqlite")
        target = open_database(tmp_path / "target.sqlite")
    else:
        target = open_database(quick_full_workbook.parent / "source.sqlite")
    ran = _statements(target)
    plan = plan_import(target, quick_full_workbook)
    assert plan.errors == [] and len(plan.rows) > 1500
    assert len(ran) < 40, ran
    ran.clear()
    apply_plan(target, plan)
    assert len([s for s in ran if s.lstrip().upper().startswith(("INSERT", "DELETE"))]) < 40
    assert {r.outcome for r in plan_import(target, quick_full_workbook).rows} == {Outcome.UNCHANGED}
    target.close()


def test_a_full_workbook_reports_its_progress(quick_full_workbook: Path, empty_db_path: Path) -> None:
    target = open_database(empty_db_path)
    heard: list[tuple[int, int, str]] = []
    plan = plan_import(target, quick_full_workbook, progress=lambda done, of, what: heard.append((done, of, what)))
    checked = [(done, of) for done, of, what in heard if what.startswith("Checking")]
    assert heard[0][2] == "Reading full.xlsx" and checked[-1] == (len(plan.rows), len(plan.rows))
    assert [done for done, _ in checked] == sorted(done for done, _ in checked)
    heard.clear()
    apply_plan(target, plan, progress=lambda done, of, what: heard.append((done, of, what)))
    assert heard[-1] == (len(plan.rows), len(plan.rows), "Importing the workbook's decisions")
    target.close()
