"""Opening a database on a PostgreSQL server with the care a file gets (db.engine):
recognise it before using it, refuse a newer or foreign schema, create the schema only in an
empty database, upgrade under the writer lock, and open read-only for a role that may only read.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from scr_desk import __version__
from scr_desk.db import errors
from scr_desk.db.base import new_uid, utc_now
from scr_desk.db.engine import Database
from scr_desk.db.location import ServerName
from scr_desk.db.migrate import head_revision, known_revisions, upgrade_to_head
from scr_desk.db.models import AppMeta
from scr_desk.db.server import (
    ServerFacts,
    ServerSessions,
    as_owner,
    connection_failure,
    first_look,
    look,
    make_engine,
    new_token,
    parse_target,
    take_writer_lock,
)

__all__ = ["READ_ONLY_ROLE", "open_server", "server_integrity_report", "server_schema_differences"]


log = logging.getLogger(__name__)

READ_ONLY_ROLE = "your role ({role}) may read this database but not change it"


def open_server(target: str, *, create: bool = False, new: bool = False, read_only: bool = False) -> Database:
    """Open the server database `target` (a PostgreSQL URL).

    `new`: make the schema in an empty database and refuse one that holds anything (`scr-desk
    new`); `create`: make it when the database is empty, open it otherwise (an import into a
    database not made yet). Raises one of db.errors, naming the URL without any password."""
    url, name = parse_target(target)
    token = new_token()
    engine = make_engine(url, read_only=read_only, token=token)
    try:
        facts = first_look(engine, name)
        if new and facts.tables:
            raise errors.DatabaseOpenError(name, f"the database already holds {_tables_held(facts)}; "
                                                 "`new` makes a database only in an empty one")
        if not facts.tables:
            if not (new or create):
                raise errors.DatabaseMissingError(name)
            if read_only:
                raise errors.DatabaseMissingError(name)
            database_uid = _create_schema(engine, name)
            return Database(None, engine, ServerSessions(engine, facts.role), database_uid=database_uid, server=name,
                            author=facts.role, token=token, wrote=True)
        _refuse_foreign(engine, name, facts)
        if facts.revision != head_revision():
            if read_only or not facts.can_write:
                raise errors.ServerSchemaOlderError(name, f"schema {facts.revision}")
            _upgrade(engine, name)
        reason = "" if facts.can_write else READ_ONLY_ROLE.format(role=facts.role)
        with engine.connect() as connection:
            database_uid = connection.scalar(select(AppMeta.value).where(AppMeta.key == "database_uid")) or ""
    except BaseException:
        engine.dispose()
        raise
    return Database(None, engine, ServerSessions(engine, facts.role), read_only=read_only or bool(reason),
                    database_uid=database_uid, server=name, author=facts.role, read_only_reason=reason,
                    token=token)


def _tables_held(facts: ServerFacts) -> str:
    count = len(facts.tables)
    return "an SCR Desk database" if facts.revision else f"{count} table{'s' if count != 1 else ''}"


def _create_schema(engine: Engine, name: ServerName) -> str:
    """The schema, by the same migrations as a file, and the database's identity, in one
    transaction: a failure part-way leaves the database empty."""
    database_uid = new_uid()
    try:
        with engine.begin() as connection:
            take_writer_lock(connection)
            facts = look(connection)
            if facts.tables:  # someone else made it meanwhile
                raise errors.DatabaseOpenError(name, "someone made a database there at the same moment")
            as_owner(connection, facts)
            upgrade_to_head(connection)
            connection.execute(insert(AppMeta), [
                {"key": "database_uid", "value": database_uid},
                {"key": "created_at", "value": utc_now().isoformat()},
                {"key": "created_by", "value": __version__},
            ])
    except errors.DatabaseOpenError:
        raise
    except OperationalError as exc:
        raise errors.ServerUnavailableError(name, connection_failure(exc)) from None
    except DBAPIError as exc:
        raise errors.DatabaseOpenError(name, f"the schema could not be made: {connection_failure(exc)}") from None
    return database_uid


def _upgrade(engine: Engine, name: ServerName) -> None:
    """Run the migrations this version adds, under the writer lock (two people opening an older
    database with a newer app at once upgrade it once). The server's backups are the backups."""
    try:
        with engine.begin() as connection:
            take_writer_lock(connection)
            facts = look(connection)
            if facts.revision == head_revision():
                return  # someone else upgraded it while we waited
            as_owner(connection, facts)
            upgrade_to_head(connection)
    except DBAPIError as exc:
        raise errors.MigrationError(name, connection_failure(exc)) from None


