"""A whole database copied between a file and a server, in either direction (`scr-desk copy`).

Every table is copied row for row with its ids: the record, the audit trail, the import
batches, the record of every return sent, and the database's identity and signing key (app_meta),
so a return exported before the copy still imports into the copy. The target's schema is made by
the same migrations as any new database; the rows go in one transaction, so a failure part-way
leaves the target as empty as it was. A target that holds any record is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, text

from scr_desk.db.base import Base
from scr_desk.db.engine import Database
from scr_desk.db.migrate import head_revision
from scr_desk.domain.errors import ScrDeskError
from scr_desk.domain.wording import count

__all__ = [
    "CHUNK", "CopyRefused", "CopyResult", "Progress", "check_source", "check_target_empty", "copy_records",
    "record_rows", "refuse_same_place", "revision_of", "tables",
]


CHUNK = 5_000
Progress = Callable[[int, int, str], None]  # (rows done, rows in all, table)
# The database's own facts that belong to the place it lives, not to the record: a file's
# `home_path` (which file it is) is set afresh for a file target, and dropped for a server.
_PLACE_KEYS = frozenset({"home_path"})


class CopyRefused(ScrDeskError):
    """The copy was not made; the sentence says why. The source is never changed."""


@dataclass(frozen=True)
class CopyResult:
    rows: dict[str, int]  # table -> rows copied

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Every table of the record, parents before children."""
    from scr_desk.db import models  # noqa: F401  (registers every table)
    return list(Base.metadata.sorted_tables)


def record_rows(connection: Connection) -> int:
    """Rows in the tables that hold the record (app_meta, the database's own facts, not counted)."""
    return sum(connection.scalar(select(func.count()).select_from(table)) or 0
               for table in tables() if table.name != "app_meta")


def revision_of(connection: Connection) -> str | None:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_source(source: Database) -> None:
    """The source must be at this version's schema and hold only values this version can read
    (a date another tool stored as text cannot go into a server's date column)."""
    with source.engine.connect() as connection:
        if revision_of(connection) != head_revision():
            raise CopyRefused(f"{source.shown_as}: made by an older version of SCR Desk; open it once with this "
                              "version (which upgrades it), then copy it")
        if source.is_server:
            return
        from scr_desk.db.value_check import unknown_values
        driver = connection.connection.driver_connection
        problems = unknown_values(driver)  # type: ignore[arg-type]
    if problems:
        raise CopyRefused(f"{source.shown_as}: {count(len(problems), 'column holds', 'columns hold')} values this "
                          f"version cannot read (the first: {problems[0]}); `scr-desk check` lists them, and the "
                          "copy would lose them")


def check_target_empty(target: Database) -> None:
    with target.engine.connect() as connection:
        held = record_rows(connection)
    if held:
        raise CopyRefused(f"{target.shown_as}: already holds {count(held, 'record')}; copy only into an empty "
                          "database (nothing was changed there)")


def _rows(connection: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    for partition in result.mappings().partitions(CHUNK):
        yield [dict(row) for row in partition]


def copy_records(source: Database, target: Database, *, progress: Progress | None = None) -> CopyResult:
    """Copy every row of `source` into the empty `target` (both open, both at this version)."""
    check_source(source)
    check_target_empty(target)
    copied: dict[str, int] = {}
    with source.engine.connect() as reading, target.write_transaction() as session:
        writing = session.connection()
        all_rows = record_rows(reading)
        done = 0
        # The target's own facts (made when its schema was) give way to the source's identity.
        writing.execute(delete(_table("app_meta")))
        with _search_index(writing).suspended(writing):  # made again once at the end, not row by row
            for table in tables():
                copied[table.name] = 0
                for chunk in _rows(reading, table):
                    if table.name == "app_meta":
                        chunk = _own_facts(chunk, target)
                    if chunk:
                        writing.execute(table.insert(), chunk)
                    copied[table.name] += len(chunk)
                    if table.name != "app_meta":
                        done += len(chunk)
                        if progress:
                            progress(done, all_rows, table.name)
        if target.is_server:
            _continue_numbering(writing)
    target.database_uid = source.database_uid
    return CopyResult(copied)


def _own_facts(rows: list[dict[str, object]], target: Database) -> list[dict[str, object]]:
    """The source's facts, but where it lives: a file target is its own home (db.home)."""
    kept = [row for row in rows if row["key"] not in _PLACE_KEYS]
    if target.file is not None and any(row["key"] == "database_uid" for row in kept):
        kept.append({"key": "home_path", "value": str(target.file)})
    return kept


def _search_index(connection: Connection) -> Any:
    """The target's search index (its own tables, made by its migrations; never copied)."""
    from scr_desk.db import search_postgres, search_sqlite
    return search_postgres if connection.dialect.name == "postgresql" else search_sqlite


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _continue_numbering(connection: Connection) -> None:
    """A server numbers new rows from a sequence per table: start each after the ids copied in."""
    for table in tables():
        if "id" not in table.columns or not table.c.id.primary_key:
            continue
        connection.execute(text(
            "SELECT setval(pg_get_serial_sequence(:table, 'id'), coalesce(max(id), 0) + 1, false) "
            f"FROM {connection.dialect.identifier_preparer.quote(table.name)}"), {"table": table.name})


def refuse_same_place(source: Path | str, target: Path | str) -> None:
    if str(source) == str(target):
        raise CopyRefused("--from and --to name the same database")
