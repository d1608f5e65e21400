"""How a backup is named, read back, labelled and put in order.

`cases-000042-20261126-133000-before-import.<uid>.sqlite`: the file it was taken from (its stem),
a sequence number, the moment, what it was taken before, and the database's identity.

Backups are ordered by their sequence number, never by the clock: one import run while the clock
said 2031 once made its backup "the newest", and `restore` then dropped four later imports. The
number is one more than the highest of the same file's backups in the folder, so it only ever
grows, whatever the clock says. Backups from older versions carry no number: they come first,
in the order of their moments.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "BY_HAND", "BackupInfo", "NAME_RE", "REASONS", "SEQUENCE_DIGITS", "STAMP", "STEM_BYTES", "backup_name",
    "backup_stem", "entries", "newest_first", "next_sequence", "parse", "short_stem", "slug",
]


STAMP = "%Y%m%d-%H%M%S"
SEQUENCE_DIGITS = 6
NAME_RE = re.compile(r"^(?P<stem>.+?)-(?:(?P<seq>\d{6})-)?(?P<stamp>\d{8}-\d{6})"
                     r"(?:-(?P<reason>[a-z0-9]+(?:-[a-z0-9]+)*?))??(?:-(?P<dup>\d{1,3}))?"
                     r"(?:\.(?P<uid>[0-9a-f]{32}))?\.sqlite$")
STEM_BYTES = 80  # a backup's name stays well inside the 255-byte limit of file names

# What each backup was taken before, in words (a slug not listed is said as its words).
REASONS = {"before-import": "an import", "before-restore": "a restore", "before-upgrade": "an upgrade",
           "before-undo-import": "undoing an import", "before-merging-agencies": "a merge of agencies"}
BY_HAND = "manual"


class BackupInfo(NamedTuple):
    taken: datetime
    path: Path
    size: int
    reason: str  # the slug from the name, e.g. "before-import" (a duplicate's "-2" left off)
    uid: str  # the database identity in the name ("" for a backup from an older version)
    seq: int = 0  # its place among the file's backups (0: from a version that numbered none)

    @property
    def kind(self) -> str:
        """The reason without a detail (`before-upgrade-0002-rou` is `before-upgrade`)."""
        return "before-upgrade" if self.reason.startswith("before-upgrade") else self.reason

    @property
    def taken_before(self) -> str:
        """What the backup was taken before, in words ("an import")."""
        if self.kind in REASONS:
            return REASONS[self.kind]
        if self.reason == BY_HAND:
            return "nothing (taken by hand)"
        return self.reason.removeprefix("before-").replace("-", " ") or "something unknown"

    @property
    def occasion(self) -> str:
        """When it was taken, in words: "before an import", or "by hand"."""
        return "by hand" if self.reason == BY_HAND else f"before {self.taken_before}"

    @property
    def label(self) -> str:
        """The backup in plain words: "taken 26/11/2026 13:30 before an import"."""
        return f"taken {self.taken:%d/%m/%Y %H:%M} {self.occasion}"

    @property
    def order(self) -> tuple[int, datetime, str]:
        return self.seq, self.taken, self.path.name


def short_stem(stem: str) -> str:
    encoded = stem.encode("utf-8")[:STEM_BYTES]
    return encoded.decode("utf-8", errors="ignore") or "database"


def slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "backup"


def backup_name(stem: str, seq: int, moment: datetime, reason: str, uid: str) -> str:
    tag = f".{uid}" if re.fullmatch(r"[0-9a-f]{32}", uid) else ""
    return f"{short_stem(stem)}-{seq:0{SEQUENCE_DIGITS}d}-{moment.strftime(STAMP)}-{slug(reason)}{tag}.sqlite"


def parse(path: Path) -> BackupInfo | None:
    """The backup a file's name describes (size read from the file), or None when it is not
    named as a backup is."""
    match = NAME_RE.match(path.name)
    if not match:
        return None
    try:
        size = path.stat().st_size
        taken = datetime.strptime(match["stamp"], STAMP)
    except (OSError, ValueError):
        return None
    return BackupInfo(taken, path, size, match["reason"] or "", match["uid"] or "", int(match["seq"] or 0))


def backup_stem(backup: Path) -> str | None:
    """The name of the file a backup was taken from (its stem, as written into the backup's
    name), or None when the file is not named as a backup is."""
    match = NAME_RE.match(Path(backup).name)
    return match["stem"] if match else None


def entries(folder: Path) -> list[BackupInfo]:
    """Every file in `folder` named as a backup, in no particular order."""
    found: list[BackupInfo] = []
    if folder.is_dir():
        for path in folder.iterdir():
            info = parse(path)
            if info is not None:
                found.append(info)
    return found


def newest_first(backups: list[BackupInfo]) -> list[BackupInfo]:
    return sorted(backups, key=lambda entry: entry.order, reverse=True)


def next_sequence(folder: Path, stem: str) -> int:
    """One more than the highest number among the backups of files called `stem` in `folder`."""
    stem = short_stem(stem)
    return 1 + max((entry.seq for entry in entries(folder) if backup_stem(entry.path) == stem), default=0)
