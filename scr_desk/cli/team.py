"""Team mode from the command line: `scr-desk users` (who changes the record, and the names shown
for them) and `scr-desk copy` (a whole database between a file and a server, either way)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.cli.common import (
    EXIT_OK,
    Command,
    Subcommands,
    UserFacingError,
    as_json,
    check_new_database_folder,
    database_for_writing,
    open_existing,
    refuse_read_only,
    say,
    warn_if_synced,
)
from scr_desk.db.location import database_target, is_server
from scr_desk.domain.wording import count

if TYPE_CHECKING:
    from scr_desk.db.engine import Database

__all__ = ["COMMANDS", "add_parsers", "cmd_copy", "cmd_users"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", parents=[db_option],
                                help="the people who change the record and the names shown for them; "
                                     "'users edit LOGIN --name NAME' keeps one")
    users.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = users.add_subparsers(dest="users_action", metavar="edit")
    edit = actions.add_parser("edit", parents=[db_option], help="keep the name shown for a role (or login)")
    edit.add_argument("login", metavar="LOGIN", help="the PostgreSQL role (or, on a file, the login name)")
    edit.add_argument("--name", required=True, help="the name shown for them ('' removes it)")
    copy = commands.add_parser("copy", help="copy a whole database between a file and a server, either way, "
                                            "into an empty target")
    copy.add_argument("--from", dest="source", required=True, type=database_target, metavar="SOURCE",
                      help="the database to copy: a file, or a PostgreSQL URL")
    copy.add_argument("--to", dest="target", required=True, type=database_target, metavar="TARGET",
                      help="where to copy it: a new file, or an empty database on a server (its URL)")


def cmd_users(args: argparse.Namespace) -> int:
    from scr_desk.services import users
    if getattr(args, "users_action", None) == "edit":
        with database_for_writing(args, "naming a member of the team") as database:
            before, after = users.set_display_name(database.sessions, args.login, args.name)
        if before == after:
            say(f"Nothing changed: {args.login} is already shown as {after or args.login}.")
        elif after:
            say(f"{args.login} is now shown as {after}.")
        else:
            say(f"{args.login} is now shown by that name alone (the display name is removed).")
        return EXIT_OK
    database = open_existing(args, read_only=True)
    try:
        rows = users.list_users(database.sessions)
        me = database.author or users.me(database.sessions).login
    finally:
        database.close()
    if args.json:
        say(as_json([{"login": r.login, "display_name": r.display_name, "changes": r.changes,
                      "last_change": r.last_change.isoformat() if r.last_change else None} for r in rows]))
        return EXIT_OK
    where = f"on {database.shown_as}" if database.is_server else "in this file"
    if not rows:
        say(f"Nobody has changed anything {where} yet. Name a person with `scr-desk users edit LOGIN --name NAME`.")
    else:
        table = [("Login", "Shown as", "Changes", "Last change")] + [
            (r.login, r.display_name or "—", f"{r.changes:,}", f"{r.last_change:%d/%m/%Y %H:%M}" if r.last_change
             else "—") for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(3)] + [0]
        for row in table:
            say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if database.is_server:
        say(f"You are connected as {me}" + (" (read-only)." if database.read_only_reason else "."))
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import open_database
    from scr_desk.db.transfer import CopyRefused, copy_records, refuse_same_place
    refuse_same_place(args.source, args.target)
    source = open_database(args.source, read_only=True)
    try:
        target, made_file = _open_target(args.target)
        try:
            result = copy_records(source, target)
        except BaseException:
            target.close()
            if made_file is not None:
                from scr_desk.db.identity import remove_database_files
                remove_database_files(made_file)  # a copy that did not finish leaves no half-made file
            raise
        target.close()
    except CopyRefused as exc:
        raise UserFacingError(str(exc)) from None
    finally:
        source.close()
    say(f"Copied {source.shown_as} to {target.shown_as}: {_what(result.rows)}. The copy keeps the database's "
        "identity, so the returns it sent import there; work in one of the two from now on.")
    return EXIT_OK


def _open_target(target: Path | str) -> tuple[Database, Path | None]:
    """The target, open for writing: a new file (made here; returned as made), or a database on a
    server, its schema made when it is empty. One that holds anything is refused by the copy."""
    from scr_desk.db.engine import create_database, open_database
    if is_server(target):
        database = open_database(target, create=True)
        refuse_read_only(database)
        return database, None
    path = Path(target)
    if path.exists() or path.is_symlink():
        raise UserFacingError(f"{path}: a file of that name already exists; copy makes a new file (nothing was "
                              "changed)")
    check_new_database_folder(path)
    warn_if_synced(path)
    return create_database(path), path


_NAMES = {"agency": ("agency", "agencies"), "review": ("review", "reviews"),
          "recommendation": ("recommendation", "recommendations"), "action": ("action", "actions"),
          "progress_update": ("update", "updates"), "meeting": ("meeting", "meetings"),
          "audit_entry": ("entry of the audit trail", "entries of the audit trail"),
          "return_export": ("return sent", "returns sent"), "import_batch": ("import", "imports")}


def _what(rows: dict[str, int]) -> str:
    named = [count(rows[table], *words) for table, words in _NAMES.items() if rows.get(table)]
    others = sum(n for table, n in rows.items() if table not in _NAMES and table != "app_meta")
    return ", ".join(named) + (f", and {count(others, 'other row')}" if others else "")


COMMANDS: dict[str | None, Command] = {"users": cmd_users, "copy": cmd_copy}
