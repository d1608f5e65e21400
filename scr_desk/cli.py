"""The `scr-desk` command: the window by default, and subcommands for automation.

Exit codes: 0 done, 1 the input could not be used (one line on stderr, nothing written),
2 usage. No traceback reaches the user; unexpected failures are logged to a file instead.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from scr_desk import APP_TITLE, __version__
from scr_desk.db.errors import DatabaseOpenError
from scr_desk.paths import user_data_dir
from scr_desk.services.errors import ServiceError

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("scr_desk")


class UserFacingError(Exception):
    """A problem with what the user gave us, reported as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scr-desk", description=f"{APP_TITLE}: safeguarding case-review recommendations.")
    parser.add_argument("--version", action="version", version=f"scr-desk {__version__}")
    parser.add_argument("--db", type=Path, help="database file (default: your data folder)")
    parser.add_argument("--sample", action="store_true",
                        help="open the sample database (created in your data folder if needed)")
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="open the window, print how many ms it took to load, and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="create a database holding the sample data")
    demo.add_argument("--db", type=Path, required=True, dest="db")
    demo.add_argument("--large", action="store_true",
                      help="also add a large synthetic data set (200 reviews, 120,000 updates) for benchmarks")
    demo.add_argument("--seed", type=int, default=2020, help="seed of the synthetic data (with --large)")

    dump = commands.add_parser("dump", help="print every record as JSON (stable order)")
    dump.add_argument("--db", type=Path, required=True, dest="db")
    dump.add_argument("--out", type=Path, help="write to this file instead of standard output")

    export = commands.add_parser("export", help="write the full workbook, or one agency's return workbook")
    export.add_argument("--db", type=Path, required=True, dest="db")
    export.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    export.add_argument("--agency", help="an agency's name or code: write its return workbook")
    export.add_argument("--period", help="reporting period of a return, e.g. '2020-21 Q3' (default: this quarter)")
    export.add_argument("--deadline", help="return deadline, dd/mm/yyyy (default: two weeks after the quarter)")

    imp = commands.add_parser("import", help="import returns, a full workbook or a legacy tracker")
    imp.add_argument("--db", type=Path, required=True, dest="db")
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE.xlsx")
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument("--json", action="store_true", help="print the outcome as JSON (one object per file)")
    imp.add_argument("--on-conflict", choices=["skip", "file", "database"], default="skip",
                     help="rows changed both in the database and in the return: leave them out (default), "
                          "take the file's values, or add the text but keep the database's status")

    report = commands.add_parser("report", help="write the panel report as PDF or Word")
    report.add_argument("--db", type=Path, required=True, dest="db")
    report.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.docx")
    report.add_argument("--review", action="append", help="a review's name or code (repeat for several; default all)")
    report.add_argument("--as-of", dest="as_of", help="report as at this date, dd/mm/yyyy (default: today)")
    report.add_argument("--panel", default="", help="the panel's name (default: from the last meeting)")

    check = commands.add_parser("check", help="check the file's integrity and schema version")
    check.add_argument("--db", type=Path, required=True, dest="db")
    return parser


def _write_text_atomically(path: Path, text: str) -> None:
    from scr_desk.services.files import replace_atomically
    replace_atomically(path, text.encode("utf-8"))


