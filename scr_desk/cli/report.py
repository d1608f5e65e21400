"""The panel report from the command line, as PDF (Qt's writer, no display needed) or Word."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scr_desk.cli.common import EXIT_OK, Command, Subcommands, UserFacingError, date_option, open_existing, say
from scr_desk.domain.wording import count

__all__ = ["COMMANDS", "add_parsers", "cmd_report"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", parents=[db_option], help="write the panel report as PDF or Word")
    report.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.docx")
    report.add_argument("--review", action="append", help="a review's name or code (repeat for several; default all)")
    report.add_argument("--as-of", dest="as_of", help="report as at this date, dd/mm/yyyy (default: today)")
    report.add_argument("--panel", default="", help="the panel's name (default: from the last meeting)")


def cmd_report(args: argparse.Namespace) -> int:
    from scr_desk.services.reports import build_report

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise UserFacingError(f"{args.out}: the report is written as .pdf or .docx")
    from scr_desk.services.files import check_output
    check_output(args.out)  # before any work: never over the database, a backup, a folder or a device
    as_of = date_option("--as-of", args.as_of) if args.as_of else None
    database = open_existing(args, read_only=True)
    try:
        report = build_report(database.sessions, as_of=as_of, review_names=args.review, panel=args.panel)
    finally:
        database.close()
    if suffix == ".pdf" and sys.platform.startswith("linux") and \
            not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs fonts, not a screen
    from scr_desk.locale_env import ensure_utf8_locale
    ensure_utf8_locale()
    from PySide6.QtGui import QGuiApplication

    from scr_desk.rendering.report_pdf import write_report
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1]) if suffix == ".pdf" else None
    pages = write_report(report, args.out)
    say(f"Wrote the panel report ({count(pages, 'page')}) to {args.out}." if pages else
        f"Wrote the panel report to {args.out}.")
    return EXIT_OK


COMMANDS: dict[str | None, Command] = {"report": cmd_report}
