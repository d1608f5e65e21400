"""The one entry to importing: read the file (no database needed), then plan against the
database. Nothing here writes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.engine import Database
from scr_desk.db.models import ImportBatch
from scr_desk.domain.enums import ImportKind
from scr_desk.excel.detect import detect_kind
from scr_desk.excel.guard import check_workbook_file
from scr_desk.excel.reader import WorkbookData, read_workbook
from scr_desk.excel.tracker_source import CALAMINE_ONLY, is_tracker_only, open_tracker, read_calamine_only
from scr_desk.services.audit import newest_audit_id
from scr_desk.services.imports.plan import ImportPlan, PlanSource

Progress = Callable[[int, int, str], None]  # (done, of, what is being done), for a progress bar


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ReadFile:
    """A file read and recognised, before any database is consulted."""

    path: Path
    file_hash: str
    book: WorkbookData
    kind: ImportKind
    facts: dict[str, Any]


def read_file(path: Path) -> ReadFile:
    """Check and read `path`; raises WorkbookError when it cannot be read at all."""
    path = Path(path)
    if is_tracker_only(path):  # a Word table, a CSV or text file: always a hand-made tracker
        return ReadFile(path, file_hash(path), open_tracker(path), ImportKind.LEGACY, {})
    if path.suffix.lower() in CALAMINE_ONLY:
        return _read_old_format(path)
    checked = check_workbook_file(path)
    book = read_workbook(path, checked)
    kind, facts = detect_kind(book)
    return ReadFile(path, file_hash(path), book, kind, facts)


def _read_old_format(path: Path) -> ReadFile:
    """An .xls or .ods tracker, read by python-calamine. A return or a full workbook saved in either
    format is refused as before: they are exchanged as .xlsx and stay exactly as strict."""
    from scr_desk.excel.guard import WorkbookError
    book = read_calamine_only(path)
    kind, _facts = detect_kind(book)
    if kind != ImportKind.LEGACY:
        what = "an OpenDocument spreadsheet (.ods)" if path.suffix.lower() == ".ods" else \
            "an old-style Excel file (.xls)"
        layout = "return" if kind == ImportKind.RETURNS else "full workbook"
        raise WorkbookError(path, f"this is {what} laid out as SCR Desk's {layout}; save it as an Excel workbook "
                                  "(.xlsx) and import that")
    return ReadFile(path, file_hash(path), book, ImportKind.LEGACY, {})


def plan_read(session: Session, read: ReadFile, *, today: date | None = None,
              mapping: dict[str, dict[str, Any]] | None = None,
              answers: dict[str, Any] | None = None, progress: Progress | None = None) -> ImportPlan:
    """What importing the file would do, as seen from `session` (which may hold the write lock
    and earlier files' changes, when several files are imported together). `answers` answer a
    hand-made tracker's questions (see services.imports.tracker_questions)."""
    plan = ImportPlan(read.path, read.file_hash, read.kind, facts=dict(read.facts))
    today = today or date.today()
    previous = session.scalar(select(ImportBatch).where(ImportBatch.file_hash == plan.file_hash,
                                                        ImportBatch.undone_at.is_(None)).limit(1))
    if previous is not None:
        plan.already_imported = f"{previous.imported_at:%d/%m/%Y %H:%M}"
    if read.kind == ImportKind.RETURNS:
        from scr_desk.services.imports.returns import plan_return
        plan_return(session, plan, read.book, read.facts, today)
    elif read.kind == ImportKind.FULL:
        from scr_desk.excel.full_reader import parse_full
        from scr_desk.services.imports.full import plan_full
        plan_full(session, plan, parse_full(read.book, read.facts), read.book.date1904, progress)
    else:
        assert read.kind == ImportKind.LEGACY
        from scr_desk.services.imports.legacy import plan_legacy
        plan_legacy(session, plan, read.book, today, mapping or {}, answers)
    return plan


def plan_import(database: Database, path: Path, *, today: date | None = None,
                mapping: dict[str, dict[str, Any]] | None = None,
                answers: dict[str, Any] | None = None, progress: Progress | None = None) -> ImportPlan:
    """Read `path` and work out what importing it would do. Raises WorkbookError when the file
    cannot be read at all; problems with rows are in the plan. `progress(done, of, what)` hears
    how far a large file has got (a full workbook reports its records as they are checked)."""
    if progress:
        progress(0, 0, f"Reading {Path(path).name}")
    read = read_file(path)
    today = today or date.today()
    with database.sessions() as session:
        seen = newest_audit_id(session)  # before planning: a change landing meanwhile is seen as one
        plan = plan_read(session, read, today=today, mapping=mapping, answers=answers, progress=progress)
    plan.source, plan.seen_change = PlanSource(today, dict(mapping or {}), answers), seen
    return plan

