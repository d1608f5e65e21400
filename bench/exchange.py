"""Exports and imports: against the libraries reading and writing the same workbooks in the same
run, and the window's event loop while they run beside it."""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path
from typing import Any

import measures

Figures = dict[str, tuple[float, float | None]]


def full_export(db: Path, folder: Path, runs: int, baselines: bool) -> tuple[Figures, Path]:
    """The full workbook written `runs` times; with `baselines`, openpyxl's write-only mode and
    xlsxwriter writing the same cells too. Returns the figures and one workbook written."""
    from scr_desk.db.engine import open_database
    from scr_desk.services.full_export import export_full
    source = open_database(db)
    ours = []
    for n in range(runs):
        started = time.perf_counter()
        export_full(source.sessions, folder / f"full{n}.xlsx")
        ours.append(1000 * (time.perf_counter() - started))
    source.close()
    if not baselines:
        return {"full export": (measures.median(ours), None)}, folder / "full0.xlsx"
    cells = measures.cells_of(folder / "full0.xlsx")
    theirs = [measures.openpyxl_write_only(cells, folder / f"plain{n}.xlsx") for n in range(runs)]
    xlsx = [v for n in range(runs) if (v := measures.xlsxwriter_constant_memory(cells, folder / f"xw{n}.xlsx"))]
    return {"full export": (measures.median(ours), measures.median(theirs)),
            "full export, against xlsxwriter constant_memory": (measures.median(ours),
                                                                measures.median(xlsx) if xlsx else None)}, \
        folder / "full0.xlsx"


def full_import(db: Path, empty: Path, workbook: Path, folder: Path, runs: int) -> Figures:
    """The full workbook's dry run into the database it came from (every record verified, none
    new) and into an empty one (a lead moving laptops: every record new), against python-calamine
    reading the same file; and applying it into the empty one."""
    from scr_desk.db.engine import open_database
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    same, fresh, applied, calamine = [], [], [], []
    for _ in range(runs):
        calamine.append(measures.calamine_read(workbook))
        target = open_database(db)
        started = time.perf_counter()
        plan = plan_import(target, workbook)
        same.append(1000 * (time.perf_counter() - started))
        target.close()
        assert plan.errors == [], plan.errors[:3]
        del plan
        target = open_database(measures.copy_db(empty, folder))
        started = time.perf_counter()
        plan = plan_import(target, workbook)
        fresh.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        apply_plan(target, plan)
        applied.append(1000 * (time.perf_counter() - started))
        target.close()
        shutil.rmtree(target.path.parent, ignore_errors=True)
        del plan
    base = measures.median(calamine)
    return {"full workbook: dry run into the database it came from": (measures.median(same), base),
            "full workbook: dry run into an empty database (moving laptops)": (measures.median(fresh), base),
            "full workbook: applied into an empty database": (measures.median(applied), base)}


def return_import(db: Path, folder: Path, runs: int) -> tuple[Figures, Path]:
    """A 5,000-row return from the agency with most open items: its dry run and its apply."""
    from scr_desk.db.engine import open_database
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    from scr_desk.services.returns_export import agencies_with_open_items, export_return
    source = open_database(db)  # a return is recorded in the database as it is sent
    biggest = max(agencies_with_open_items(source.sessions), key=lambda a: a[3])
    sent = folder / "return.xlsx"
    export_return(source.sessions, biggest[0], sent)
    source.close()
    returned = fill_return(sent, folder / "return-filled.xlsx", 5000)
    dry, apply, calamine, openpyxl_ro = [], [], [], []
    for _ in range(runs):
        target = open_database(measures.copy_db(db, folder))
        started = time.perf_counter()
        plan = plan_import(target, returned)
        dry.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        apply_plan(target, plan)
        apply.append(1000 * (time.perf_counter() - started))
        target.close()
        calamine.append(measures.calamine_read(returned))
        openpyxl_ro.append(measures.openpyxl_read_only(returned))
    return {
        "import a 5,000-row return: dry run": (measures.median(dry), measures.median(calamine)),
        "import a 5,000-row return: apply": (measures.median(apply), measures.median(calamine)),
        "import, against openpyxl read-only iteration": (measures.median(dry), measures.median(openpyxl_ro)),
    }, returned


