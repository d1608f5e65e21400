"""Opening a database file safely: probe first, refuse clearly, migrate after a backup.

Nothing here writes to a file that has not been proven to be a sound, current (or older)
SCR Desk database that this process may write to.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from scr_desk import __version__
from scr_desk.db import errors
from scr_desk.db.backup import backup_database
from scr_desk.db.base import new_uid, utc_now
from scr_desk.db.companions import has_log, heal_companions, let_go_of_log, writable
from scr_desk.db.identity import APPLICATION_ID, SQLITE_MAGIC, database_files, remove_database_files
from scr_desk.db.location import ServerName, is_server

__all__ = [
    "Database", "create_database", "database_name", "heal_companions", "integrity_report", "let_go_of_log",
    "open_database", "probe",
]
from scr_desk.db.migrate import head_revision, known_revisions, upgrade_to_head
from scr_desk.db.models import AppMeta
from scr_desk.db.paths import connect
from scr_desk.db.schema_check import schema_differences

log = logging.getLogger(__name__)

LOCK_PROBE_SECONDS = 1.0
COMMAND_LOCK_WAIT_SECONDS = 60.0  # a command may wait behind other commands writing the same file
BUSY_TIMEOUT_MS = 5000
WRITE_LOCK_TIMEOUT_MS = 60_000  # a writer queued behind others (twenty imports at once) waits its turn


@dataclass
class Database:
    """An open database: the engine, a session factory, and where it is: a file (`file`), or a
    database on a PostgreSQL server (`server`, its URL without any password; see db.server)."""

    file: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    database_uid: str = ""
    last_backup: Path | None = field(default=None)
    wrote: bool = False  # this process changed the file (so closing folds its log in)
    made_companions: bool = False  # read-only, and the -wal/-shm files did not exist when it opened
    server: ServerName | None = None
    author: str = ""  # on a server, the role that connected: the author of every change made here
    read_only_reason: str = ""  # why a database opened for writing is read-only all the same
    token: str = ""  # on a server, names this opening in the change notices it sends

    @property
    def is_server(self) -> bool:
        return self.server is not None

    @property
    def path(self) -> Path:
        """The database file. A database on a server has none: code that works with files
        (backups, the window's lock, checkpoints) asks `is_server` first."""
        if self.file is None:
            raise TypeError(f"{self.server} is a database on a server, not a file")
        return self.file

    @property
    def location(self) -> Path | str:
        """Where to open it again (open_database, --db): the file's path, or the server's URL
        without any password (libpq finds that again where it found it the first time)."""
        return self.server if self.server is not None else self.path

    @property
    def name(self) -> str:
        """A short name for sentences and title bars: the file's name, or "DBNAME on HOST"."""
        if self.server is not None:
            from scr_desk.db.location import server_url, short_name
            return short_name(server_url(self.server))
        return self.path.name

    @property
    def shown_as(self) -> str:
        """How messages name it: the file's path, or the server URL without a password."""
        return str(self.server) if self.server is not None else str(self.file)

    def __post_init__(self) -> None:
        if self.read_only or self.is_server:
            return

        @event.listens_for(self.engine, "after_cursor_execute")
        def _note_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not self.wrote and statement.lstrip()[:6].upper() in _WRITES:
                self.wrote = True

    def checkpoint(self) -> None:
        """Fold the -wal file into the database file and empty it, so that a copy of the .sqlite
        alone holds everything committed (called after each import, after a restore, at close).
        A server keeps its own log: nothing to do there."""
        if self.read_only or self.file is None or not has_log(self.file):
            return  # nothing to fold in: no need to take any lock
        try:
            raw = self.engine.raw_connection()
        except Exception:  # noqa: BLE001 - closing must not fail for want of a checkpoint
            log.warning("Could not connect to checkpoint %s", self.path, exc_info=True)
            return
        driver = raw.driver_connection
        try:
            # Without waiting: a checkpoint that must wait for readers would hold up every writer
            # meanwhile. When the app is idle nobody is reading, and it completes.
            # The pages are copied first without blocking anyone (PASSIVE); TRUNCATE then only has
            # to empty the log, holding the write lock for a moment.
            driver.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()  # type: ignore[union-attr]
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
            driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]
        except sqlite3.Error:
            log.warning("Could not checkpoint %s", self.path, exc_info=True)
        finally:
            raw.close()

    def close(self) -> None:
        if self.wrote:
            self.checkpoint()
        self.engine.dispose()
        if self.made_companions and self.file is not None:
            let_go_of_log(self.file)

    def backup(self, reason: str) -> Path | None:
        """The safety copy before a risky step (an import, undoing one): a file's own backup.
        None on a server, whose backups are the server's (pg_dump, the council's IT): there the
        step's one transaction and its undo record are the safety, as they are on a file too."""
        if self.file is None:
            return None
        return backup_database(self.file, reason, uid=self.database_uid or None)

    @contextmanager
    def writer_lock(self, purpose: str) -> Iterator[None]:
        """The writer lock of a step made of more than one transaction (a backup and an import,
        a merge of agencies): a file's OS lock (db.writer_lock). On a server each of the step's
        transactions takes the advisory lock itself (db.server), and nothing else is needed."""
        if self.file is None:
            yield
            return
        from scr_desk.db.writer_lock import writer_lock
        with writer_lock(self.file, purpose):
            yield

    @contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """One transaction holding the writer lock from its first statement (SQLite's BEGIN
        IMMEDIATE on a file, the advisory lock on a server): what it reads cannot change under it
        before it commits."""
        locked = sessionmaker(self.engine.execution_options(write_lock=True), expire_on_commit=False,
                              info=self.sessions.kw.get("info"))  # on a server: who the changes are by
        with locked.begin() as session:
            yield session


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


