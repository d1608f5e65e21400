"""A database on a PostgreSQL server: connecting, recognising, creating, upgrading, and the
writer lock and change notices that make it safe for several people at once.

What a file gets from SQLite, a server database gets here:

- **The writer lock.** Every transaction that changes the record (a session begun with
  `sessions.begin()`, an import's `write_transaction()`) first takes one transaction-scoped
  advisory lock, `pg_advisory_xact_lock(WRITER_LOCK)`, so writers take turns as they do on a
  file (BEGIN IMMEDIATE), and in READ COMMITTED every check made after it (was this return
  imported already? is the item still at the version the edit was made from?) sees every earlier
  writer's work. The lock ends with the transaction, however it ends, even if the app is killed.
- **Change notices.** A transaction that wrote sends `NOTIFY scr_desk_changes` with the newest
  audit entry's id, just before it commits (PostgreSQL delivers it only if the commit happens).
  Writers take turns, so audit ids grow in the order changes land, and a window that has seen up
  to id N asks for the entries after N to know exactly what changed (services.team).
- **Who.** The author of every change is the role that connected (`session_user`).
- **Read-only roles.** A role without INSERT on the record opens it read-only.
- **Backups** are the server's own (pg_dump, or whatever the council's IT runs): the app makes
  none; an import's safety is its one transaction and its undo record.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db import errors
from scr_desk.db.location import ServerName, server_url, shown, without_password

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = [
    "APPLICATION_NAME", "CHANNEL", "CONNECT_TIMEOUT_SECONDS", "ChangeListener", "ConnectionLost", "LOCK_WAIT_MS",
    "ServerFacts", "ServerSessions", "WRITER_LOCK", "as_owner", "connection_failure", "first_look", "look",
    "make_engine", "new_token", "notice_payload", "parse_target", "take_writer_lock",
]


log = logging.getLogger(__name__)

WRITER_LOCK = 0x53435244  # "SCRD": the one advisory lock every writer takes
CHANNEL = "scr_desk_changes"
CONNECT_TIMEOUT_SECONDS = 10
LOCK_WAIT_MS = 60_000  # a writer queued behind others (an import of thousands of rows) waits its turn
APPLICATION_NAME = "SCR Desk"
_WRITES = ("INSERT", "UPDATE", "DELETE")
_NOTIFY = (f"SELECT pg_notify('{CHANNEL}', json_build_object('by', %s::text, "
           "'upto', (SELECT max(id) FROM audit_entry))::text)")


class ServerSessions(sessionmaker[Session]):
    """Sessions on a server database. `begin()` is how every service starts a change, so a session
    begun that way takes the writer lock at its first statement; a plain session only reads."""

    def __init__(self, engine: Engine, author: str) -> None:
        # Every session knows who it works for: the author of each change it records.
        super().__init__(engine, expire_on_commit=False, info={"author": author})
        self.writing = sessionmaker(engine.execution_options(write_lock=True), expire_on_commit=False,
                                    info={"author": author})

    def begin(self) -> Any:
        return self.writing.begin()


@dataclass(frozen=True)
class ServerFacts:
    """What a first look at the server database found."""

    role: str  # session_user: the person who connected
    owner: str  # the database's owner (the team's role, in the set-up the README describes)
    member_of_owner: bool
    tables: frozenset[str]
    revision: str | None
    can_write: bool


def make_engine(url: URL, *, read_only: bool, token: str) -> Engine:
    """An engine on the server database; `token` names this opening in its change notices."""
    options = "-c default_transaction_read_only=on" if read_only else ""
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                    "application_name": APPLICATION_NAME}
    if options:
        connect_args["options"] = options
    # pre_ping: a connection the server dropped (a restart, a network gap) is replaced before use,
    # not handed to a query that then fails.
    engine = create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4, connect_args=connect_args)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("write_lock"):
            take_writer_lock(connection)

    @event.listens_for(engine, "after_cursor_execute")
    def _note_write(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in _WRITES:
            connection.info["wrote"] = True

    @event.listens_for(engine, "commit")
    def _notify(connection: Connection) -> None:
        # Called just before COMMIT is sent; the notice is delivered only if it succeeds.
        if connection.info.pop("wrote", False):
            driver = connection.connection.driver_connection
            driver.execute(_NOTIFY, (token,))  # type: ignore[union-attr]

    @event.listens_for(engine, "rollback")
    def _forget(connection: Connection) -> None:
        connection.info.pop("wrote", None)

    return engine


def connection_failure(error: BaseException) -> str:
    """One sentence for why the server could not be reached or used."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    # libpq's first line says what failed; the rest is advice written for a database administrator.
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()] or [type(cause).__name__]
    message = lines[0].removeprefix("connection is bad: ")
    lowered = " ".join(lines).lower()
    if "password" in lowered and ("no password" in lowered or "authentication failed" in lowered):
        return ("the server asks for a password: put it in the PGPASSWORD variable, a ~/.pgpass file or a "
                "PostgreSQL service file, never in the app")
    if "does not exist" in lowered and "database" in lowered:
        return "the server has no database of that name"
    if "role" in lowered and "does not exist" in lowered:
        return "the server has no role of that name (ask IT to make one for you)"
    if "permission denied" in lowered:
        return f"the server refused your role ({message})"
    if any(word in lowered for word in ("could not connect", "connection refused", "timeout", "timed out",
                                          "no such file", "could not translate", "connection to server")):
        return f"the server could not be reached ({message})"
    return f"the server refused the connection ({message})"


