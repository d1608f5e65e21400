"""Backups from the command line: list a database's backups, and put one back."""

from __future__ import annotations

import argparse
from pathlib import Path

from scr_desk.cli.common import (
    EXIT_OK,
    Command,
    Subcommands,
    UserFacingError,
    database_path,
    database_target,
    say,
    writing_to,
)
from scr_desk.db.location import without_password

__all__ = ["COMMANDS", "add_parsers", "cmd_backups", "cmd_restore"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    commands.add_parser("backups", parents=[db_option],
                        help="list the database's backups, newest first (date, size, what each was taken before)")
    restore = commands.add_parser("restore", parents=[db_option],
                                  help="put back a backup (the newest sound one unless --from names one); "
                                       "the file replaced is kept in the backups folder")
    restore.add_argument("--from", dest="source", type=Path, metavar="FILE", help="the backup to restore")
    restore.add_argument("--foreign", action="store_true",
                         help="restore even a backup of another database (its identity differs)")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def cmd_backups(args: argparse.Namespace) -> int:
    from scr_desk.db.backup import backup_dir_for, list_backups
    from scr_desk.db.restore import other_files_note

    if isinstance(target := database_target(args), str):
        say(f"{without_password(target)} is a database on a PostgreSQL server: its backups are the server's own "
            "(pg_dump, or whatever your IT runs), not SCR Desk's. An import there is one transaction, undone as "
            "a whole from the window's Import history if need be.")
        return EXIT_OK
    path = database_path(args)
    backups = list_backups(path)
    if not backups:
        say(f"{path} has no backups (they are kept in {backup_dir_for(path)}; one is made before every import, "
            "restore and upgrade)" + (f"; {note}." if (note := other_files_note(path)) else "."))
        return EXIT_OK
    say(f"Backups of {path}, newest first:")
    for entry in backups:
        say(f"  {entry.taken:%d/%m/%Y %H:%M:%S}  {_size(entry.size):>9}  {entry.occasion:<29}  {entry.path}")
    if note := other_files_note(path):
        say(f"Not listed: {note}.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    if isinstance(target := database_target(args), str):
        raise UserFacingError(f"{without_password(target)} is a database on a PostgreSQL server: it is restored from "
                              "the server's own backups, by whoever runs the server (your IT); SCR Desk restores "
                              "files only, and nothing was changed")
    path = database_path(args)
    if not path.exists() and not args.source:
        raise UserFacingError(f"{path} does not exist; name the backup to restore with --from FILE")
    with writing_to(path, "a restore") as path:
        return _restore(args, path)


def _restore(args: argparse.Namespace, path: Path) -> int:
    from scr_desk.db.backup_names import parse
    from scr_desk.db.errors import ForeignBackupError
    from scr_desk.db.restore import newest_good_backup, restore_backup

    if args.source:
        source = args.source.expanduser()
        if not source.is_file():
            raise UserFacingError(f"{source}: there is no such backup file")
        named = parse(source)
        say(f"Restoring {path} from {source}" + (f" ({named.label})." if named else "."))
    else:
        newest = newest_good_backup(path)
        source = newest.path
        say(f"Restoring {path} from {source}, its newest backup ({newest.label}).")
    try:
        result = restore_backup(path, source, allow_foreign=args.foreign)
    except ForeignBackupError as exc:
        raise UserFacingError(f"{exc}; add --foreign to restore it anyway") from None
    say(f"Restored {path} and checked it: sound.")
    if result.kept:
        say(f"The file as it was is kept as {result.kept}.")
    return EXIT_OK


COMMANDS: dict[str | None, Command] = {"backups": cmd_backups, "restore": cmd_restore}
