"""Agencies and their contacts from the command line: `scr-desk agencies [--json]` lists them,
`scr-desk agencies edit CODE …` changes one (audited, as in Edit > Agencies)."""

from __future__ import annotations

import argparse
from typing import Any

from scr_desk.cli.common import (
    EXIT_OK,
    Command,
    Subcommands,
    UserFacingError,
    as_json,
    database_for_writing,
    open_existing,
    say,
)
from scr_desk.domain.dto import AgencyRow

__all__ = ["COMMANDS", "add_parsers", "agency_json", "cmd_agencies"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    agencies = commands.add_parser("agencies", parents=[db_option],
                                   help="list the agencies with their codes and contacts; 'agencies edit CODE' "
                                        "changes one")
    agencies.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = agencies.add_subparsers(dest="agencies_action", metavar="edit")
    edit = actions.add_parser("edit", parents=[db_option], help="change an agency's name or contact details")
    edit.add_argument("agency", metavar="CODE", help="the agency's code (or its name)")
    edit.add_argument("--name", help="the agency's full name")
    edit.add_argument("--contact", help="the contact's name")
    edit.add_argument("--email", nargs="*", metavar="ADDR",
                      help="the contact's email addresses, replacing those kept (none: clear them)")
    edit.add_argument("--phone", help="the contact's phone number")


def agency_json(agency: AgencyRow) -> dict[str, Any]:
    return {"code": agency.code, "name": agency.name, "contact": agency.contact_name, "emails": agency.emails,
            "phone": agency.phone}


def cmd_agencies(args: argparse.Namespace) -> int:
    if getattr(args, "agencies_action", None) == "edit":
        return _edit(args)
    from scr_desk.services.agencies import list_agencies
    database = open_existing(args, read_only=True)
    try:
        rows = list_agencies(database.sessions)
    finally:
        database.close()
    if args.json:
        say(as_json([agency_json(a) for a in rows]))
        return EXIT_OK
    if not rows:
        say("No agencies yet: they are added in Edit > Agencies, or by importing a tracker.")
        return EXIT_OK
    table = [("Code", "Name", "Contact", "Emails", "Phone")] + [
        (a.code, a.name, a.contact_name or "—", "; ".join(a.emails) or "—", a.phone or "—") for a in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)] + [0]
    for row in table:
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    missing = [a.code for a in rows if not a.emails]
    if missing:
        say(f"No email address for {', '.join(missing)}: add one with `scr-desk agencies edit CODE --email ADDR`.")
    return EXIT_OK


def _edit(args: argparse.Namespace) -> int:
    from scr_desk.services.agencies import edit_agency
    changes: dict[str, object] = {}
    for option, field in (("name", "name"), ("contact", "contact_name"), ("phone", "phone")):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    if args.email is not None:
        changes["contact_email"] = args.email
    if not changes:
        raise UserFacingError("say what to change: --name, --contact, --email or --phone")
    with database_for_writing(args, "an edit of an agency") as database:
        before, after = edit_agency(database.sessions, args.agency, changes)
    if before == after:
        say(f"Nothing changed: {after.name} ({after.code}) already has those details.")
        return EXIT_OK
    say(f"Saved {after.name} ({after.code}): contact {after.contact_name or 'none'}; "
        f"{'emails ' + '; '.join(after.emails) if after.emails else 'no email address'}; "
        f"phone {after.phone or 'none'}.")
    return EXIT_OK


COMMANDS: dict[str | None, Command] = {"agencies": cmd_agencies}
