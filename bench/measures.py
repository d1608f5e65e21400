"""The individual measurements of bench/run.py. Each returns (value, baseline) in the units
the table shows; subprocess measurements run the real command line on the real files."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
BARE_WINDOW = (
    "import time, sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "from PySide6.QtCore import QTimer\n"
    "app = QApplication([]); window = QMainWindow(); window.resize(1280, 800); window.show()\n"
    "QTimer.singleShot(0, lambda: (print('shown', flush=True), app.quit()))\n"
    "app.exec()\n")
# ru_maxrss survives fork and exec (a child reports its parent's high-water mark if that was
# higher), so on Linux the peak is read from VmHWM, which a new program starts afresh.
PEAK_RSS = (
    "import resource, sys, runpy\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n    runpy.run_module('scr_desk', run_name='__main__')\n"
    "except SystemExit as e:\n    code = e.code\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
    "except OSError:\n    pass\n"
    "print('peak_kb', peak, file=sys.stderr)\n")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed_lines(command: list[str], env: dict[str, str], wanted: tuple[str, ...]) -> dict[str, float]:
    """Milliseconds from launching `command` until each wanted line prefix appears on stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    seen: dict[str, float] = {}
    assert process.stdout is not None
    for line in process.stdout:
        for prefix in wanted:
            if line.startswith(prefix) and prefix not in seen:
                seen[prefix] = 1000 * (time.perf_counter() - started)
    process.wait(timeout=120)
    return seen


def startup(db: Path, runs: int, data_dir: Path) -> dict[str, tuple[float, float]]:
    """Process start to each stage the window prints with --exit-when-ready ("shown", "content",
    "usable", "ready"), each against a bare PySide6 window's start to first paint, launched
    alternately with ours (so the machine's load falls on both alike)."""
    env = {**ENV, "SCR_DESK_DATA_DIR": str(data_dir)}
    stages = ("shown", "content", "usable", "ready")
    ours, bare = [], []
    for _ in range(runs):
        ours.append(timed_lines([sys.executable, "-m", "scr_desk", "--db", str(db), "--exit-when-ready"], env, stages))
        bare.append(timed_lines([sys.executable, "-c", BARE_WINDOW], env, ("shown",))["shown"])
    base = median(bare)
    return {stage: (median([o[stage] for o in ours]), base) for stage in stages}


def own_peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM on Linux, ru_maxrss elsewhere), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_memory_mb(args: list[str], data_dir: Path) -> float:
    env = {**ENV, "SCR_DESK_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", PEAK_RSS, "scr-desk", *args], capture_output=True, text=True,
                            env=env, timeout=600)
    line = next((text for text in result.stderr.splitlines() if text.startswith("peak_kb")), "peak_kb nan")
    return float(line.split()[1]) / 1024


def openpyxl_write_only(rows: dict[str, list[list[Any]]], out: Path) -> float:
    from openpyxl import Workbook
    started = time.perf_counter()
    book = Workbook(write_only=True)
    for name, values in rows.items():
        sheet = book.create_sheet(name)
        for row in values:
            sheet.append(row)
    book.save(out)
    return 1000 * (time.perf_counter() - started)


def xlsxwriter_constant_memory(rows: dict[str, list[list[Any]]], out: Path) -> float | None:
    try:
        import xlsxwriter
    except ImportError:
        return None
    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for name, values in rows.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(values):
            sheet.write_row(r, 0, row)
    book.close()
    return 1000 * (time.perf_counter() - started)


def cells_of(path: Path) -> dict[str, list[list[Any]]]:
    """The values of every sheet of a workbook, to write them again with other writers."""
    import python_calamine
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: [list(r) for r in book.get_sheet_by_name(name).iter_rows()] for name in book.sheet_names}


def calamine_read(path: Path) -> float:
    import python_calamine
    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for _ in book.get_sheet_by_name(name).iter_rows():
            pass
    return 1000 * (time.perf_counter() - started)


def openpyxl_read_only(path: Path) -> float:
    import openpyxl
    started = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()
    return 1000 * (time.perf_counter() - started)


def copy_db(source: Path, folder: Path) -> Path:
    """A working copy that stays the same database (as one taken to another computer does): its
    home is set to where it now lives, so it keeps the identity the returns were signed with."""
    import sqlite3
    target = Path(tempfile.mkdtemp(dir=folder)) / source.name
    shutil.copy2(source, target)
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('home_path', ?)",
                           (os.path.realpath(target),))
    connection.close()
    return target


def settle(app: Any, finished: Any, timeout_s: float = 600) -> None:
    """Let the window work until `finished()` is true, waiting for events (a 5 ms timer wakes the
    wait, so a condition that changes without an event is seen too)."""
    from PySide6.QtCore import QTimer
    waker = QTimer()
    waker.setInterval(5)
    waker.start()
    started = time.perf_counter()
    while not finished():
        app.processEvents(wait_flag())
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError("the window did not finish in time")
    waker.stop()


def wait_flag() -> Any:
    from PySide6.QtCore import QEventLoop
    return QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents


def longest_stall(app: Any, start: Any, finished: Any, timeout_s: float = 600) -> float:
    """The longest gap, in ms, between ticks of a 5 ms timer from calling `start()` until
    `finished()` is true: how long the event loop was held up at worst."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now
    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    started = time.perf_counter()
    start()
    tick()  # the call itself counts: it ran on the GUI thread
    while not finished():
        # Waiting for the next event, as the window's own event loop waits: a loop that spun here
        # took a core of the two from the workers whose answers it waits for (the find box's
        # search took twice as long beside it on a busy machine).
        app.processEvents(wait_flag())
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError("the window did not finish in time")
    for _ in range(5):  # and what the finishing left queued
        app.processEvents()
    tick()
    ticker.stop()
    return max(gaps, default=0.0)


def database_sizes(db: Path, folder: Path) -> tuple[float, float | None]:
    """The file's size in MB compacted (VACUUM), and without its full-text search index (its
    FTS5 tables dropped from a copy, then compacted); None for the second where it has none."""
    import sqlite3
    copy = copy_db(db, folder)
    connection = sqlite3.connect(copy)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        whole = copy.stat().st_size / 1e6
        search = [name for name, sql in connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                  if (sql or "").upper().startswith("CREATE VIRTUAL TABLE") and "FTS5" in (sql or "").upper()]
        if not search:
            return whole, None
        # The triggers that keep the index go with it (those on its own tables go by themselves).
        for name, sql in connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall():
            if any(table in (sql or "") for table in search):
                connection.execute(f'DROP TRIGGER "{name}"')
        for name in search:
            connection.execute(f'DROP TABLE "{name}"')
        connection.commit()
        connection.execute("VACUUM")
        return whole, copy.stat().st_size / 1e6
    finally:
        connection.close()
        shutil.rmtree(copy.parent, ignore_errors=True)
