"""A quarter's post, drafted: each agency's return with an email draft beside it (`send`), and a
chaser with the same return attached for each return still out (`chase`). The drafts are files
for the lead's own mail program; nothing is ever sent from here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Agency, ReturnChase, ReturnExport
from scr_desk.domain.contacts import split_addresses
from scr_desk.domain.errors import ScrDeskError
from scr_desk.services.email_drafts import Attachment, ReturnLetter, chaser_draft, no_address_warning, return_draft
from scr_desk.services.files import check_output, replace_atomically
from scr_desk.services.return_rebuild import CannotRebuild, return_as_sent
from scr_desk.services.returns_board import load_board
from scr_desk.services.returns_export import Progress, ReturnNotWritten, ReturnsBatch, checked_period, export_returns

__all__ = ["Draft", "MailResult", "chase_returns", "draft_path", "send_returns"]


@dataclass(frozen=True)
class Draft:
    agency: str
    code: str
    path: Path
    recipients: tuple[str, ...]
    attached: Path | None  # the return attached (None: none could be found or rebuilt)
    rebuilt: bool = False  # the return attached was written again from the record


@dataclass
class MailResult:
    """Returns written (for `send`), drafts written, drafts not written (with why), warnings."""

    returns: ReturnsBatch = field(default_factory=ReturnsBatch)
    drafts: list[Draft] = field(default_factory=list)
    failed: list[ReturnNotWritten] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _letter(session: Session, export_uid: str, *, today: date | None = None) -> tuple[ReturnLetter, str]:
    export = session.scalar(select(ReturnExport).where(ReturnExport.uid == export_uid))
    assert export is not None  # just written, or read from the board in this session's database
    agency = session.get(Agency, export.agency_id) if export.agency_id else None
    late = (today - export.deadline).days if today and today > export.deadline else 0
    letter = ReturnLetter(
        partnership=export.partnership, agency=export.agency_name, contact=agency.contact_name if agency else "",
        emails=tuple(split_addresses(agency.contact_email)) if agency else (), period=export.period,
        deadline=export.deadline, items=export.row_count, sent_on=export.exported_at.date(), days_overdue=late)
    return letter, agency.code if agency else ""


def draft_path(workbook: Path, suffix: str = "") -> Path:
    return workbook.with_name(f"{workbook.stem}{suffix}.eml")


def send_returns(sessions: sessionmaker[Session], folder: Path, agency_ids: Sequence[int], *, period: str,
                 deadline: date, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> MailResult:
    """Each agency's return (export_returns) and, beside it, its email draft addressed to the
    agency's contacts with the return attached. An agency with no address gets a draft with no
    recipient, and a warning."""
    result = MailResult(returns=export_returns(sessions, folder, agency_ids, period=period, deadline=deadline,
                                               progress=progress, cancelled=cancelled))
    result.failed.extend(result.returns.failed)
    for written in result.returns:
        if cancelled and cancelled():
            break  # stopped by the user: no more files, drafts included
        path = draft_path(written.path)
        try:
            check_output(path)
            with sessions() as session:
                letter, code = _letter(session, written.export_id)
            replace_atomically(path, return_draft(letter, Attachment(written.path.name, written.path.read_bytes())))
        except (ScrDeskError, OSError) as exc:
            result.failed.append(ReturnNotWritten(written.agency, path, _reason(exc, path)))
            continue
        if not letter.emails:
            result.warnings.append(no_address_warning(letter.agency, code))
        result.drafts.append(Draft(letter.agency, code, path, letter.emails, written.path))
    return result


def chase_returns(sessions: sessionmaker[Session], folder: Path, *, period: str,
                  today: date | None = None) -> MailResult:
    """A chaser for each return of `period` still out (sent or overdue; none for one received),
    with the same return attached: the file first written if it is still that return, else the
    return rebuilt from the record into `folder`. Each chaser is recorded on the board."""
    today = today or date.today()
    period = checked_period(period, None)
    folder.mkdir(parents=True, exist_ok=True)
    result = MailResult()
    board = load_board(sessions, period, today=today)
    for row in (r for r in board.rows if r.state.outstanding):
        stem = Path(row.file_name or f"{period} return - {row.code}.xlsx").stem
        path = folder / f"{stem} - chaser {today:%Y-%m-%d}.eml"
        attached = None
        try:
            check_output(path)
            try:
                attached = return_as_sent(sessions, row.export_uid, row.written_to, row.file_name, folder)
            except CannotRebuild as exc:
                result.warnings.append(f"{row.name}: {exc}; the chaser has no attachment and asks them to use the "
                                       "workbook they were sent.")
            with sessions() as session:
                letter, code = _letter(session, row.export_uid, today=today)
            attachment = Attachment(row.file_name, attached.data) if attached else None
            replace_atomically(path, chaser_draft(letter, attachment))
            with sessions.begin() as session:  # the chase is on record only once its draft is written
                export_id = session.scalar(select(ReturnExport.id).where(ReturnExport.uid == row.export_uid))
                session.add(ReturnChase(export_id=export_id, chased_on=today, file_name=path.name))
        except (ScrDeskError, OSError) as exc:
            result.failed.append(ReturnNotWritten(row.name, path, _reason(exc, path)))
            continue
        if not letter.emails:
            result.warnings.append(no_address_warning(letter.agency, code))
        result.drafts.append(Draft(letter.agency, code, path, letter.emails, attached.path if attached else None,
                                   attached.rebuilt if attached else False))
    return result


def _reason(error: BaseException, path: Path) -> str:
    if isinstance(error, OSError):
        from scr_desk.db.errors import describe_file_error
        return describe_file_error(error, path)
    return str(error)
