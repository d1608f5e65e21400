"""The tracker importer's figures for bench/run.py: a partnership's hand-made tracker of 3,000 rows
(600 recommendations of five actions each, a lead agency and an owner, a RAG letter, a status, two
quarters of updates, the second a dated log of two entries) read into the large database: its dry
run, its apply, and a dry run of the same file again once its items exist (every row matched)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import measures

TODAY = date(2026, 11, 26)
AGENCIES = ("Benchtown Council Children's Services", "Benchtown Police", "Benchtown NHS Trust")


def write_tracker(path: Path, rows: int = 3000) -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LCSPR Bench"
    sheet.append(["Benchtown Safeguarding Children Partnership – LCSPR Bench action plan 2026/27"])
    sheet.append([])
    sheet.append(["Rec No.", "Recommendation", "Action", "Lead agency", "Owner", "Target date", "RAG", "Status",
                  "Update Q1 2026/27", "Update Q2 2026/27"])
    for i in range(rows):
        number = i // 5 + 1
        sheet.append([str(number), f"Partners should improve practice area {number} across the partnership",
                      f"{number}.{i % 5 + 1} Deliver action {i} with training and audit", AGENCIES[i % 3],
                      "Head of Service", "31/03/2027", "RAGB"[i % 4], "Ongoing",
                      f"Work started on {i}; 12 staff trained.",
                      f"14/09/2026 – progress on {i}\n12/07/2026 – earlier work on {i}"])
    book.save(path)
    return path


def tracker_figures(db: Path, folder: Path, runs: int, rows: int) -> dict[str, tuple[float, float | None]]:
    """The figures, for a tracker of `rows` rows (3,000; fewer for --quick)."""
    from scr_desk.db.engine import open_database
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan

    tracker = write_tracker(folder / "LCSPR Bench tracker.xlsx", rows)
    dry, apply, again, calamine = [], [], [], []
    for _ in range(runs):
        target = open_database(measures.copy_db(db, folder))
        started = time.perf_counter()
        plan = plan_import(target, tracker, today=TODAY)
        dry.append(1000 * (time.perf_counter() - started))
        assert not plan.errors, plan.errors
        started = time.perf_counter()
        apply_plan(target, plan)
        apply.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        plan_import(target, tracker, today=TODAY)
        again.append(1000 * (time.perf_counter() - started))
        target.close()
        calamine.append(measures.calamine_read(tracker))
    baseline = measures.median(calamine)
    return {
        "import a 3,000-row tracker: dry run": (measures.median(dry), baseline),
        "import a 3,000-row tracker: apply": (measures.median(apply), baseline),
        "the same tracker again, every row matched: dry run": (measures.median(again), baseline),
    }