def fill_return(sent: Path, out: Path, rows: int) -> Path:
    """A partner's answer: an update, evidence and a proposed RAG on the first `rows` rows."""
    import openpyxl
    book = openpyxl.load_workbook(sent)
    sheet = book["Returns"]
    for row in range(2, min(sheet.max_row, rows + 1) + 1):
        sheet.cell(row, 13).value = f"Benchmark update for row {row}: training delivered, audit planned."
        sheet.cell(row, 14).value = "Training records"
        sheet.cell(row, 16).value = ("Red", "Amber", "Green")[row % 3]
    book.save(out)
    return out


def answered_again(returned: Path, out: Path, round_number: int = 0) -> Path:
    """The same return answered again with new words, so a second import brings new updates."""
    import openpyxl
    book = openpyxl.load_workbook(returned)
    sheet = book["Returns"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 13).value:
            sheet.cell(row, 13).value = f"Answer {round_number + 2} for row {row}: audit completed, findings shared."
    book.save(out)
    return out


# --- beside the window (these run in the window's own process) ---------------------------------
def dashboard_opening(app: Any, window: Any) -> float:
    """The longest stall while the dashboard opens through the menu's own action, from the item
    pane each time."""
    window.right_tabs.setCurrentWidget(window.detail)
    app.processEvents()
    shown = window.dashboards.dashboard_shown
    return measures.longest_stall(app, window.menu_actions["dashboard"].trigger,
                                  lambda: window.dashboards.dashboard_shown > shown and not window.runner.busy)


def exchange_stalls(app: Any, window: Any, folder: Path, runs: int, return_file: Path) -> Figures:
    """The event loop while a full export and a return's import run on workers, and while an
    import finishes beside the dashboard (one per run, each bringing new words)."""
    from scr_desk.services.full_export import export_full
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    database = window.workspace.database
    done: list[object] = []

    def start() -> None:
        window.runner.run(lambda p, c: export_full(database.sessions, folder / "stall.xlsx"),
                          on_done=done.append, on_error=done.append)
        window.runner.run(lambda p, c: apply_plan(database, plan_import(database, return_file)),
                          on_done=done.append, on_error=done.append)
    both = measures.longest_stall(app, start, lambda: len(done) == 2)
    errors = [d for d in done if isinstance(d, BaseException)]
    if errors:
        raise errors[0]
    beside = []
    for n in range(runs):
        opening = dashboard_opening(app, window)
        importing = import_beside_dashboard(app, window, answered_again(return_file, folder / f"again{n}.xlsx", n))
        print(f"  dashboard: opening {opening:.0f} ms, import finishing {importing:.0f} ms", flush=True)
        beside.append(max(opening, importing))
    return {"longest GUI stall during export and import": (both, None),
            "longest GUI stall: dashboard opened, then an import": (measures.median(beside), None)}


def import_beside_dashboard(app: Any, window: Any, returned: Path) -> float:
    """The longest stall while an import (planned beforehand: the figure is about the window)
    finishes beside the dashboard: the window reloads the tree and redraws the dashboard."""
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    database = window.workspace.database
    plan = plan_import(database, returned)
    # What the benchmark made to get here (the answered return, read and written by openpyxl, and
    # the plan's reading), not the window: a user's window has none of it. Left, its 200,000
    # objects were collected on a worker during the measure, a 390 ms collection holding the GIL.
    gc.collect()
    shown, loads = window.dashboards.dashboard_shown, window.loads

    def fail(exc: BaseException) -> None:
        raise exc
    return measures.longest_stall(
        app, lambda: window.runner.run(lambda p, c: apply_plan(database, plan),
                                       on_done=lambda result: window.importer._applied(plan, result), on_error=fail),
        lambda: window.loads > loads and window.dashboards.dashboard_shown > shown and not window.runner.busy)
