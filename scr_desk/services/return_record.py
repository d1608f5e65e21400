"""The database's own record of every return it sends, and the signature that ties a workbook
to it. A return workbook carries only its export id and this signature: agency, period, rows,
versions and locked values are read from here on import, never from the file.

The signature is an HMAC over the export id and the database's identity, keyed by a secret kept
in this database alone (never written to any workbook): a return from another database, or one
whose hidden part was edited, does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import Agency, AppMeta, ReturnExport, ReturnExportRow
from scr_desk.excel.layout import RETURN_FORMAT_VERSION, ReturnItem

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


def verifies(session: Session, export_id: str, claimed: str) -> bool:
    if not export_id or not claimed or not _meta(session, SIGNING_KEY):
        return False
    return hmac.compare_digest(signature(session, export_id), claimed)


def record_export(session: Session, export_id: str, agency: Agency, period: str, deadline: date,
                  file_name: str, items: Sequence[ReturnItem]) -> None:
    export = ReturnExport(uid=export_id, agency_id=agency.id, agency_uid=agency.uid, agency_name=agency.name,
                          period=period, deadline=deadline, file_name=file_name,
                          format_version=RETURN_FORMAT_VERSION, row_count=len(items))
    session.add(export)
    session.flush()
    session.add_all(ReturnExportRow(export_id=export.id, position=position, item_key=item.key,
                                    version=item.version, locked=json.dumps(item.locked_values(), ensure_ascii=False))
                    for position, item in enumerate(items, start=1))


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
