"""Workbook exchange from the command line: export (full or an agency's return) and import."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from scr_desk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Command,
    Subcommands,
    UsageError,
    UserFacingError,
    check_new_database_folder,
    database_path,
    database_target,
    date_option,
    open_existing,
    open_for_writing,
    refuse_read_only,
    say,
    warn,
    writing_to,
)
from scr_desk.db.location import without_password
from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import ImportKind
from scr_desk.domain.wording import count

__all__ = ["COMMANDS", "add_parsers", "cmd_export", "cmd_import"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", parents=[db_option],
                                 help="write the full workbook, or one agency's return workbook")
    export.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    export.add_argument("--agency", help="an agency's name or code: write its return workbook")
    export.add_argument("--period", help="reporting period of a return, e.g. '2020-21 Q3' (default: this quarter)")
    export.add_argument("--deadline", help="return deadline, dd/mm/yyyy (default: two weeks after the quarter)")

    imp = commands.add_parser("import", parents=[db_option],
                              help="import returns, a full workbook or a hand-made tracker (creates the "
                                   "database if it does not exist)")
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument("--json", action="store_true", help="print the outcome as JSON (one object per file)")
    imp.add_argument("--answers", type=Path, metavar="FILE.json",
                     help="answers to a hand-made tracker's questions (value meanings, review names, codes and "
                          "types, periods), in the shape --json prints its questions; remembered for next time")
    imp.add_argument("--on-conflict", choices=["skip", "file", "database"], default=None,
                     help="rows changed both in the database and in the return: leave them out (a return's "
                          "default), take the file's values, or add the text but keep the database's values (a "
                          "tracker's default: an existing item's fields are never rewritten unless you choose "
                          "file)")
    imp.add_argument("--proposals", choices=["record", "apply"], default="record",
                     help="status, RAG or target proposed by an agency that contributes to an item but does not "
                          "lead it: record it with the update (default), or apply it")


def cmd_export(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise UserFacingError(f"{args.out}: the workbook must be saved as .xlsx")
    from scr_desk.services.files import check_output
    check_output(args.out)  # before any work: never over the database, a backup, a folder or a device
    # "--agency" given at all means one agency's return: an empty name (an unset shell variable)
    # is refused, never read as "no agency", which would write every agency's records.
    one_agency = args.agency is not None
    if (args.period or args.deadline) and not one_agency:
        raise UserFacingError("--period and --deadline belong to a return workbook: name the --agency too")
    period, deadline = _period_and_deadline(args) if one_agency else (None, None)
    if one_agency:  # a return is recorded in the database as it is sent: that is a write
        with open_for_writing(args, "an export of a return") as database:
            from scr_desk.services.returns_export import default_deadline, export_return
            _known_agency(database, args.agency)
            result = export_return(database.sessions, args.agency, args.out, period=period, deadline=deadline)
            due = format_uk(deadline or default_deadline(str(period)))
            what = f"the return for {result.agency} ({count(result.rows, 'item')}), for {period}, due {due},"
    else:  # the full workbook only reads
        database = open_existing(args, read_only=True)
        try:
            from scr_desk.services.full_export import export_full
            result = export_full(database.sessions, args.out)
            what = f"the full workbook ({count(result.rows, 'record')})"
        finally:
            database.close()
    for text in result.warnings:
        warn(text)
    say(f"Wrote {what} to {args.out}.")
    return EXIT_OK


def _known_agency(database: Any, name_or_code: str) -> None:
    """Refuse, in one sentence listing the codes, an --agency that names no agency."""
    from sqlalchemy import select

    from scr_desk.db.models import Agency
    from scr_desk.db.portable import in_code_order
    from scr_desk.services.agencies import find_agency
    with database.sessions() as session:
        if name_or_code.strip() and find_agency(session, name_or_code) is not None:
            return
        codes = [f"{code} ({name})" for code, name in session.execute(select(Agency.code, Agency.name)
                                                                      .order_by(in_code_order(Agency.code)))]
    named = "names no agency" if name_or_code.strip() else "is empty"
    known = f"the agencies' codes are {', '.join(codes)}" if codes else "this database has no agencies yet"
    raise UserFacingError(f"--agency {name_or_code!r} {named}, so nothing was written; {known}.")


def _period_and_deadline(args: argparse.Namespace) -> tuple[str, date | None]:
    """A return's --period (default: this quarter) and --deadline, read before any work: a period
    or deadline outside 2000-2100, or a deadline before the period begins, is a usage error."""
    from scr_desk.domain.rules import ReturnDatesError, check_return_dates, parse_period
    from scr_desk.services.returns_export import default_period
    try:
        period = parse_period(args.period or default_period())
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None
    deadline = date_option("--deadline", args.deadline) if args.deadline else None
    try:
        check_return_dates(period, deadline)
    except ReturnDatesError as exc:
        raise UsageError(f"--{exc.field}: {exc}") from None
    return str(period), deadline


def cmd_import(args: argparse.Namespace) -> int:
    if isinstance(target := database_target(args), str):
        return _import_to_server(args, target)
    path = database_path(args)
    if path.is_dir():
        raise UserFacingError(f"{path} is a folder; name the database file to import into")
    if args.dry_run:  # writes nothing: no lock, no window to mind
        if path.exists():
            return _import_into(args, path, created=False)
        return _dry_run_into_new(args, path)
    with writing_to(path, "an import") as path:
        return _import_into(args, path, created=not path.exists())


def _dry_run_into_new(args: argparse.Namespace, path: Path) -> int:
    """Show what importing into a database not yet made would do, without leaving one behind."""
    from scr_desk.db.private import private_temp_dir
    from scr_desk.services.export_temp import DRY_RUN_PREFIX
    check_new_database_folder(path)
    reads = _reads_for_a_new_database(args, f"{path} does not exist")
    # The trial database holds case data: it lives in the private data folder, not /tmp.
    with tempfile.TemporaryDirectory(prefix=f"{DRY_RUN_PREFIX}{os.getpid()}.", dir=private_temp_dir()) as folder:
        say(f"{path} does not exist; it would be created.", to_stderr=args.json)
        return _import_into(args, Path(folder) / "new.sqlite", created=True, shown_as=path, reads=reads)


def _import_to_server(args: argparse.Namespace, url: str) -> int:
    """An import into a database on a server: made there when the database is empty, as a file
    is made when absent (a dry run then plans against a trial database, leaving the server alone).
    The writer lock is the server's, taken by the import's own transaction."""
    from scr_desk.db.engine import open_database
    from scr_desk.db.errors import DatabaseMissingError
    shown = without_password(url)
    try:
        database = open_database(url, read_only=True)
    except DatabaseMissingError:
        reads = _reads_for_a_new_database(args, f"{shown} holds no SCR Desk database yet")
        if not args.dry_run:
            return _import_into(args, url, created=True, reads=reads)
        from scr_desk.db.private import private_temp_dir
        from scr_desk.services.export_temp import DRY_RUN_PREFIX
        with tempfile.TemporaryDirectory(prefix=f"{DRY_RUN_PREFIX}{os.getpid()}.", dir=private_temp_dir()) as folder:
            say(f"{shown} holds no SCR Desk database yet; one would be made there.", to_stderr=args.json)
            return _import_into(args, Path(folder) / "new.sqlite", created=True, shown_as=shown, reads=reads)
    database.close()
    return _import_into(args, url, created=False)


def _reads_for_a_new_database(args: argparse.Namespace, missing: str) -> list[Any]:
    """The files read before a database is made for them. A return belongs to the database that
    sent it: a database is never made for one (a mistyped --db would otherwise become a new, empty
    database that every return is refused by, as if it had been tampered with). `missing` says
    why a database would be made ("PATH does not exist")."""
    from scr_desk.services.imports.together import read_files
    reads = read_files(list(args.files))
    returns = [read.path.name for read in reads if getattr(read, "kind", None) == ImportKind.RETURNS]
    if returns:
        raise UserFacingError(
            f"{missing}, and a return can only be imported into the database that sent it "
            f"({' and '.join(returns)} {'is a return' if len(returns) == 1 else 'are returns'}); check the name "
            "given to --db. No database was created")
    return reads


def _import_into(args: argparse.Namespace, path: Path | str, *, created: bool, shown_as: Path | str | None = None,
                 reads: list[Any] | None = None) -> int:
    from scr_desk.db.engine import COMMAND_LOCK_WAIT_SECONDS, create_database, open_database
    from scr_desk.services.imports.plan import ConflictChoice
    from scr_desk.services.imports.together import Choices, import_files

    answers = _answers(args)
    if created and reads is None and isinstance(path, Path):
        check_new_database_folder(path)
        reads = _reads_for_a_new_database(args, f"{path} does not exist")
    database = create_database(path) if created else open_database(
        path, lock_wait=COMMAND_LOCK_WAIT_SECONDS, settle_identity=not args.dry_run)
    if not created and not args.dry_run:
        try:
            refuse_read_only(database)  # a server's role that may only read
        except BaseException:
            database.close()
            raise
    applied = False
    choices = Choices(ConflictChoice(args.on_conflict) if args.on_conflict else None,
                      ConflictChoice.FILE if args.proposals == "apply" else ConflictChoice.DATABASE)
    from scr_desk.services.imports.tracker_questions import AnswersError
    try:
        done = import_files(database, reads if reads is not None else list(args.files),
                            dry_run=args.dry_run, choices=choices, answers=answers,
                            settle_home=args.dry_run and not created and not database.is_server)
        plans, applied = done.plans, done.applied
    except AnswersError as exc:
        raise UserFacingError(f"{args.answers}: {exc}") from None
    finally:
        database.close()
        if created and not applied and shown_as is None and isinstance(path, Path):
            _forget_created(path)  # (a server keeps the empty schema: its records went in one transaction)
    if created and applied:
        say(f"Created {database.shown_as}.", to_stderr=args.json)
    failed = [p for p in plans if not p.can_apply]
    for plan in plans:
        if args.json:
            print(json.dumps(plan.as_json(applied), ensure_ascii=True, default=str))  # any console holds it
        else:
            _print_plan(plan, applied, dry_run=args.dry_run, others_failed=bool(failed))
    for plan in failed:
        for issue in plan.errors:
            where = ", ".join(x for x in (plan.path.name, f"sheet {issue.sheet!r}" if issue.sheet else "",
                                          f"row {issue.row}" if issue.row else "") if x)
            print(f"scr-desk: {where}: {issue.text}", file=sys.stderr)
    if failed and len(plans) > 1:
        print("scr-desk: nothing was imported from any file; fix the errors and import again.", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _answers(args: argparse.Namespace) -> dict[str, Any] | None:
    if getattr(args, "answers", None) is None:
        return None
    from scr_desk.services.imports.tracker_questions import AnswersError, read_answers_file
    try:
        return read_answers_file(args.answers)
    except AnswersError as exc:
        raise UserFacingError(str(exc)) from None


def _forget_created(path: Path) -> None:
    """Nothing was imported into the database this command created: take it away again."""
    from scr_desk.db.backup import backup_dir_for
    from scr_desk.db.identity import remove_database_files
    remove_database_files(path)
    folder = backup_dir_for(path)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _print_plan(plan: Any, applied: bool, *, dry_run: bool, others_failed: bool) -> None:
    from scr_desk.services.imports.plan import describe_counts
    kind = {ImportKind.RETURNS: "a return", ImportKind.FULL: "a full workbook",
            ImportKind.LEGACY: "a tracker"}.get(plan.kind, "")
    if plan.kind == ImportKind.RETURNS and plan.facts.get("agency"):  # whose return, from the database's record
        kind = f"the return sent to {plan.facts['agency']} for {plan.facts.get('period')}"
    kind = f" ({kind})" if kind else ""
    if not plan.can_apply:
        say(f"{'Would import' if dry_run else 'Imported'} nothing from {plan.path.name}{kind}: "
            f"{count(len(plan.errors), 'error')} (below).")
    elif not plan.has_changes:  # every row unchanged or left out: say so, not "Imported …"
        say(f"{'Would import' if dry_run else 'Imported'} nothing new from {plan.path.name}{kind}"
            + (f": {describe_counts(plan.counts())}" if any(plan.counts().values()) else ""))
    elif dry_run:
        say(f"Would import {plan.path.name}{kind}: {describe_counts(plan.counts())}")
    elif applied or not others_failed:
        say(f"Imported {plan.path.name}{kind}: {describe_counts(plan.counts())}")
    else:
        say(f"Imported nothing from {plan.path.name}{kind}, because another file has errors; on its own it would "
            f"give {describe_counts(plan.counts())}")
    if plan.already_imported:
        say(f"  This file was imported before, on {plan.already_imported}.")
    if plan.kind == ImportKind.LEGACY and plan.details:
        _print_reading(plan.details)
    if plan.cells:
        cells, skipped = plan.cells, plan.cells['skipped']
        say(f"  Cells: {cells['mapped']:,} mapped, {cells['kept_as_text']:,} kept as text, {skipped:,} skipped"
            + (" (see the rows marked 'not an item' with --json or in the window)." if skipped else "."))
    for issue in plan.warnings:
        where = ", ".join(x for x in (f"sheet {issue.sheet!r}" if issue.sheet else "",
                                      f"row {issue.row}" if issue.row else "") if x)
        say(f"  warning: {where + ': ' if where else ''}{issue.text}")


NAMED_FROM = {"column": "its review column", "section": "a section row", "paragraph": "the paragraphs above its table",
              "sheet": "its sheet's name", "title": "the title above its table", "document": "the document's title",
              "file": "the file name (answer its question to name it better)", "chosen": "your answer",
              "lookup": "a lookup sheet's entry for its sheet", "reference": "its references"}


def _print_reading(details: dict[str, Any]) -> None:
    """What a tracker import makes and how it read the file: each review's name and code (what
    `report --review` takes) and every value read in a way worth saying ('March 2027 → 31/03/2027')."""
    for review in details.get("reviews", []):
        made = "new" if review["new"] else "already in the database"
        named = NAMED_FROM.get(review["read_from"], review["read_from"])
        say(f"  Review {review['name']} (code {review['code']}, {review['type']}): {made}; named by {named}.")
    readings = details.get("readings", [])
    for reading in readings[:20]:
        times = f", {reading['count']} cells" if reading["count"] > 1 else ""
        say(f"  Read {reading['written']!r} → {reading['read']} ({reading['how']}{times}).")
    if len(readings) > 20:
        say(f"  … and {count(len(readings) - 20, 'other value')} read the same ways (--json lists them all).")


COMMANDS: dict[str | None, Command] = {"export": cmd_export, "import": cmd_import}
