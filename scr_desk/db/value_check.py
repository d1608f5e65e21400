"""Values in the file that this version does not know, found with SQL (one query per column).

The app reads them tolerantly (`scr_desk.db.types`): an unknown status is shown marked, a date
that is not an ISO date reads as none, bytes in a text field read as marked text. `check` lists
them here so the lead knows what is shown that way and where.
"""

from __future__ import annotations

import sqlite3

from scr_desk.db.types import TolerantDate, TolerantDateTime, TolerantEnum
from scr_desk.domain.wording import count

__all__ = ["SHOWN_PER_COLUMN", "unknown_values"]


SHOWN_PER_COLUMN = 5
_ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"


def _shown(value: object) -> str:
    text = value.decode("utf-8", errors="backslashreplace") if isinstance(value, bytes) else str(value)
    return repr(text[:60] + ("…" if len(text) > 60 else ""))


def unknown_values(connection: sqlite3.Connection) -> list[str]:
    """One line per column holding values the app does not know (with a few examples)."""
    from scr_desk.db import models  # noqa: F401  (registers every table)
    from scr_desk.db.base import Base
    present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            if column.name not in columns:
                continue
            name = f'"{column.name}"'
            kind = column.type
            if isinstance(kind, TolerantEnum):
                known = [m.value for m in kind.kind]
                marks = ", ".join("?" * len(known))
                sql = f'SELECT {name} FROM "{table.name}" WHERE {name} IS NOT NULL AND ({name} NOT IN ({marks}) ' \
                      f"OR typeof({name}) != 'text')"
                args: tuple[str, ...] = tuple(known)
                what = (f"value that is not a known {kind.kind.__name__}",
                        f"values that are not a known {kind.kind.__name__}")
            elif isinstance(kind, TolerantDate):
                sql = f'SELECT {name} FROM "{table.name}" WHERE {name} IS NOT NULL AND (typeof({name}) != \'text\' ' \
                      f"OR length({name}) != 10 OR {name} NOT GLOB '{_ISO_DATE}')"
                args, what = (), ("date not stored as a date (shown as no date)",
                                  "dates not stored as dates (shown as no date)")
            elif isinstance(kind, TolerantDateTime):
                sql = f'SELECT {name} FROM "{table.name}" WHERE {name} IS NOT NULL AND (typeof({name}) != \'text\' ' \
                      f"OR {name} NOT GLOB '{_ISO_DATE}*')"
                args, what = (), ("time not stored as a time (shown as none)",
                                  "times not stored as times (shown as none)")
            elif column.type.python_type is str:
                sql = f'SELECT {name} FROM "{table.name}" WHERE typeof({name}) NOT IN (\'text\', \'null\')'
                args, what = (), ("value that is not text (bytes or a number, shown marked)",
                                  "values that are not text (bytes or numbers, shown marked)")
            else:
                continue
            try:
                rows = connection.execute(sql, args).fetchall()
            except sqlite3.Error:
                continue
            if rows:
                examples = ", ".join(_shown(r[0]) for r in rows[:SHOWN_PER_COLUMN])
                found.append(f"{table.name}.{column.name}: {count(len(rows), *what)}: {examples}")
    return found
