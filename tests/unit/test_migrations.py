"""The models and the shipped migrations must describe the same schema."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from scr_desk.db.base import Base
from scr_desk.db.migrate import current_revision, head_revision, known_revisions


def test_models_match_migrations(empty_db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{empty_db_path}")
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
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