def _configure(engine: Engine, *, read_only: bool, foreign_keys: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (SQLAlchemy's
        # documented pysqlite recipe): every session is then one real SQLite transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("write_lock"):
            # Take the write lock at once, waiting longer for it: the checks made inside such a
            # transaction (was this row imported already?) then see every earlier writer's work.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={WRITE_LOCK_TIMEOUT_MS}")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            connection.exec_driver_sql("BEGIN")


def _make_engine(path: Path, *, read_only: bool, immutable: bool = False,
                 foreign_keys: bool = True) -> Engine:
    # The file is reached by its path through a creator, never by a URL SQLAlchemy would parse
    # (`?`, `#` and `%` are legal in file names). A file database wants a real pool, which
    # SQLAlchemy would only pick for itself from a URL naming a file.
    def creator() -> sqlite3.Connection:
        return connect(path, read_only=read_only, immutable=immutable, timeout=BUSY_TIMEOUT_MS / 1000)
    engine = create_engine("sqlite+pysqlite://", creator=creator, poolclass=QueuePool)
    _configure(engine, read_only=read_only, foreign_keys=foreign_keys)
    return engine


def create_database(path: Path | str) -> Database:
    """Create a new, empty SCR Desk database at `path` (which must not exist), or in the empty
    server database a PostgreSQL URL names."""
    if is_server(path):
        from scr_desk.db.server_open import open_server
        return open_server(str(path), new=True)
    path = Path(os.path.realpath(Path(path).expanduser()))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Owner-only from the first byte: the file will hold sensitive case information.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise errors.DatabaseOpenError(path, "a file of that name already exists") from None
    except OSError as exc:
        raise errors.DatabaseOpenError(path, exc.strerror or str(exc)) from None
    os.close(fd)
    try:
        raw = connect(path)
        raw.execute(f"PRAGMA application_id={APPLICATION_ID}")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.close()
        _migrate(path)
        engine = _make_engine(path, read_only=False)
        sessions = sessionmaker(engine, expire_on_commit=False)
        database_uid = new_uid()
        with sessions.begin() as session:
            session.add_all([
                AppMeta(key="database_uid", value=database_uid),
                AppMeta(key="created_at", value=utc_now().isoformat()),
                AppMeta(key="created_by", value=__version__),
                AppMeta(key="home_path", value=str(path)),
            ])
    except BaseException:
        remove_database_files(path)
        raise
    return Database(path, engine, sessions, database_uid=database_uid, wrote=True)


def _migrate(path: Path) -> None:
    # Alembic's batch mode rebuilds tables; with foreign keys on, dropping the old table
    # would cascade deletes into its children, so migrations run with them off.
    engine = _make_engine(path, read_only=False, foreign_keys=False)
    try:
        with engine.begin() as connection:
            upgrade_to_head(connection)
        with engine.connect() as connection:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise errors.MigrationError(path, f"{len(problems)} broken references after upgrade")
    finally:
        engine.dispose()


def probe(path: Path, *, for_writing: bool, lock_wait: float = LOCK_PROBE_SECONDS) -> tuple[str | None, bool]:
    """Check that `path` is a sound SCR Desk database; return (revision, needs_immutable).

    Raises one of the errors in `scr_desk.db.errors`; never writes to the file.
    """
    if not path.exists():
        raise errors.DatabaseMissingError(path)
    if path.is_dir():
        raise errors.NotScrDeskDatabaseError(path, "it is a folder")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise errors.DatabaseOpenError(path, "you do not have permission to read it") from None
    if not header:
        raise errors.NotScrDeskDatabaseError(path, "the file is empty")
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise errors.NotScrDeskDatabaseError(path, "it is not a SQLite database file")
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise errors.NotScrDeskDatabaseError(path, "it is a SQLite file from another program")
    folder_writable = writable(path.parent)
    if for_writing and not (writable(path) and folder_writable):
        raise errors.ReadOnlyDatabaseError(path)
    # A WAL database can only be opened read-only where its -shm file can be made, or as
    # immutable (nobody else can be writing to a file in a folder nobody may write to). A file
    # nobody may write, with no log waiting to be folded in, is read as immutable too: a read-only
    # connection would otherwise make its -wal and -shm with the file's own read-only mode, and
    # once the file was writable again every write would be refused until they were deleted.
    immutable = not for_writing and (not folder_writable or (not writable(path) and not has_log(path)))
    try:
        connection = connect(path, read_only=True, immutable=immutable, timeout=LOCK_PROBE_SECONDS)
    except sqlite3.Error as exc:
        raise errors.DatabaseOpenError(path, _disk_trouble(path, exc) if errors.sqlite_failure(exc) == errors.DISK
                                       else str(exc)) from None
    try:
        check = connection.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise errors.CorruptDatabaseError(path, f"integrity check: {check[0] if check else 'no answer'}")
        has_version = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        revision = None
        if has_version:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        # Before anything else runs against the file: is its schema the app's own?
        differences = schema_differences(connection, current=revision == head_revision())
    except sqlite3.OperationalError as exc:
        kind = errors.sqlite_failure(exc)
        if kind == errors.BUSY:
            raise errors.DatabaseLockedError(path) from None
        if kind == errors.DISK:
            raise errors.DatabaseOpenError(path, _disk_trouble(path, exc)) from None
        raise errors.CorruptDatabaseError(path, str(exc)) from None
    except sqlite3.DatabaseError as exc:
        raise errors.CorruptDatabaseError(path, str(exc)) from None
    finally:
        connection.close()
    if revision is None:
        raise errors.NotScrDeskDatabaseError(path, "it holds no SCR Desk schema")
    if revision not in known_revisions():
        raise errors.DatabaseTooNewError(path, f"schema {revision}")
    if differences:
        raise errors.UnexpectedSchemaError(path, differences)
    if for_writing:
        _probe_write_lock(path, lock_wait)
    return revision, immutable


def _disk_trouble(path: Path, exc: BaseException) -> str:
    if errors.disk_is_full(path):
        return "the disk is full; free some space and try again"
    return f"the disk could not be read or written ({exc})"


def _probe_write_lock(path: Path, wait: float) -> None:
    connection = connect(path, timeout=wait, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        kind = errors.sqlite_failure(exc)
        if kind == errors.BUSY:
            raise errors.DatabaseLockedError(path) from None
        if kind == errors.READONLY:
            raise errors.ReadOnlyDatabaseError(path) from None
        raise errors.DatabaseOpenError(path, _disk_trouble(path, exc) if kind in (errors.DISK, errors.FULL)
                                       else str(exc)) from None
    finally:
        connection.close()


def open_database(path: Path | str, *, create: bool = False, read_only: bool = False,
                  lock_wait: float = LOCK_PROBE_SECONDS, settle_identity: bool = True) -> Database:
    """Open an existing database (or create it when `create` and it does not exist).

    `lock_wait` is how long to wait for another writer to finish before calling the file locked:
    a moment for the window, longer for a command queued behind other commands. Opened for
    writing, a copy of a database becomes one of its own (see db.home), unless `settle_identity`
    is False (a dry run, which settles it inside the transaction it rolls back).

    `path` may instead be a PostgreSQL URL (team mode): see db.server_open."""
    if is_server(path):
        from scr_desk.db.server_open import open_server
        return open_server(str(path), create=create, read_only=read_only)
    path = Path(os.path.realpath(Path(path).expanduser()))  # a link is followed once, here: one file, one lock
    if create and not path.exists():
        return create_database(path)
    if not read_only:
        heal_companions(path)
    companions_before = any(part.exists() for part in database_files(path, with_main=False))
    revision, immutable = probe(path, for_writing=not read_only, lock_wait=lock_wait)
    last_backup = None
    if not read_only and revision is not None and revision != head_revision():
        last_backup = backup_database(path, f"before-upgrade-{revision[:8]}")
        log.info("Backed up %s to %s before upgrading", path, last_backup)
        try:
            _migrate(path)
        except errors.DatabaseOpenError:
            raise
        except Exception as exc:
            raise errors.MigrationError(path, str(exc)) from exc
    engine = _make_engine(path, read_only=read_only, immutable=immutable)
    sessions = sessionmaker(engine, expire_on_commit=False)
    if read_only or not settle_identity:
        with sessions() as session:
            database_uid = session.scalar(select(AppMeta.value).where(AppMeta.key == "database_uid")) or ""
    else:
        from scr_desk.db.home import settle_home
        with sessions.begin() as session:  # a copy opened for writing becomes a database of its own
            database_uid = settle_home(session, path)
    return Database(path, engine, sessions, read_only=read_only, database_uid=database_uid,
                    last_backup=last_backup, made_companions=read_only and not immutable and not companions_before)


def database_name(session: Session) -> str:
    """The file name of the database a session works on, as a message would name it ("" for an
    in-memory database); on a server, "DBNAME on HOST"."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        from scr_desk.db.location import short_name
        return short_name(bind.engine.url if isinstance(bind, Connection) else bind.url)
    for _seq, name, file in session.connection().exec_driver_sql("PRAGMA database_list"):
        if name == "main":
            return Path(file).name if file else ""
    return ""


def integrity_report(database: Database) -> list[str]:
    """SQLite's full integrity check plus foreign-key check; an empty list means sound. (A server
    checks its own pages; there, references are checked as on a file.)"""
    if database.is_server:
        from scr_desk.db.server_open import server_integrity_report
        return server_integrity_report(database)
    problems: list[str] = []
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems += [row[0] for row in rows if row[0] != "ok"]
        for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} refers to a missing {parent}")
    return problems
