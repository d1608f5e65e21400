"""Benchmark SCR Desk against its speed bars (BARS below) on a large synthetic database.

    python bench/run.py [--quick] [--runs N] [--json FILE]

Builds the database once (200 reviews, 5,000 recommendations, 10,000 actions, 120,000 updates;
--quick builds a small one), then prints, for each figure, the median of several runs, the
baseline measured in the same run, their ratio and the bar.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import measures  # noqa: E402

from scr_desk.db.engine import create_database  # noqa: E402
from scr_desk.domain.dto import ItemKey  # noqa: E402
from scr_desk.domain.enums import ItemKind  # noqa: E402
from scr_desk.services.sample import load_sample  # noqa: E402
from scr_desk.services.synthetic import QUICK, Sizes, add_synthetic_data  # noqa: E402

BARS = {  # figure -> (kind, bar): "ratio" against its baseline, or an absolute "ms"/"MB" ceiling
    "window shown (process start to first paint)": ("ratio", 1.5),
    "window with content (process start to a tree with rows)": ("ratio", 5.0),
    "window usable (process start to menus, tree, a selection that sticks)": ("ratio", 3.0),
    "window fully loaded (database open, tree counted, detail pane)": ("ratio", None),
    "find box: longest stall while typing a word": ("ms", 50),
    "find box: matches shown after the last key": ("ms", 300),
    "select an item with 50 updates": ("ms", 50),
    "expand a review with 25 recommendations": ("ms", 50),
    "peak memory of the window": ("MB", 250),
    "full export": ("ratio", 1.5),
    "full export, against xlsxwriter constant_memory": ("ratio", None),
    "import a 5,000-row return: dry run": ("ratio", 2.0),
    "import a 5,000-row return: apply": ("ratio", None),
    "import, against openpyxl read-only iteration": ("ratio", 2.0),
    "export peak memory": ("MB", 300),
    "import peak memory": ("MB", None),
    "longest GUI stall during export and import": ("ms", 100),
    "longest GUI stall: dashboard opened, then an import": ("ms", 100),
}
# The window's bars at ten times the large database (issue 21), where they differ from BARS.
WINDOW_BARS_AT_10X = {
    "window usable (process start to menus, tree, a selection that sticks)": ("ratio", 5.0),
    "find box: longest stall while typing a word": ("ms", 100),
    "find box: matches shown after the last key": ("ms", 1000),
    "peak memory of the window": ("MB", 400),
}
# Words typed in the find box: four the synthetic text holds almost everywhere, four selective ones.
WORDS = ("domestic", "training", "police", "audit", "hoarding", "child k10", "r042-r7", "self-neglect")
KEY_INTERVAL_MS = 90  # a brisk typist: faster than the find box's pause before it asks


def build(folder: Path, quick: bool) -> tuple[Path, float]:
    started = time.perf_counter()
    database = create_database(folder / "large.sqlite")
    add_synthetic_data(database.sessions, QUICK if quick else Sizes())
    load_sample(database.sessions)
    _fifty_updates(database)
    database.close()
    return folder / "large.sqlite", time.perf_counter() - started


def _fifty_updates(database: Any) -> None:
    """Give one recommendation exactly 50 updates, for the selection figure."""
    from sqlalchemy import delete, insert

    from scr_desk.db.base import new_uid
    from scr_desk.db.models import Update
    from scr_desk.domain.enums import SourceKind
    with database.sessions.begin() as session:
        session.execute(delete(Update).where(Update.recommendation_id == 1))
        session.execute(insert(Update), [{
            "uid": new_uid(), "recommendation_id": 1, "as_at": date(2020, 1, 1 + i % 28), "period": "2019-20 Q4",
            "narrative": "Progress reported to the panel; training continues. " * 6, "evidence": "Audit",
            "source_kind": SourceKind.TYPED} for i in range(50)])


def gui_figures(db: Path, folder: Path, runs: int, return_file: Path) -> dict[str, tuple[float, float | None]]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from scr_desk.app import make_application
    from scr_desk.services.full_export import export_full
    from scr_desk.services.imports.apply import apply_plan
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.workspace import open_workspace

    app = make_application()
    window = MainWindow(open_workspace(measures.copy_db(db, folder)))
    window.show()
    measures.settle(app, lambda: window.loads >= 1)
    stalls, after_last_key = [], []
    for word in WORDS:
        stall, shown_after = type_word(app, window, word)
        stalls.append(stall)
        after_last_key.append(shown_after)
    print("  find box, per word: longest stall " + ", ".join(f"{w} {v:.0f}" for w, v in zip(WORDS, stalls, strict=True))
          + "; matches shown after the last key " + ", ".join(f"{v:.0f}" for v in after_last_key) + " ms", flush=True)
    window.filter_bar.reset()
    app.processEvents()
    selections = []
    for _ in range(runs):
        window.select_key(ItemKey(ItemKind.REVIEW, 1))
        app.processEvents()
        started = time.perf_counter()
        window.select_key(ItemKey.recommendation(1))
        app.processEvents()
        selections.append(1000 * (time.perf_counter() - started))
    assert len(window.detail.pages[ItemKind.RECOMMENDATION].timeline.updates) == 50
    expansions = [expand_review(app, window, row) for row in range(10, 10 + runs)]
    # One import finishing beside the dashboard per run, each bringing new words (the same return
    # imported again would bring nothing, and leave the window nothing to redraw).
    dashboard = measures.median([
        dashboard_stall(app, window, _second_return(return_file, folder / f"again{n}.xlsx", n)) for n in range(runs)])
    peak = PEAKS[0]  # the window's own use: before a return is read and imported in this process
    print(f"  peak memory: the window {peak:.0f} MB; with a 5,000-row return planned and imported in it "
          f"{measures.own_peak_mb():.0f} MB", flush=True)
    # The event loop while an export and an import run on worker threads.
    database = window.workspace.database
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    ticker = QTimer()
    ticker.setInterval(5)
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now
    ticker.timeout.connect(tick)
    ticker.start()
    done: list[object] = []
    window.runner.run(lambda p, c: export_full(database.sessions, folder / "stall.xlsx"),
                      on_done=done.append, on_error=done.append)
    window.runner.run(lambda p, c: apply_plan(database, plan_import(database, return_file)),
                      on_done=done.append, on_error=done.append)
    while len(done) < 2:
        app.processEvents()
    ticker.stop()
    errors = [d for d in done if isinstance(d, BaseException)]
    if errors:
        raise errors[0]
    window.close()
    QApplication.processEvents()
    return {"find box: longest stall while typing a word": (measures.median(stalls), None),
            "find box: matches shown after the last key": (measures.median(after_last_key), None),
            "select an item with 50 updates": (measures.median(selections), None),
            "expand a review with 25 recommendations": (measures.median(expansions), None),
            "peak memory of the window": (peak, None),
            "longest GUI stall during export and import": (max(gaps), None),
            "longest GUI stall: dashboard opened, then an import": (dashboard, None)}


def type_word(app: Any, window: Any, word: str) -> tuple[float, float]:
    """Type `word` in the find box a key every KEY_INTERVAL_MS, as a person does: the longest
    stall of the window from the first key until the tree shows the matches, and how long after
    the last key they were shown (ms)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    window.filter_bar.reset()
    measures.settle(app, lambda: not window.search.busy)
    window.filter_bar.text.setFocus()
    last_key: list[float] = []

    def key(character: str, last: bool) -> None:
        QTest.keyClicks(window.filter_bar.text, character)
        if last:
            last_key.append(time.perf_counter())

    def start() -> None:
        for n, character in enumerate(word):
            final = n == len(word) - 1
            QTimer.singleShot(n * KEY_INTERVAL_MS, lambda c=character, last=final: key(c, last))

    def shown() -> bool:
        return bool(last_key) and window.proxy.criteria.text == word and not window.search.busy
    stall = measures.longest_stall(app, start, shown)
    return stall, 1000 * (time.perf_counter() - last_key[0]) if last_key else float("nan")