def look(connection: Connection) -> ServerFacts:
    """The role, the owner, the tables of the current schema, the schema's revision, and whether
    this role may change the record."""
    role, owner, member = connection.execute(text(
        "SELECT session_user, pg_get_userbyid(d.datdba), pg_has_role(session_user, d.datdba, 'MEMBER') "
        "FROM pg_database d WHERE d.datname = current_database()")).one()
    # From the catalogue, not information_schema, which shows only what this role may use: a table
    # nobody granted us is still a table in the way.
    tables = frozenset(connection.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'f')")).scalars())
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    can_write = False
    if {"progress_update", "audit_entry"} <= tables:
        can_write = bool(connection.execute(text(
            "SELECT has_table_privilege('progress_update', 'INSERT') "
            "AND has_table_privilege('audit_entry', 'INSERT')")).scalar())
    return ServerFacts(str(role), str(owner), bool(member), tables, revision, can_write)


def as_owner(connection: Connection, facts: ServerFacts) -> None:
    """Within the caller's transaction, make what it creates belong to the database's owner (the
    team's role), so that every writer, not only the one who ran `new`, may use it."""
    if facts.member_of_owner and facts.owner != facts.role:
        quoted = connection.dialect.identifier_preparer.quote(facts.owner)
        connection.exec_driver_sql(f"SET LOCAL ROLE {quoted}")


def take_writer_lock(connection: Connection) -> None:
    """Wait for the writer before (as a file's writer waits, WRITE_LOCK_TIMEOUT_MS), then hold the
    lock until this transaction ends. A wait that long means something is wrong: the statement
    fails (SQLSTATE 55P03, said in one sentence) rather than hang the window or the command."""
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {LOCK_WAIT_MS}")
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


def parse_target(target: str) -> tuple[URL, ServerName]:
    """The URL to connect with and the name messages use; DatabaseOpenError when it is unusable."""
    try:
        url = server_url(target)
    except ValueError as exc:
        raise errors.DatabaseOpenError(without_password(target), str(exc).split(": ", 1)[-1]) from None
    return url, shown(url)


def first_look(engine: Engine, name: ServerName) -> ServerFacts:
    try:
        with engine.connect() as connection:
            return look(connection)
    except OperationalError as exc:
        raise errors.ServerUnavailableError(name, connection_failure(exc)) from None
    except DBAPIError as exc:
        raise errors.DatabaseOpenError(name, connection_failure(exc)) from None


def new_token() -> str:
    """A name for this opening in its change notices (not a record's uid: it is never stored)."""
    return secrets.token_hex(16)


def notice_payload(text_payload: str) -> tuple[str, int]:
    """(who sent it, the newest audit id then) from a change notice's text."""
    try:
        data = json.loads(text_payload)
        return str(data.get("by") or ""), int(data.get("upto") or 0)
    except (ValueError, TypeError, AttributeError):
        return "", 0


class ConnectionLost(Exception):
    """The server went away (a restart, the network); the message says so in one sentence."""


class ChangeListener:
    """A connection of its own that listens for change notices (LISTEN scr_desk_changes).

    Qt-free: the window watches `fileno()` for input and then calls `read()`, which never blocks.
    """

    def __init__(self, engine: Engine) -> None:
        import psycopg
        args, params = engine.dialect.create_connect_args(engine.url)
        params = {**params, "autocommit": True}
        try:
            self.connection = psycopg.connect(*args, **params)
            self.connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise ConnectionLost(connection_failure(exc)) from None

    def fileno(self) -> int:
        return int(self.connection.pgconn.socket)

    def read(self) -> list[tuple[str, int]]:
        """The notices that have arrived, as (sent by, newest audit id then); ConnectionLost when
        the connection has gone."""
        import psycopg
        pgconn = self.connection.pgconn
        try:
            pgconn.consume_input()
        except psycopg.Error as exc:
            raise ConnectionLost(connection_failure(exc)) from None
        if pgconn.status != psycopg.pq.ConnStatus.OK:
            raise ConnectionLost("the connection to the server was lost")
        notices = []
        while (notice := pgconn.notifies()) is not None:
            if notice.relname.decode() == CHANNEL:
                notices.append(notice_payload(notice.extra.decode("utf-8", errors="replace")))
        return notices

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001 - closing a connection that has already gone
            log.debug("Closing the change listener", exc_info=True)
