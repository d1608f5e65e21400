"""Alembic, run in-process from the migrations shipped inside the package.

Opening a database only needs to know which revisions exist; that is read from the version
files directly, so Alembic (a tenth of a second to import) loads only when an upgrade runs.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["alembic_config", "current_revision", "head_revision", "known_revisions", "upgrade_to_head"]


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(files("scr_desk.db") / "migrations"))
    return config


@cache
def _revisions() -> dict[str, str | None]:
    """revision -> down_revision, read from the shipped version files."""
    found: dict[str, str | None] = {}
    for entry in (files("scr_desk.db") / "migrations" / "versions").iterdir():
        if entry.name.endswith(".py") and not entry.name.startswith("__"):
            source = entry.read_text(encoding="utf-8")
            revision, down = _REVISION.search(source), _DOWN.search(source)
            if revision:
                found[revision.group(1)] = down.group(1) if down else None
    return found


def known_revisions() -> set[str]:
    return set(_revisions())


def head_revision() -> str:
    revisions = _revisions()
    parents = {down for down in revisions.values() if down}
    heads = [r for r in revisions if r not in parents]
    assert len(heads) == 1, f"the migrations must form one line, not {heads}"
    return heads[0]


def current_revision(connection: Connection) -> str | None:
    exists = connection.execute(text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"))
    if exists.first() is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(connection: Connection) -> None:
    """Run pending migrations on `connection` (which must have foreign keys off)."""
    from alembic import command
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