def expand_review(app: Any, window: Any, row: int) -> float:
    """Open a review not read yet (its 25 recommendations and their actions are read then): ms
    until the tree has laid it out and painted."""
    window.tree.collapseAll()
    app.processEvents()
    index = window.proxy.index(row % window.proxy.rowCount(), 0)
    started = time.perf_counter()
    window.tree.expand(index)
    window.tree.scrollTo(window.proxy.index(0, 0, index))
    window.tree.viewport().repaint()
    app.processEvents()
    assert window.proxy.rowCount(index) > 0
    return 1000 * (time.perf_counter() - started)


def gui_figures_in_own_process(db: Path, folder: Path, runs: int,
                               return_file: Path) -> dict[str, tuple[float, float | None]]:
    """The window's figures measured in a fresh process holding only the window, as a user's is:
    in this one, the exports and imports measured before leave a heap (and a collector's work)
    no window of theirs would have."""
    import subprocess
    result = subprocess.run([sys.executable, __file__, "--runs", str(runs), "--window-figures", str(db), str(folder),
                             str(return_file)], capture_output=True, text=True, timeout=3600)
    for line in result.stdout.splitlines()[:-1]:
        print(line, flush=True)  # its own progress lines
    if result.returncode != 0:
        raise RuntimeError(f"the window's figures failed:\n{result.stderr}")
    return {name: (value, base) for name, (value, base) in json.loads(result.stdout.splitlines()[-1]).items()}


