"""The one entry to importing: detect the kind, read, plan. Nothing here writes."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scr_desk.db.engine import Database
from scr_desk.db.models import ImportBatch
from scr_desk.excel.detect import KIND_LEGACY, detect_kind
from scr_desk.excel.guard import check_workbook_file
from scr_desk.excel.layout import KIND_FULL, KIND_RETURNS
from scr_desk.excel.reader import read_workbook
from scr_desk.excel.tabular import is_tabular, read_tabular
from scr_desk.services.imports.plan import ImportPlan
from scr_desk.services.returns_export import database_uid


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_import(database: Database, path: Path, *, today: date | None = None,
                mapping: dict[str, dict[str, Any]] | None = None,
                answers: dict[str, Any] | None = None) -> ImportPlan:
    """Read `path` and work out what importing it would do. Raises WorkbookError when the file
    cannot be read at all; problems with rows are in the plan. `answers` answer a hand-made
    tracker's questions (see services.imports.tracker_questions)."""
    path = Path(path)
    if is_tabular(path):  # a Word table or a CSV file: always a hand-made tracker
        book, kind, facts = read_tabular(path), KIND_LEGACY, {}
    else:
        checked = check_workbook_file(path)
        book = read_workbook(path, checked)
        kind, facts = detect_kind(book)
    plan = ImportPlan(path, file_hash(path), kind, facts=facts)
    today = today or date.today()
    with database.sessions() as session:
        previous = session.scalar(select(ImportBatch).where(ImportBatch.file_hash == plan.file_hash,
                                                            ImportBatch.undone_at.is_(None)))
        if previous is not None:
            plan.already_imported = f"{previous.imported_at:%d/%m/%Y %H:%M}"
        if kind == KIND_RETURNS:
            from scr_desk.excel.returns_reader import parse_return
            from scr_desk.services.imports.returns import plan_return
            plan_return(session, plan, parse_return(book, facts), database_uid(session), book.date1904, today)
        elif kind == KIND_FULL:
            from scr_desk.excel.full_reader import parse_full
            from scr_desk.services.imports.full import plan_full
            plan_full(session, plan, parse_full(book, facts), book.date1904)
        else:
            assert kind == KIND_LEGACY
            from scr_desk.services.imports.legacy import plan_legacy
            plan_legacy(session, plan, book, today, mapping or {}, answers)
    return plan
