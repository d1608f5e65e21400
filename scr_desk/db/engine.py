"""Opening a database file safely: probe first, refuse clearly, migrate after a backup.

Nothing here writes to a file that has not been proven to be a sound, current (or older)
SCR Desk database that this process may write to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from scr_desk import __version__
from scr_desk.db import errors
from scr_desk.db.backup import backup_database
from scr_desk.db.base import new_uid, utc_now
from scr_desk.db.companions import has_log, heal_companions, let_go_of_log, writable
from scr_desk.db.identity import APPLICATION_ID, SQLITE_MAGIC, database_files, remove_database_files

__all__ = ["Database", "create_database", "heal_companions", "let_go_of_log", "open_database", "probe"]
from scr_desk.db.paths import connect
from scr_desk.db.schema_check import schema_differences
from scr_desk.db.migrate import head_revision, known_revisions, upgrade_to_head
from scr_desk.db.models import AppMeta

log = logging.getLogger(__name__)

LOCK_PROBE_SECONDS = 1.0
COMMAND_LOCK_WAIT_SECONDS = 60.0  # a command may wait behind other commands writing the same file
BUSY_TIMEOUT_MS = 5000
WRITE_LOCK_TIMEOUT_MS = 60_000  # a writer queued behind others (twenty imports at once) waits its turn


@dataclass
class Database:
    """An open database: the engine, a session factory, and what the file is."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False
    database_uid: str = ""
    last_backup: Path | None = field(default=None)
    wrote: bool = False  # this process changed the file (so closing folds its log in)
    made_companions: bool = False  # read-only, and the -wal/-shm files did not exist when it opened

    def __post_init__(self) -> None:
        if self.read_only:
            return

        @event.listens_for(self.engine, "after_cursor_execute")
        def _note_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not self.wrote and statement.lstrip()[:6].upper() in _WRITES:
                self.wrote = True

    def checkpoint(self) -> None:
        """Fold the -wal file into the database file and empty it, so that a copy of the .sqlite
        alone holds everything committed (called after each import, after a restore, at close)."""
        if self.read_only or not has_log(self.path):
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
        if self.made_companions:
            let_go_of_log(self.path)

    @contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """One transaction holding SQLite's write lock from its first statement (BEGIN IMMEDIATE):
        what it reads cannot change under it before it commits."""
        locked = sessionmaker(self.engine.execution_options(write_lock=True), expire_on_commit=False)
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


def create_database(path: Path) -> Database:
    """Create a new, empty SCR Desk database at `path` (which must not exist)."""
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
    is False (a dry run, which settles it inside the transaction it rolls back)."""
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
    in-memory database)."""
    for _seq, name, file in session.connection().exec_driver_sql("PRAGMA database_list"):
        if name == "main":
            return Path(file).name if file else ""
    return ""


def integrity_report(database: Database) -> list[str]:
    """SQLite's full integrity check plus foreign-key check; an empty list means sound."""
    problems: list[str] = []
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems += [row[0] for row in rows if row[0] != "ok"]
        for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} refers to a missing {parent}")
    return problems
