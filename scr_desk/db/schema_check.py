"""Is the file's schema the app's own? Checked before anything runs against it.

A SQLite file carries code as well as data: a trigger planted in it runs on an ordinary insert,
a view can stand where a table should be, a virtual table calls into a module. So opening
compares what the file declares (tables, their columns, indexes; triggers and views, of which
the app has none but the search index's) with what the app's models declare, and refuses anything
else. The search index (db/search_sqlite.py) is two FTS5 virtual tables, the tables FTS5 keeps
them in, and the triggers that keep them right: each is compared word for word with the app's own.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from scr_desk.db import search_sqlite

# SQLite's own bookkeeping tables (ANALYZE statistics, AUTOINCREMENT counters) are not a threat.
_SQLITE_INTERNAL = "sqlite_"
_ALEMBIC = "alembic_version"


@cache
def expected_schema() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """table -> (column names, index names) as the app's models declare them."""
    from scr_desk.db import models  # noqa: F401  (registers every table on the metadata)
    from scr_desk.db.base import Base
    schema = {table.name: (frozenset(c.name for c in table.columns), frozenset(str(i.name) for i in table.indexes))
              for table in Base.metadata.tables.values()}
    schema[_ALEMBIC] = (frozenset({"version_num"}), frozenset())
    return schema


def schema_differences(connection: sqlite3.Connection, *, current: bool) -> list[str]:
    """What in the file is not the app's schema, one sentence each (empty when it is).

    `current` is True when the file is at the newest revision: then every table, column and index
    must be exactly the app's. An older file (about to be upgraded, or opened read-only) may lack
    what later revisions add, but may hold nothing the app does not know.
    """
    expected = expected_schema()
    problems: list[str] = []
    objects = connection.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master").fetchall()
    tables_found: set[str] = set()
    indexes_found: dict[str, set[str]] = {}
    search_found: set[str] = set()
    for kind, name, table, sql in objects:
        if kind == "trigger":
            if _is_search_trigger(name, table, sql):
                search_found.add(name)
            else:
                problems.append(f"it holds a trigger ({name!r} on {table!r}), which SCR Desk never creates")
        elif kind == "view":
            problems.append(f"it holds a view ({name!r}), which SCR Desk never creates")
        elif kind == "table":
            if name.startswith(_SQLITE_INTERNAL):
                continue
            if name in search_sqlite.TABLES and search_sqlite.normalised(sql) == \
                    search_sqlite.normalised(search_sqlite.TABLES[name]):
                search_found.add(name)
            elif name in search_sqlite.shadow_tables() and not sql.lstrip().upper().startswith("CREATE VIRTUAL"):
                search_found.add(name)  # FTS5's own storage, written by SQLite, not by the file
            elif sql.lstrip().upper().startswith("CREATE VIRTUAL"):
                problems.append(f"it holds a virtual table ({name!r}), which SCR Desk never creates")
            elif name not in expected:
                problems.append(f"it holds a table SCR Desk does not know ({name!r})")
            else:
                tables_found.add(name)
        elif kind == "index" and not name.startswith("sqlite_autoindex_"):
            indexes_found.setdefault(table, set()).add(name)
    for name in sorted(tables_found):
        columns_expected, indexes_expected = expected[name]
        columns = {row[1] for row in connection.execute(f'PRAGMA table_xinfo("{name}")')}
        for extra in sorted(columns - columns_expected):
            problems.append(f"table {name!r} has a column SCR Desk does not know ({extra!r})")
        if current:
            for missing in sorted(columns_expected - columns):
                problems.append(f"table {name!r} lacks the column {missing!r}")
        for extra in sorted(indexes_found.get(name, set()) - indexes_expected):
            problems.append(f"table {name!r} has an index SCR Desk does not know ({extra!r})")
    for table, names in indexes_found.items():
        if table not in tables_found and table in expected:
            continue
        if table not in expected:
            problems += [f"it holds an index SCR Desk does not know ({n!r})" for n in sorted(names)]
    if current:
        for missing in sorted(set(expected) - tables_found):
            problems.append(f"the table {missing!r} is missing")
        search_expected = {*search_sqlite.TABLES, *search_sqlite.shadow_tables(), *search_sqlite.TRIGGERS}
        if missing_search := sorted(search_expected - search_found):
            problems.append(f"its search index is incomplete ({', '.join(repr(name) for name in missing_search)} "
                            "missing)")
    return problems


def _is_search_trigger(name: str, table: str, sql: str) -> bool:
    """One of the search index's triggers, on its own table, word for word."""
    wanted = search_sqlite.TRIGGERS.get(name)
    return wanted is not None and search_sqlite.trigger_tables()[name] == table and \
        search_sqlite.normalised(sql) == search_sqlite.normalised(wanted)