PEAKS: list[float] = []  # the window process's peak memory once its dashboard has opened


def dashboard_stall(app: Any, window: Any, return_file: Path) -> float:
    """Open the dashboard through the menu's own action, then let an import finish while it
    shows (the window reloads the tree and redraws the dashboard): the longest stall of both."""
    from scr_desk.services.imports.apply import apply_plan
    from scr_desk.services.imports.importer import plan_import
    window.right_tabs.setCurrentWidget(window.detail)
    app.processEvents()
    shown = window.dashboards.dashboard_shown
    opening = measures.longest_stall(app, window.menu_actions["dashboard"].trigger,
                                     lambda: window.dashboards.dashboard_shown > shown and not window.runner.busy)
    PEAKS.append(measures.own_peak_mb())  # the window's own use, before the import planned below
    database = window.workspace.database
    plan = plan_import(database, return_file)  # planned beforehand: the figure is about the window
    shown, loads = window.dashboards.dashboard_shown, window.loads
    importing = measures.longest_stall(
        app, lambda: window.runner.run(lambda p, c: apply_plan(database, plan),
                                       on_done=lambda result: window.importer._applied(plan, result),
                                       on_error=lambda exc: (_ for _ in ()).throw(exc)),
        lambda: window.loads > loads and window.dashboards.dashboard_shown > shown and not window.runner.busy)
    print(f"  dashboard: opening {opening:.0f} ms, import finishing {importing:.0f} ms", flush=True)
    return max(opening, importing)


def _second_return(returned: Path, out: Path, round_number: int = 0) -> Path:
    """The same return answered again with new words, so a second import brings new updates."""
    import openpyxl
    book = openpyxl.load_workbook(returned)
    sheet = book["Returns"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 13).value:
            sheet.cell(row, 13).value = f"Answer {round_number + 2} for row {row}: audit completed, findings shared."
    book.save(out)
    return out


def exchange_figures(db: Path, folder: Path, runs: int) -> tuple[dict[str, tuple[float, float | None]], Path]:
    from scr_desk.db.engine import open_database
    from scr_desk.services.full_export import export_full
    from scr_desk.services.imports.apply import apply_plan
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.returns_export import agencies_with_open_items, export_return

    source = open_database(db)  # a return is recorded in the database as it is sent
    ours, theirs, xlsx = [], [], []
    for n in range(runs):
        started = time.perf_counter()
        export_full(source.sessions, folder / f"full{n}.xlsx")
        ours.append(1000 * (time.perf_counter() - started))
    cells = measures.cells_of(folder / "full0.xlsx")
    for n in range(runs):
        theirs.append(measures.openpyxl_write_only(cells, folder / f"plain{n}.xlsx"))
        value = measures.xlsxwriter_constant_memory(cells, folder / f"xw{n}.xlsx")
        if value is not None:
            xlsx.append(value)
    biggest = max(agencies_with_open_items(source.sessions), key=lambda a: a[3])
    sent = folder / "return.xlsx"
    export_return(source.sessions, biggest[0], sent)
    source.close()
    returned = _fill_return(sent, folder / "return-filled.xlsx", 5000)
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
    figures = {
        "full export": (measures.median(ours), measures.median(theirs)),
        "full export, against xlsxwriter constant_memory": (measures.median(ours),
                                                            measures.median(xlsx) if xlsx else None),
        "import a 5,000-row return: dry run": (measures.median(dry), measures.median(calamine)),
        "import a 5,000-row return: apply": (measures.median(apply), measures.median(calamine)),
        "import, against openpyxl read-only iteration": (measures.median(dry), measures.median(openpyxl_ro)),
    }
    return figures, returned


