"""The quarter's admin from the command line: the returns board (`returns`), every agency's return
with an email draft (`returns send`), chasers for those still out (`returns chase`), and the
partners' proposals decided (`proposals`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scr_desk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Command,
    Subcommands,
    UsageError,
    UserFacingError,
    as_json,
    database_for_writing,
    date_option,
    open_existing,
    say,
    warn,
)
from scr_desk.domain.dates import format_uk
from scr_desk.domain.wording import count

if TYPE_CHECKING:
    from scr_desk.services.returns_board import BoardRow
    from scr_desk.services.returns_mail import MailResult

__all__ = ["COMMANDS", "add_parsers", "cmd_proposals", "cmd_returns"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    board = commands.add_parser("returns", parents=[db_option],
                                help="the returns board: sent, received, overdue, chased; 'returns send' and "
                                     "'returns chase' draft the emails")
    board.add_argument("--period", help="the reporting period, e.g. '2020-21 Q4' (default: the latest returns sent)")
    board.add_argument("--json", action="store_true", help="print the board as JSON")
    actions = board.add_subparsers(dest="returns_action", metavar="send|chase")
    send = actions.add_parser("send", parents=[db_option],
                              help="write each agency's return and, beside it, an email draft with it attached")
    send.add_argument("--period", required=True, help="the reporting period, e.g. '2020-21 Q4'")
    send.add_argument("--deadline", required=True, help="the date returns are due, dd/mm/yyyy")
    send.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="the folder to write into")
    send.add_argument("--agency", nargs="+", metavar="CODE",
                      help="only these agencies (default: every agency with open items)")
    chase = actions.add_parser("chase", parents=[db_option],
                               help="draft a chaser, the same return attached, for each return still out")
    chase.add_argument("--period", required=True, help="the reporting period, e.g. '2020-21 Q4'")
    chase.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="the folder to write into")

    proposals = commands.add_parser("proposals", parents=[db_option],
                                    help="partners' proposals waiting for the lead: list, accept or decline them")
    proposals.add_argument("--period", help="only proposals from returns for this period")
    proposals.add_argument("--accept", nargs="+", type=int, default=[], metavar="ID", help="accept these proposals")
    proposals.add_argument("--decline", nargs="+", type=int, default=[], metavar="ID", help="decline these proposals")
    proposals.add_argument("--json", action="store_true", help="print the proposals as JSON")


def _period(text: str | None) -> str | None:
    if text is None:
        return None
    from scr_desk.domain.rules import parse_period
    try:
        return str(parse_period(text))
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None


def _folder(path: Path) -> Path:
    folder = path.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UserFacingError(f"{folder} is a file; --out names the folder the returns and drafts go into")
    if not folder.exists() and not folder.parent.is_dir():
        raise UserFacingError(f"{folder}: the folder {folder.parent} does not exist; nothing was written")
    return folder


def cmd_returns(args: argparse.Namespace) -> int:
    action = getattr(args, "returns_action", None)
    if action == "send":
        return _send(args)
    if action == "chase":
        return _chase(args)
    from scr_desk.services.returns_board import load_board
    database = open_existing(args, read_only=True)
    try:
        board = load_board(database.sessions, _period(args.period))
    finally:
        database.close()
    if args.json:
        say(as_json([row.as_json() for row in board.rows]))
        return EXIT_OK
    say(f"Returns for {board.period}: {board.headline()}.")
    if not board.rows:
        say("No agency has open items or a return for this period.")
    width = max((len(r.code) for r in board.rows), default=0)
    for row in board.rows:
        say(f"  {row.code:<{width}}  {row.name}: {_row_words(row)}")
    if len(board.periods) > 1:
        say(f"Other periods: {', '.join(p for p in board.periods if p != board.period)} (--period).")
    return EXIT_OK


def _row_words(row: BoardRow) -> str:
    from scr_desk.services.returns_board import ReturnState
    sent = f"sent {format_uk(row.sent.date())} ({count(row.rows_sent, 'item')})" if row.sent else ""
    due = f"due {format_uk(row.deadline)}" if row.deadline else ""
    received = format_uk(row.received.date()) if row.received else ""
    said = {
        ReturnState.NOT_SENT: f"not sent ({count(row.open_items, 'open item')})",
        ReturnState.SENT: f"{sent}, {due}",
        ReturnState.OVERDUE: f"overdue by {count(row.days_overdue, 'day')} ({due}); {sent}",
        ReturnState.RECEIVED: f"received {received}: {count(row.rows_landed, 'row')} landed",
        ReturnState.PARTLY: f"partly received {received}: {count(row.rows_landed, 'row')} landed, "
                            f"{row.rows_left_out:,} left out (import it again to decide them)",
    }[row.state]
    if row.chased:
        said += "; chased " + ", ".join(format_uk(day) for day in row.chased)
    if row.proposals_waiting:
        said += f"; {count(row.proposals_waiting, 'proposal')} waiting"
    return said


def _send(args: argparse.Namespace) -> int:
    from scr_desk.domain.rules import ReturnDatesError, check_return_dates, parse_period
    from scr_desk.services.returns_export import agencies_with_open_items
    from scr_desk.services.returns_mail import send_returns
    period_text = _period(args.period)
    assert period_text is not None
    deadline = date_option("--deadline", args.deadline)
    try:
        check_return_dates(parse_period(period_text), deadline)
    except ReturnDatesError as exc:
        raise UsageError(f"--{exc.field}: {exc}") from None
    folder = _folder(args.out)
    with database_for_writing(args, "sending returns") as database:
        choices = agencies_with_open_items(database.sessions)
        ids = _chosen(choices, args.agency)
        if not ids:
            say("No agency has open items to report on, so no return was written.")
            return EXIT_OK
        result = send_returns(database.sessions, folder, ids, period=period_text, deadline=deadline)
    returns, drafts = len(result.returns), len(result.drafts)
    say(f"Wrote {count(returns, 'return')} for {period_text} (due {format_uk(deadline)}) and "
        f"{count(drafts, 'email draft')} to {folder}:")
    for draft in result.drafts:
        to = ", ".join(draft.recipients) or "no recipient"
        say(f"  {draft.code}: {draft.attached.name if draft.attached else ''} and its email draft (.eml), to {to}")
    _report_failures(result)
    if drafts:
        say("Open each draft in Outlook or Thunderbird, check it and send it from there; SCR Desk sends nothing.")
    return EXIT_INPUT if result.failed else EXIT_OK


def _chosen(choices: list[tuple[int, str, str, int]], wanted: list[str] | None) -> list[int]:
    if not wanted:
        return [agency_id for agency_id, _name, _code, open_items in choices if open_items]
    by_key = {key.casefold(): agency_id for agency_id, name, code, _ in choices for key in (name, code)}
    unknown = [w for w in wanted if w.casefold() not in by_key]
    if unknown:
        codes = ", ".join(sorted(code for _, _, code, _ in choices))
        raise UserFacingError(f"no agency has the code {', '.join(map(repr, unknown))}; the codes are: {codes}")
    return list(dict.fromkeys(by_key[w.casefold()] for w in wanted))


def _report_failures(result: MailResult) -> None:
    for text in result.warnings:
        warn(text)
    for failed in result.failed:
        print(f"scr-desk: {failed.agency}: {failed.reason}", file=sys.stderr)


def _chase(args: argparse.Namespace) -> int:
    from scr_desk.services.returns_mail import chase_returns
    period = _period(args.period)
    assert period is not None
    folder = _folder(args.out)
    with database_for_writing(args, "drafting chasers") as database:
        result = chase_returns(database.sessions, folder, period=period)
    if not result.drafts and not result.failed:
        say(f"No return for {period} is outstanding: no chaser was drafted.")
        return EXIT_OK
    say(f"Drafted {count(len(result.drafts), 'chaser')} for {period} in {folder}:")
    for draft in result.drafts:
        attached = ("no return attached" if draft.attached is None else
                    f"{draft.attached.name} attached" + (" (written again from the record: the file sent had gone "
                                                         "or changed)" if draft.rebuilt else ""))
        say(f"  {draft.agency}: to {', '.join(draft.recipients) or 'no recipient'}; {attached}: {draft.path.name}")
    _report_failures(result)
    return EXIT_INPUT if result.failed else EXIT_OK


def cmd_proposals(args: argparse.Namespace) -> int:
    from scr_desk.services.proposals import decide_proposals, list_proposals
    period = _period(args.period)
    if set(args.accept) & set(args.decline):
        raise UsageError("a proposal cannot be both accepted and declined: "
                         + ", ".join(map(str, sorted(set(args.accept) & set(args.decline)))))
    if args.accept or args.decline:
        with database_for_writing(args, "deciding proposals") as database:
            decided = decide_proposals(database.sessions, args.accept, args.decline)
        accepted = [d.reference for d in decided if d.accepted]
        declined = [d.reference for d in decided if not d.accepted]
        parts = ([f"accepted {count(len(accepted), 'proposal')} ({', '.join(accepted)})"] if accepted else []) + \
                ([f"declined {count(len(declined), 'proposal')} ({', '.join(declined)})"] if declined else [])
        said = "; ".join(parts)
        say(said[:1].upper() + said[1:] + ". Each decision is in its item's Changes, dated and attributed.")
        return EXIT_OK
    database = open_existing(args, read_only=True)
    try:
        rows = list_proposals(database.sessions, period=period)
    finally:
        database.close()
    if args.json:
        say(as_json([row.as_json() for row in rows]))
        return EXIT_OK
    if not rows:
        say("No proposals are waiting" + (f" from returns for {period}." if period else "."))
        return EXIT_OK
    say(f"{count(len(rows), 'proposal')} waiting for your decision:")
    for row in rows:
        say(f"  {row.id:>4}  {row.reference}, from {row.agency or 'an agency'} ({row.period}): {row.proposed}")
        if row.narrative:
            text = row.narrative if len(row.narrative) <= 100 else row.narrative[:99] + "…"
            say(f"        with their update of {format_uk(row.as_at)}: “{text}”")
    say("Accept with --accept ID…, decline with --decline ID…; a declined proposal stays on its update.")
    return EXIT_OK


COMMANDS: dict[str | None, Command] = {"returns": cmd_returns, "proposals": cmd_proposals}
