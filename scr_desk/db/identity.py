"""How an SCR Desk database file is recognised from its first hundred bytes, without a query.

A leaf module (it imports nothing of the app), so that opening, backing up and checking outputs
can all use it without importing one another.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "APPLICATION_ID", "COMPANION_SUFFIXES", "HEADER_BYTES", "SQLITE_MAGIC", "application_id", "database_files",
    "is_scr_desk_file", "is_sqlite_header", "remove_database_files",
]


# Written into the SQLite header (offset 68) so that our files are recognised without a query
# and anyone else's SQLite file is never mistaken for ours. The bytes spell "SCRD".
APPLICATION_ID = 0x53435244
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100


def is_sqlite_header(header: bytes) -> bool:
    return len(header) >= HEADER_BYTES and header.startswith(SQLITE_MAGIC)


def application_id(header: bytes) -> int:
    return int.from_bytes(header[68:72], "big")


def is_scr_desk_file(path: Path) -> bool:
    """True when `path` starts like an SCR Desk database (it may still be damaged further in)."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(HEADER_BYTES)
    except OSError:
        return False
    return is_sqlite_header(header) and application_id(header) == APPLICATION_ID


# The files SQLite keeps beside a database while it is in use (WAL mode) or mid-transaction.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def database_files(path: Path, *, with_main: bool = True) -> list[Path]:
    """The database file and its companions, whether or not they exist."""
    return ([Path(path)] if with_main else []) + [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def remove_database_files(path: Path, *, with_main: bool = True) -> None:
    """Remove a database SQLite has let go of, with the files it keeps beside it."""
    for part in database_files(path, with_main=with_main):
        part.unlink(missing_ok=True)
