"""Is the file's schema the app's own? Checked before anything runs against it.

A SQLite file carries code as well as data: a trigger planted in it runs on an ordinary insert,
a view can stand where a table should be, a virtual table calls into a module. So opening
compares what the file declares (tables, their columns, indexes; triggers and views, of which
the app has none but the search index's) with what the app's models declare, and refuses anything
else. The search index (db/search_sqlite.py) is two FTS5 virtual tables, the tables FTS5 keeps
them in, and the triggers that keep them right: each is compared word for word with the app's own.

Names alone are not enough: a table redefined under its own name with a CHECK constraint of its
own, a foreign key's ON DELETE turned from SET NULL to CASCADE, or a unique index made partial
changes what the database does to the app's rows. So for a file at the current revision the
definitions are compared too, by what SQLite reports of them (columns' NOT NULL and keys,
foreign keys with their actions, each index's columns, collation, uniqueness and WHERE clause,
and every CHECK expression), never by the text's layout, which differs between versions.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from scr_desk.db import search_sqlite

__all__ = ["RETIRED_INDEXES", "definition_differences", "expected_definitions", "expected_schema", "schema_differences"]


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
        search_expected = {*search_sqlite.TABLES, *search_sqlite.shadow_tables(), *search_sqlite.TRIGGERS}
        if missing_search := sorted(search_expected - search_found):
            problems.append(f"its search index is incomplete ({', '.join(repr(name) for name in missing_search)} "
                            "missing)")
        sql = {name: text for kind, name, _table, text in objects if kind == "table"}
        for name in sorted(tables_found - {_ALEMBIC}):
            problems += definition_differences(connection, name, sql.get(name, ""))
    return problems


def _is_search_trigger(name: str, table: str, sql: str) -> bool:
    """One of the search index's triggers, on its own table, word for word."""
    wanted = search_sqlite.TRIGGERS.get(name)
    return wanted is not None and search_sqlite.trigger_tables()[name] == table and \
        search_sqlite.normalised(sql) == search_sqlite.normalised(wanted)


@cache
def expected_definitions() -> dict[str, dict[str, frozenset[tuple[object, ...]]]]:
    """table -> aspect -> what the models declare, in the terms SQLite's pragmas report."""
    from sqlalchemy import CheckConstraint, UniqueConstraint

    from scr_desk.db import models  # noqa: F401
    from scr_desk.db.base import Base
    found: dict[str, dict[str, frozenset[tuple[object, ...]]]] = {}
    for table in Base.metadata.tables.values():
        keys = {(fk.parent.name, fk.column.table.name, fk.column.name, (fk.ondelete or "NO ACTION").upper(),
                 (fk.onupdate or "NO ACTION").upper()) for fk in table.foreign_keys}
        indexes = {(tuple(c.name for c in index.columns), int(bool(index.unique)), 0) for index in table.indexes}
        indexes |= {(tuple(c.name for c in constraint.columns), 1, 0) for constraint in table.constraints
                    if isinstance(constraint, UniqueConstraint)}
        checks = {(_plain(str(constraint.sqltext)),) for constraint in table.constraints
                  if isinstance(constraint, CheckConstraint)}
        columns = {(c.name, int(not c.nullable or c.primary_key), int(c.primary_key)) for c in table.columns}
        found[table.name] = {"keys": frozenset(keys), "indexes": frozenset(indexes), "checks": frozenset(checks),
                             "columns": frozenset(columns)}
    return found


def definition_differences(connection: sqlite3.Connection, table: str, sql: str) -> list[str]:
    """How the file's definition of `table` differs from the app's (empty when it does not)."""
    expected = expected_definitions()[table]
    quoted = table.replace('"', '""')
    actual: dict[str, set[tuple[object, ...]]] = {
        "keys": {(row[3], row[2], row[4], row[6].upper(), row[5].upper())
                 for row in connection.execute(f'PRAGMA foreign_key_list("{quoted}")')},
        "indexes": {_index(connection, row[1], row[2], row[4]) for row in connection.execute(
            f'PRAGMA index_list("{quoted}")') if row[3] != "pk"},
        "checks": {(check,) for check in _checks(sql)},
        "columns": {(row[1], int(bool(row[3]) or row[5] > 0), int(row[5] > 0))
                    for row in connection.execute(f'PRAGMA table_xinfo("{quoted}")') if row[6] == 0},
    }
    words = {"keys": "reference", "indexes": "index", "checks": "CHECK constraint", "columns": "column definition"}
    article = {"indexes": "an"}
    problems = []
    for aspect, found in actual.items():
        for extra in sorted(found - expected[aspect], key=repr):
            problems.append(f"table {table!r} has {article.get(aspect, 'a')} {words[aspect]} SCR Desk does not define "
                            f"({_say(aspect, extra)})")
        for missing in sorted(expected[aspect] - found, key=repr):
            problems.append(f"table {table!r} lacks SCR Desk's {words[aspect]} ({_say(aspect, missing)})")
    return problems


def _index(connection: sqlite3.Connection, name: str, unique: int, partial: int) -> tuple[object, ...]:
    quoted = name.replace('"', '""')
    rows = [row for row in connection.execute(f'PRAGMA index_xinfo("{quoted}")') if row[5]]  # key columns only
    columns = tuple(row[2] if row[2] is not None else "<expression>" for row in rows)
    if any((row[4] or "BINARY").upper() != "BINARY" or row[3] for row in rows):  # collation, descending
        columns = (*columns, "<collated or descending>")
    return columns, int(unique), int(partial)


def _say(aspect: str, item: tuple[object, ...]) -> str:
    if aspect == "keys":
        column, parent, to, on_delete, on_update = item
        return f"{column} to {parent}.{to}, on delete {str(on_delete).lower()}, on update {str(on_update).lower()}"
    if aspect == "indexes":
        columns, unique, partial = item
        return (f"{'unique ' if unique else ''}on {', '.join(map(str, columns))}"  # type: ignore[call-overload]
                + (", on some rows only" if partial else ""))
    if aspect == "checks":
        return str(item[0])
    name, not_null, key = item
    return f"{name}{' not null' if not_null else ''}{' primary key' if key else ''}"


def _plain(expression: str) -> str:
    """An SQL expression without its layout: no spaces, quotes or case."""
    return re.sub(r"[\s\"`\[\]]", "", expression).lower()


def _checks(sql: str) -> list[str]:
    """Each CHECK expression in a CREATE TABLE statement, without its layout."""
    found = []
    for match in re.finditer(r"\bcheck\s*\(", sql, re.IGNORECASE):
        depth, start = 1, match.end()
        for position in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[position], 0)
            if depth == 0:
                found.append(_plain(sql[start:position]))
                break
    return found
