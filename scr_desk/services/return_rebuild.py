"""The return as it was sent, for a chaser: the very file when it is still where it was written
(and still that export), else the same workbook written again from the database's record of it:
the same export id and signature, the same cover, every row with the same values, so a partner
who fills in either copy is read exactly as the first would be."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import ReturnExport, ReturnExportRow
from scr_desk.excel.layout import ReturnHeader, ReturnItem
from scr_desk.services.errors import ServiceError
from scr_desk.services.files import write_atomically
from scr_desk.services.return_record import item_from_values
from scr_desk.services.returns_export import check_workbook, return_header

__all__ = ["CannotRebuild", "ReturnAsSent", "rebuild_return", "recorded_return", "return_as_sent"]


class CannotRebuild(ServiceError):
    """The record of this return predates keeping returns whole: it cannot be written again."""


@dataclass(frozen=True)
class ReturnAsSent:
    path: Path
    data: bytes
    rebuilt: bool  # written again from the record (the file first written had gone or changed)


def recorded_return(session: Session, export_uid: str) -> tuple[ReturnHeader, list[ReturnItem]]:
    export = session.scalar(select(ReturnExport).where(ReturnExport.uid == export_uid))
    if export is None:
        raise ServiceError(f"This database has no record of the return {export_uid}.")
    shown = list(session.scalars(select(ReturnExportRow.shown).where(ReturnExportRow.export_id == export.id)
                                 .order_by(ReturnExportRow.position)))
    if export.shown_at is None or any(not values for values in shown):
        raise CannotRebuild(f"the return sent to {export.agency_name} on {export.exported_at:%d/%m/%Y} was recorded "
                            "before SCR Desk kept returns whole, so it cannot be written again")
    header = return_header(session, export.uid, export.partnership, export.agency_name, export.period,
                           export.deadline, export.shown_at, export.app_version)
    return header, [item_from_values(json.loads(values)) for values in shown]


def rebuild_return(sessions: sessionmaker[Session], export_uid: str, out: Path) -> Path:
    """Write the return `export_uid` again, from the record, to `out` (atomically)."""
    from scr_desk.excel.return_writer import write_return
    with sessions() as session:
        header, items = recorded_return(session, export_uid)

    def write(temp: Path) -> None:
        from scr_desk.services.export_temp import private_scratch
        with private_scratch():
            write_return(temp, header, items)
        check_workbook(temp)
    write_atomically(out, write)
    return out


def return_as_sent(sessions: sessionmaker[Session], export_uid: str, written_to: str, file_name: str,
                   folder: Path) -> ReturnAsSent:
    """The file first written when it is still there and still this return; else the return
    rebuilt into `folder` under its own name (or, where another file took that name, the name
    with "(as sent)"). CannotRebuild when neither is possible."""
    from scr_desk.excel.return_meta import export_id_of
    first = Path(written_to) if written_to else None
    if first is not None and first.is_file() and export_id_of(first) == export_uid:
        return ReturnAsSent(first, first.read_bytes(), rebuilt=False)
    target = folder / file_name
    if target.is_file() and export_id_of(target) == export_uid:
        return ReturnAsSent(target, target.read_bytes(), rebuilt=False)
    if target.exists():  # another return (a later export) has the name: never write over it
        target = target.with_name(f"{target.stem} (as sent){target.suffix}")
    rebuild_return(sessions, export_uid, target)
    return ReturnAsSent(target, target.read_bytes(), rebuilt=True)
