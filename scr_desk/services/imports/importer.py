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
from scr_desk.excel.tabular import is_tabular, read_tabular
from scr_desk.services.imports.plan import ImportPlan

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
    if is_tabular(path):  # a Word table or a CSV file: always a hand-made tracker
        return ReadFile(path, file_hash(path), read_tabular(path), ImportKind.LEGACY, {})
    checked = check_workbook_file(path)
    book = read_workbook(path, checked)
    kind, facts = detect_kind(book)
    return ReadFile(path, file_hash(path), book, kind, facts)


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
    with database.sessions() as session:
        return plan_read(session, read, today=today, mapping=mapping, answers=answers, progress=progress)
