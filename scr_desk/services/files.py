"""Writing output files: never over what must not be destroyed, never half-written.

Every output (a dump, a workbook, a report, a return) goes through `write_atomically`, which
first runs the one shared check, `check_output`:

- an output may never be an SCR Desk database, a backup, or one of a database's companion files
  (`-wal`, `-shm`, `-journal`, `.lock`): refused in one sentence;
- an output named through a symbolic link is written to the link's target (the link stays);
- a folder, a device or a pipe is refused; a missing folder is named as the folder.

The file is then written under a temporary name beside its target and moved into place. No
message ever names that temporary file: the user only ever chose the real name.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from scr_desk.db.backup_names import NAME_RE
from scr_desk.db.identity import COMPANION_SUFFIXES, is_scr_desk_file
from scr_desk.domain.errors import ScrDeskError

__all__ = [
    "OutputInUseError", "OutputRefused", "as_os_error", "check_output", "replace_atomically", "write_atomically",
]


T = TypeVar("T")

_COMPANIONS = (*COMPANION_SUFFIXES, ".lock", ".writing")


class OutputRefused(ScrDeskError):
    """The chosen output would destroy something, or cannot be a file; nothing was written."""


class OutputInUseError(ScrDeskError):
    """The output file is held open by another program (Windows locks a workbook open in Excel)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is open in another program (Excel?): close it and try again; "
                         "nothing was written there")


def check_output(path: Path | str) -> Path:
    """The file an output named `path` will really replace (a symbolic link followed), or
    OutputRefused with one sentence saying why it may not be written."""
    named = Path(path).expanduser()
    target = Path(os.path.realpath(named))
    folder = target.parent
    if not folder.is_dir():
        shown = named.parent if named.parent != Path("") else Path(".")
        raise OutputRefused(f"{named}: the folder {shown} does not exist; nothing was written")
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputRefused(f"{named} is a folder; name a file to write")
        if not stat.S_ISREG(info.st_mode):
            raise OutputRefused(f"{named} is not an ordinary file (a device or a pipe); name a file to write")
        if is_scr_desk_file(target):  # a backup included
            raise OutputRefused(f"{named} is an SCR Desk database (or one of its backups); an output never "
                                "replaces one: choose another name")
    for suffix in _COMPANIONS:
        if target.name.endswith(suffix) and is_scr_desk_file(target.with_name(target.name[: -len(suffix)])):
            raise OutputRefused(f"{named} belongs to the database {target.name[: -len(suffix)]} (its {suffix} "
                                "file); an output never replaces it: choose another name")
    if target.name == "backups" and _holds_a_database(folder):
        raise OutputRefused(f"{named}: the backups of the database beside it are kept in a folder of that name; "
                            "choose another name")
    if folder.name == "backups" and NAME_RE.match(target.name):
        raise OutputRefused(f"{named} is named as a backup in a backups folder; choose another name")
    return target


def _holds_a_database(folder: Path, looked_at: int = 500) -> bool:
    """Whether an SCR Desk database is among the (first few hundred) files of `folder`."""
    try:
        return any(is_scr_desk_file(path) for path, _ in zip(folder.iterdir(), range(looked_at), strict=False)
                   if path.is_file())
    except OSError:
        return False


def write_atomically(path: Path, writer: Callable[[Path], T], *, for_others: bool = False) -> T:
    """Call `writer` on a temporary file in the same folder, then move it into place; returns
    what `writer` returned (a page count, the warnings of a return). A file `for_others` (a
    return, a report) gets the user's usual permissions; any other stays the user's alone.

    On any failure (a full disk included) the temporary file is removed and whatever was at
    `path` before is left exactly as it was.
    """
    shown = Path(path)
    target = check_output(shown)
    _sweep_stale_parts(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=_part_prefix(target) + f"{os.getpid()}.", suffix=".part",
                                             dir=target.parent)
    except OSError as exc:  # a read-only folder or disk: said of the file the user named
        raise OSError(exc.errno, exc.strerror, str(shown)) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        result = writer(temp)
        with temp.open("rb+") as stream:
            os.fsync(stream.fileno())
        if for_others:
            from scr_desk.db.private import share_as_usual
            share_as_usual(temp)
        try:
            os.replace(temp, target)
        except PermissionError:
            # Windows refuses to replace a file another program holds open (a workbook in Excel).
            raise OutputInUseError(shown) from None
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        translated = as_os_error(exc, shown)
        if translated is not None:
            raise translated from exc
        _hide_temporary_name(exc, temp, shown)
        raise
    return result


def _part_prefix(target: Path) -> str:
    return f".{target.name[:100]}."


def _sweep_stale_parts(target: Path) -> None:
    """A process killed while writing `target` left its temporary file (case data) beside it: the
    next write of the same file removes it, once its process is known to be gone."""
    from scr_desk.db.private import process_alive
    prefix = _part_prefix(target)
    try:
        siblings = [p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".part")]
    except OSError:
        return
    for path in siblings:
        pid = path.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            path.unlink(missing_ok=True)


def _hide_temporary_name(error: BaseException, temp: Path, shown: Path) -> None:
    """Messages name the file the user chose, never our temporary one."""
    if isinstance(error, OSError) and error.filename and Path(str(error.filename)).name == temp.name:
        error.filename = str(shown)
    if any(isinstance(arg, str) and temp.name in arg for arg in error.args):
        error.args = tuple(arg.replace(str(temp), str(shown)).replace(temp.name, shown.name)
                           if isinstance(arg, str) else arg for arg in error.args)


_LXML_IO = {"IO_ENOSPC": errno.ENOSPC, "IO_EFBIG": errno.EFBIG, "IO_EDQUOT": errno.EDQUOT,
            "IO_EACCES": errno.EACCES, "IO_EIO": errno.EIO}


def as_os_error(error: BaseException, path: Path) -> OSError | None:
    """openpyxl writes through lxml when it is installed, and lxml reports a full disk as a
    SerialisationError ('IO_ENOSPC', 'IO_EFBIG'): give it back as the OSError it is."""
    if type(error).__name__ == "SerialisationError":
        code = next((number for name, number in _LXML_IO.items() if name in str(error)), errno.EIO)
        return OSError(code, os.strerror(code), str(path))
    return None


def replace_atomically(path: Path, data: bytes) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(data)
    write_atomically(path, write)
