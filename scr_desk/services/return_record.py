"""The database's own record of every return it sends, and the signature that ties a workbook
to it. A return workbook carries only its export id and this signature: agency, period, rows,
versions and locked values are read from here on import, never from the file.

The signature is an HMAC over the export id and the database's identity, keyed by a secret kept
in this database alone (never written to any workbook): a return from another database, or one
whose hidden part was edited, does not verify. A full workbook is signed the same way (with
another prefix, so neither signature passes for the other).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import Agency, AppMeta, ReturnExport, ReturnExportRow
from scr_desk.excel.layout import RETURN_FORMAT_VERSION, ReturnHeader, ReturnItem

__all__ = [
    "DATABASE_UID", "SIGNING_KEY", "SentReturn", "SentRow", "full_signature", "full_verifies", "item_from_values",
    "item_values", "load_sent", "record_export", "sent_elsewhere", "signature", "signed_by", "verifies",
]


SIGNING_KEY = "return_signing_key"
DATABASE_UID = "database_uid"


@dataclass(frozen=True, slots=True)
class SentRow:
    key: str  # "recommendation:<uid>" or "action:<uid>"
    version: int
    locked: dict[str, str]  # column key -> value as the sheet showed it (normalised)


@dataclass(frozen=True)
class SentReturn:
    export_id: str
    agency_id: int | None
    agency_name: str
    period: str
    deadline: date
    exported_at: datetime
    file_name: str
    rows: dict[str, SentRow]


def _meta(session: Session, key: str) -> str:
    return session.scalar(select(AppMeta.value).where(AppMeta.key == key)) or ""


def _signing_key(session: Session) -> bytes:
    key = _meta(session, SIGNING_KEY)
    if not key:  # a database made before keys existed gets one the first time it signs
        key = secrets.token_hex(32)
        session.add(AppMeta(key=SIGNING_KEY, value=key))
        session.flush()
    return bytes.fromhex(key)


def signature(session: Session, export_id: str) -> str:
    message = f"scr_desk return|{export_id}|{_meta(session, DATABASE_UID)}".encode()
    return hmac.new(_signing_key(session), message, hashlib.sha256).hexdigest()


def full_signature(session: Session, export_id: str) -> str:
    """The signature a full workbook carries: which database wrote it (and which export it is),
    keyed by the same secret as returns, so that no one without this database can make one."""
    message = f"scr_desk full|{export_id}|{_meta(session, DATABASE_UID)}".encode()
    return hmac.new(_signing_key(session), message, hashlib.sha256).hexdigest()


def full_verifies(session: Session, export_id: str, claimed: str) -> bool:
    if not export_id or not claimed or not _meta(session, SIGNING_KEY):
        return False
    return hmac.compare_digest(full_signature(session, export_id), claimed)


def signed_by(session: Session) -> dict[str, str]:
    """The sending database as a workbook names it beside the signature: its public identity and
    its file name (quoted to a user whose return reached another database, never trusted)."""
    from scr_desk.db.engine import database_name
    return {"database_uid": _meta(session, DATABASE_UID), "database_name": database_name(session)}


def sent_elsewhere(session: Session, facts: dict[str, str]) -> str:
    """Words naming the database a workbook says it came from, when that is not this one ("" when
    it names none, or names this one: then a signature that fails means the file was changed)."""
    uid, name = facts.get("database", "").strip(), " ".join(facts.get("database_name", "").split())[:120]
    if not uid or uid == _meta(session, DATABASE_UID):
        return ""
    from scr_desk.db.engine import database_name
    here = database_name(session)
    return (f"another database, {name or 'one whose file name it does not give'} (identity {uid[:8]}), not from "
            f"this one{f' ({here})' if here else ''}")


def verifies(session: Session, export_id: str, claimed: str) -> bool:
    if not export_id or not claimed or not _meta(session, SIGNING_KEY):
        return False
    return hmac.compare_digest(signature(session, export_id), claimed)


def record_export(session: Session, header: ReturnHeader, agency: Agency, written_to: Path,
                  items: Sequence[ReturnItem]) -> None:
    """What was sent, as the import will check it (rows, versions, locked values), and whole (the
    cover and every value of every row), so the same return can be written again (`rebuild`)."""
    export = ReturnExport(uid=header.export_id, agency_id=agency.id, agency_uid=agency.uid,
                          agency_name=header.agency_name, period=header.period, deadline=header.deadline,
                          file_name=written_to.name, written_to=str(written_to), partnership=header.partnership,
                          shown_at=header.exported_at, app_version=header.app_version,
                          format_version=RETURN_FORMAT_VERSION, row_count=len(items))
    session.add(export)
    session.flush()
    session.add_all(ReturnExportRow(export_id=export.id, position=position, item_key=item.key,
                                    version=item.version, locked=json.dumps(item.locked_values(), ensure_ascii=False),
                                    shown=json.dumps(item_values(item), ensure_ascii=False))
                    for position, item in enumerate(items, start=1))


def item_values(item: ReturnItem) -> dict[str, object]:
    """Every value of a return's row, as JSON holds it (dates as ISO text)."""
    return {name: value.isoformat() if isinstance(value, date) else value
            for name, value in ((f.name, getattr(item, f.name)) for f in fields(ReturnItem))}


def item_from_values(values: dict[str, Any]) -> ReturnItem:
    dates = {"target", "last_update_date"}
    kept: dict[str, Any] = {name: date.fromisoformat(str(value)) if name in dates and value else value
                            for name, value in values.items()}
    return ReturnItem(**kept)


def load_sent(session: Session, export_id: str) -> SentReturn | None:
    export = session.scalar(select(ReturnExport).where(ReturnExport.uid == export_id))
    if export is None:
        return None
    # Plain Core rows, not ORM ones: a return can have thousands.
    table = ReturnExportRow.__table__.c
    rows = {key: SentRow(key, version, json.loads(locked or "{}")) for key, version, locked in session.execute(
        select(table.item_key, table.version, table.locked).where(table.export_id == export.id))}
    return SentReturn(export.uid, export.agency_id, export.agency_name, export.period, export.deadline,
                      export.exported_at, export.file_name, rows)
