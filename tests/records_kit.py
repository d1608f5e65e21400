"""The whole record of a database file as text, read-only: what tests compare before and after a
step that must leave a database as it was (a refused import, a restore, a failure part-way)."""

from __future__ import annotations

from pathlib import Path

from scr_desk.db.engine import open_database
from scr_desk.services.dump import dump_records


def records(path: Path) -> str:
    database = open_database(path, read_only=True)
    try:
        return str(dump_records(database.sessions))
    finally:
        database.close()