def _fill_return(sent: Path, out: Path, rows: int) -> Path:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="a small database, for the test suite")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 5, quick 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--window-figures", nargs=3, type=Path, metavar=("DB", "FOLDER", "RETURN"),
                        help=argparse.SUPPRESS)  # the window's figures, in a process of its own
    args = parser.parse_args()
    if args.window_figures:
        db, folder, returned = args.window_figures
        print(json.dumps(gui_figures(db, folder, args.runs or 5, returned)))
        return 0
    runs = args.runs or (2 if args.quick else 5)
    with tempfile.TemporaryDirectory(prefix="scr_desk-bench-") as temp:
        folder = Path(temp)
        # The window measured in this process keeps its settings here, not in the user's profile.
        os.environ["SCR_DESK_DATA_DIR"] = str(folder / "data")
        db, build_seconds = build(folder, args.quick)
        print(f"Built {'quick' if args.quick else 'large'} database in {build_seconds:.1f} s "
              f"({db.stat().st_size / 1e6:.0f} MB)", flush=True)
        figures: dict[str, tuple[float, float | None]] = {}
        figures.update(measures.startup(db, runs, folder / "data"))
        exchange, returned = exchange_figures(db, folder, runs)
        figures.update(exchange)
        figures["export peak memory"] = (measures.peak_memory_mb(
            ["export", "--db", str(db), "--out", str(folder / "peak.xlsx")], folder / "data"), None)
        figures["import peak memory"] = (measures.peak_memory_mb(
            ["import", "--db", str(measures.copy_db(db, folder)), str(returned), "--dry-run"], folder / "data"), None)
        figures.update(gui_figures_in_own_process(db, folder, runs, returned))
    rows = report(figures)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "quick": args.quick, "runs": runs,
                                         "build_seconds": round(build_seconds, 2), "figures": rows}, indent=2))
    return 0


def report(figures: dict[str, tuple[float, float | None]]) -> list[dict[str, Any]]:
    rows = []
    print(f"\n{'figure':50} {'value':>10} {'baseline':>10} {'ratio':>7} {'bar':>8}  met")
    for name in [n for n in BARS if n in figures]:
        value, baseline = figures[name]
        kind, bar = BARS[name]
        unit = "MB" if kind == "MB" else "ms"
        ratio = value / baseline if baseline else None
        measured = ratio if kind == "ratio" else value
        met = None if bar is None or measured is None else measured <= bar
        rows.append({"figure": name, "value": round(value, 1), "unit": unit,
                     "baseline": round(baseline, 1) if baseline else None,
                     "ratio": round(ratio, 2) if ratio else None, "bar": bar, "bar_kind": kind, "met": met})
        bar_text = "" if bar is None else (f"{bar}x" if kind == "ratio" else f"{bar} {unit}")
        print(f"{name:50} {value:8.1f}{unit:>2} {baseline or float('nan'):8.1f}{unit:>2} "
              f"{(f'{ratio:.2f}x' if ratio else '-'):>7} {bar_text:>8}  "
              f"{'-' if met is None else 'yes' if met else 'NO'}")
    return rows


def machine() -> str:
    import PySide6
    import sqlalchemy
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, PySide6 "
            f"{PySide6.__version__}, SQLAlchemy {sqlalchemy.__version__}")


if __name__ == "__main__":
    sys.exit(main())