def cmd_demo(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import create_database
    from scr_desk.services.sample import load_sample

    if args.db.exists():
        raise UserFacingError(f"{args.db}: a file of that name already exists; "
                              "demo only creates new databases")
    database = create_database(args.db)
    try:
        if args.large:
            from scr_desk.services.synthetic import add_synthetic_data
            add_synthetic_data(database.sessions, seed=args.seed)  # numbers agencies from 1: before the sample
        load_sample(database.sessions)
    except BaseException:
        database.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        raise
    database.close()
    print(f"Created {args.db} with the sample data" + (" and the large synthetic data set." if args.large else "."))
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import open_database
    from scr_desk.services.dump import dump_json

    database = open_database(args.db, read_only=True)
    try:
        text = dump_json(database.sessions)
    finally:
        database.close()
    if args.out:
        _write_text_atomically(args.out, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import open_database
    from scr_desk.domain.dates import DateError, parse_uk_date

    if args.out.suffix.lower() != ".xlsx":
        raise UserFacingError(f"{args.out}: the workbook must be saved as .xlsx")
    if (args.period or args.deadline) and not args.agency:
        raise UserFacingError("--period and --deadline belong to a return workbook: name the --agency too")
    deadline = None
    if args.deadline:
        try:
            deadline = parse_uk_date(args.deadline)
        except DateError as exc:
            raise UserFacingError(f"--deadline: {exc}") from None
    database = open_database(args.db, read_only=True)
    try:
        if args.agency:
            from scr_desk.services.returns_export import export_return
            result = export_return(database.sessions, args.agency, args.out, period=args.period, deadline=deadline)
            what = f"the return for {result.agency} ({result.rows} items)"
        else:
            from scr_desk.services.full_export import export_full
            result = export_full(database.sessions, args.out)
            what = f"the full workbook ({result.rows} records)"
    finally:
        database.close()
    for warning in result.warnings:
        print(f"scr-desk: warning: {warning}", file=sys.stderr)
    print(f"Wrote {what} to {args.out}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    import json

    from scr_desk.db.engine import open_database
    from scr_desk.excel.guard import WorkbookError
    from scr_desk.services.imports.apply import apply_plan
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.plan import ConflictChoice, Outcome

    database = open_database(args.db)
    try:
        plans = []
        for path in args.files:
            try:
                plan = plan_import(database, path)
            except WorkbookError as exc:
                raise UserFacingError(str(exc)) from None
            for row in plan.rows:
                if row.outcome is Outcome.CONFLICT:
                    row.choice = ConflictChoice(args.on_conflict)
            plans.append(plan)
        failed = [p for p in plans if not p.can_apply]
        applied = not args.dry_run and not failed
        if applied:
            for plan in plans:
                apply_plan(database, plan)
    finally:
        database.close()
    for plan in plans:
        if args.json:
            print(json.dumps(plan.as_json(applied), ensure_ascii=False, default=str))
        else:
            _print_plan(plan, applied)
    for plan in failed:
        for issue in plan.errors:
            where = ", ".join(x for x in (plan.path.name, f"sheet {issue.sheet!r}" if issue.sheet else "",
                                          f"row {issue.row}" if issue.row else "") if x)
            print(f"scr-desk: {where}: {issue.as_json()['message']}", file=sys.stderr)
    if failed and len(plans) > 1:
        print("scr-desk: nothing was imported from any file; fix the errors and import again.", file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _print_plan(plan: object, applied: bool) -> None:
    from scr_desk.services.imports.plan import describe_counts
    verb = "Imported" if applied else "Would import"
    print(f"{verb} {plan.path.name} ({plan.kind}): {describe_counts(plan.counts())}")  # type: ignore[attr-defined]
    if plan.already_imported:  # type: ignore[attr-defined]
        print(f"  This file was imported before, on {plan.already_imported}.")  # type: ignore[attr-defined]
    for issue in plan.warnings:  # type: ignore[attr-defined]
        where = ", ".join(x for x in (f"sheet {issue.sheet!r}" if issue.sheet else "",
                                      f"row {issue.row}" if issue.row else "") if x)
        print(f"  warning: {where + ': ' if where else ''}{issue.as_json()['message']}")


def cmd_report(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import open_database
    from scr_desk.domain.dates import DateError, parse_uk_date
    from scr_desk.services.reports import build_report

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise UserFacingError(f"{args.out}: the report is written as .pdf or .docx")
    try:
        as_of = parse_uk_date(args.as_of) if args.as_of else None
    except DateError as exc:
        raise UserFacingError(f"--as-of: {exc}") from None
    database = open_database(args.db, read_only=True)
    try:
        report = build_report(database.sessions, as_of=as_of, review_names=args.review, panel=args.panel)
    finally:
        database.close()
    if suffix == ".docx":
        from scr_desk.services.report_docx import write_docx
        write_docx(report, args.out)
        print(f"Wrote the panel report to {args.out}.")
        return EXIT_OK
    import os
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs fonts, not a screen
    from PySide6.QtGui import QGuiApplication

    from scr_desk.services.files import write_atomically
    from scr_desk.ui.report_pdf import write_pdf
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pages: list[int] = []
    write_atomically(args.out, lambda temp: pages.append(write_pdf(report, temp)))
    print(f"Wrote the panel report ({pages[0]} pages) to {args.out}.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import integrity_report, open_database, probe
    from scr_desk.db.migrate import head_revision
    from scr_desk.services.stats import record_counts

    revision, _ = probe(args.db, for_writing=False)
    database = open_database(args.db, read_only=True)
    try:
        problems = integrity_report(database)
        counts = record_counts(database.sessions)
    finally:
        database.close()
    current = head_revision()
    print(f"File: {args.db}")
    print(f"Schema: {revision}" + (" (current)" if revision == current
                                   else f" (older; upgraded to {current} when next opened)"))
    print("Records: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    if problems:
        print(f"Integrity: {len(problems)} problem(s)")
        for problem in problems[:20]:
            print(f"  {problem}")
        print(f"{args.db}: the integrity check found problems; restore it from a backup.",
              file=sys.stderr)
        return EXIT_INPUT
    print("Integrity: sound")
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    from scr_desk.app import run_window

    return run_window(db=args.db, sample=args.sample, exit_when_ready=args.exit_when_ready)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo, "dump": cmd_dump, "check": cmd_check, "export": cmd_export, "import": cmd_import, "report": cmd_report,
    None: cmd_window,
}


def _log_unexpected() -> Path | None:
    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "scr_desk-errors.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return path
    except OSError:
        return None


def _quiet_unraisable(unraisable: object) -> None:
    """Errors raised while Python cleans up abandoned objects (openpyxl's half-written sheet
    streams after a full disk, say) go to the error log, never onto the user's screen: the error
    that mattered has already been reported in one line."""
    try:
        folder = user_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "scr_desk-errors.log").open("a", encoding="utf-8") as handle:
            exc = getattr(unraisable, "exc_value", None)
            handle.write(f"unraisable in {getattr(unraisable, 'object', None)!r}: {exc!r}\n")
    except OSError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    sys.unraisablehook = _quiet_unraisable
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (DatabaseOpenError, ServiceError, UserFacingError) as exc:
        print(f"scr-desk: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        from scr_desk.db.errors import describe_file_error
        print(f"scr-desk: {describe_file_error(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("scr-desk: interrupted; nothing more was written.", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        from scr_desk.db.errors import describe_storage_error
        if (meaning := describe_storage_error(exc)) is not None:
            print(f"scr-desk: {getattr(args, 'db', '') or 'database'}: {meaning}.", file=sys.stderr)
            return EXIT_INPUT
        logged = _log_unexpected()
        where = f" (details in {logged})" if logged else ""
        print(f"scr-desk: unexpected error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INPUT
