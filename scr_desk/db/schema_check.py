"""Is the file's schema the app's own? Checked before anything runs against it.

A SQLite file carries code as well as data: a trigger planted in it runs on an ordinary insert,
a view can stand where a table should be, a virtual table calls into a module. So opening
compares what the file declares (tables, their columns, indexes; triggers and views, of which
the app has none) with what the app's models declare, and refuses anything else.
"""

from __future__ import annotations

import sqlite3
from functools import cache

# SQLite's own bookkeeping tables (ANALYZE statistics, AUTOINCREMENT counters) are not a threat.
_SQLITE_INTERNAL = "sqlite_"
_ALEMBIC = "alembic_version"
# Indexes an earlier revision made and a later one replaced: an older file about to be upgraded
# holds them, and the upgrade drops them (table -> names).
RETIRED_INDEXES = {"progress_update": frozenset({"ix_progress_update_recommendation_id",
                                                 "ix_progress_update_action_id"})}


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
    for kind, name, table, sql in objects:
        if kind == "trigger":
            problems.append(f"it holds a trigger ({name!r} on {table!r}), which SCR Desk never creates")
        elif kind == "view":
            problems.append(f"it holds a view ({name!r}), which SCR Desk never creates")
        elif kind == "table":
            if name.startswith(_SQLITE_INTERNAL):
                continue
            if sql.lstrip().upper().startswith("CREATE VIRTUAL"):
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
        retired = frozenset() if current else RETIRED_INDEXES.get(name, frozenset())
        for extra in sorted(indexes_found.get(name, set()) - indexes_expected - retired):
            problems.append(f"table {name!r} has an index SCR Desk does not know ({extra!r})")
    for table, names in indexes_found.items():
        if table not in tables_found and table in expected:
            continue
        if table not in expected:
            problems += [f"it holds an index SCR Desk does not know ({n!r})" for n in sorted(names)]
    if current:
        for missing in sorted(set(expected) - tables_found):
            problems.append(f"the table {missing!r} is missing")
    return problems
