"""The models and the shipped migrations must describe the same schema."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from scr_desk.db.base import Base
from scr_desk.db.migrate import current_revision, head_revision, known_revisions
from scr_desk.db.search_sqlite import is_search_table


def test_models_match_migrations(empty_db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{empty_db_path}")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        # The search index's tables are the migration's, not the models' (db/search_sqlite.py).
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, kind, _parent: not (kind == "table" and is_search_table(name))})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_form_one_line() -> None:
    assert head_revision() in known_revisions()
    assert "0001_initial" in known_revisions()


def test_revisions_read_from_files_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from scr_desk.db.migrate import alembic_config
    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}


def test_a_first_release_database_upgrades_with_its_data(sample_db_path: Path) -> None:
    # GIVEN a database at the first schema, holding the sample
    import sqlite3

    from alembic import command

    from scr_desk.db.engine import _make_engine, open_database
    from scr_desk.db.migrate import alembic_config
    engine = _make_engine(sample_db_path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001_initial")
    engine.dispose()
    raw = sqlite3.connect(sample_db_path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001_initial",)
    raw.close()
    # WHEN the app opens it
    database = open_database(sample_db_path)
    # THEN it is at the newest schema, nothing was lost, and it has a key to sign returns with
    with database.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert connection.exec_driver_sql("SELECT name FROM review").fetchall() == [("Clare",)]
        assert connection.exec_driver_sql("SELECT count(*) FROM recommendation WHERE target_note = ''").scalar() == 3
        key = connection.exec_driver_sql("SELECT value FROM app_meta WHERE key = 'return_signing_key'").scalar()
    database.close()
    assert key and len(key) == 64
