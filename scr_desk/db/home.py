"""A database's identity belongs to one file: a copy made beside it becomes a database of its own.

The identity (`database_uid`) is what returns are signed with and backups are filed under. A plain
copy of the file (`cases.db` beside `cases.sqlite`, or `copy.sqlite`) carries the same identity,
so a copy could prune the original's backups, have the original's data restored into it, or take
in the original's returns twice over. Each database therefore records the file it lives in (its
"home"). Opened for writing somewhere else:

- if its home still holds a database of the same identity, this file is a copy: it gets an
  identity (and a signing key) of its own, and remembers which database it was copied from;
- otherwise the file was moved or renamed (or copied to another computer, as when moving to a
  new laptop): it keeps its identity, and its new place becomes its home.

A file opened only to read is never changed.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.base import new_uid
from scr_desk.db.models import AppMeta

__all__ = ["COPIED_FROM", "HOME", "SIGNING_KEY", "UID", "is_copy_of_home", "settle_home"]


log = logging.getLogger(__name__)

HOME = "home_path"
UID = "database_uid"
COPIED_FROM = "copied_from"
SIGNING_KEY = "return_signing_key"


def _get(session: Session, key: str) -> str:
    return session.scalar(select(AppMeta.value).where(AppMeta.key == key)) or ""


def _set(session: Session, key: str, value: str) -> None:
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value


def is_copy_of_home(home: str, here: Path, uid: str) -> bool:
    """Whether the file recorded as the database's home is another file holding the same database."""
    from scr_desk.db.backup import read_database_uid
    if not home or not os.path.exists(home):
        return False
    try:
        if os.path.samefile(home, here):
            return False
    except OSError:
        return False
    return read_database_uid(Path(home)) == uid


def settle_home(session: Session, here: Path) -> str:
    """Record `here` as the database's home, giving it an identity of its own when it is a copy
    of a database still at its home; returns the identity now in force (caller commits)."""
    here = Path(os.path.realpath(here))
    home, uid = _get(session, HOME), _get(session, UID)
    if home == str(here):
        return uid
    if uid and is_copy_of_home(home, here, uid):
        fresh = new_uid()
        _set(session, COPIED_FROM, f"{uid} {Path(home).name}")
        _set(session, UID, fresh)
        if _get(session, SIGNING_KEY):  # returns the original sent are the original's to take in
            _set(session, SIGNING_KEY, secrets.token_hex(32))
        log.info("%s is a copy of %s: it has an identity of its own now", here, home)
        uid = fresh
    _set(session, HOME, str(here))
    return uid