def _refuse_foreign(engine: Engine, name: ServerName, facts: ServerFacts) -> None:
    if facts.revision is None:
        raise errors.NotScrDeskDatabaseError(name, f"it holds {_tables_held(facts)} of another program")
    if facts.revision not in known_revisions():
        raise errors.DatabaseTooNewError(name, f"schema {facts.revision}")
    with engine.connect() as connection:
        differences = server_schema_differences(connection, current=facts.revision == head_revision())
    if differences:
        raise errors.UnexpectedSchemaError(name, differences)


def server_schema_differences(connection: Connection, *, current: bool) -> list[str]:
    """What the server's schema holds that an SCR Desk database never does, one sentence each:
    tables and columns the app does not know, views, and triggers on its tables; at the current
    revision, every table and column the app's models declare must be there too."""
    from scr_desk.db.schema_check import expected_schema
    expected = expected_schema()
    problems: list[str] = []
    columns: dict[str, set[str]] = {}
    # From the catalogue: information_schema shows only what this role may use.
    for table, column in connection.execute(text(
            "SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'f')")):
        columns.setdefault(str(table), set()).add(str(column))
    from scr_desk.db import search_postgres
    search_tables = {table for table in columns if search_postgres.is_search_table(table)}
    if current and search_tables != set(search_postgres.TABLES):
        missing = sorted(set(search_postgres.TABLES) - search_tables)
        problems.append(f"its search index is incomplete ({', '.join(missing)} missing)")
    for table in sorted(set(columns) - search_tables):
        if table not in expected:
            problems.append(f"a table the app does not know: {table}")
            continue
        unknown = sorted(columns[table] - expected[table][0])
        problems += [f"a column the app does not know: {table}.{column}" for column in unknown]
        if current:
            missing = sorted(expected[table][0] - columns[table])
            problems += [f"a column is missing: {table}.{column}" for column in missing]
    if current:
        problems += [f"a table is missing: {table}" for table in sorted(set(expected) - set(columns))]
    for (view,) in connection.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')")):
        problems.append(f"a view the app does not make: {view}")
    for trigger, table in connection.execute(text(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal "
            "AND n.nspname = current_schema()")):
        if search_postgres.expected_triggers().get(str(trigger)) != table:
            problems.append(f"a trigger the app does not make: {trigger} on {table}")
    return problems


def server_integrity_report(database: Database) -> list[str]:
    """The record's references checked as on a file (every row's parent exists), and the schema
    compared with the app's; the server checks its own pages."""
    from scr_desk.db.base import Base
    problems: list[str] = []
    with database.engine.connect() as connection:
        problems += server_schema_differences(connection, current=True)
        preparer = connection.dialect.identifier_preparer
        for table in Base.metadata.sorted_tables:
            for key in table.foreign_keys:
                child, parent = key.parent, key.column
                orphan = connection.execute(text(
                    f"SELECT count(*) FROM {preparer.quote(table.name)} c WHERE c.{preparer.quote(child.name)} "
                    f"IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {preparer.quote(parent.table.name)} p "
                    f"WHERE p.{preparer.quote(parent.name)} = c.{preparer.quote(child.name)})")).scalar()
                if orphan:
                    problems.append(f"{table.name}: {orphan} rows refer to a missing {parent.table.name}")
    return problems
