"""The whole record of a database file as text, read-only: what tests compare before and after a
step that must leave a database as it was (a refused import, a restore, a failure part-way)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scr_desk.db.engine import open_database
from scr_desk.services.dump import dump_records


def dumped(path: Path) -> dict[str, Any]:
    """The whole record of the database at `path`, as `scr-desk dump` gives it."""
    database = open_database(path, read_only=True)
    try:
        return dump_records(database.sessions)
    finally:
        database.close()


def records(path: Path) -> str:
    return str(dumped(path))
