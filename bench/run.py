"""Benchmark SCR Desk against its bars (BARS below) on the large synthetic database, at 1x and 10x.

    python bench/run.py [--quick] [--scales 1,10] [--runs N] [--json FILE] [--keep DIR] [--window-only | --imports-only]

Builds each database once (`scr-desk demo --large --scale N` makes the same data), or takes the
one kept in DIR by an earlier run, then prints for each figure and scale the median of several
runs, the baseline measured in the same run, their ratio and the bar, and the curve: how the
figure grew from the smallest scale to the largest. --quick uses a small data set at 1x and 2x;
--window-only measures the window's figures alone (with --keep, on databases built once);
--imports-only the imports' alone (the full workbook's and the return's, against python-calamine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import exchange  # noqa: E402
import measures  # noqa: E402
import tracker_bench  # noqa: E402

from scr_desk.db.engine import create_database  # noqa: E402
from scr_desk.services.sample import load_sample  # noqa: E402
from scr_desk.services.synthetic import QUICK, Sizes, add_synthetic_data  # noqa: E402


@dataclass(frozen=True)
class Bar:
    kind: str  # "ratio" (to its baseline), "ms" or "MB" (a ceiling)
    small: float | None  # at 1x
    large: float | None  # at the larger scales (10x)
    everywhere: bool = True  # measured at every scale (else at the smallest only)


BARS = {
    "window shown (process start to first paint)": Bar("ratio", 1.5, 1.5),
    "window with content (process start to a tree with rows)": Bar("ratio", None, None),
    "window usable (process start to menus, tree, a selection that sticks)": Bar("ratio", 3.0, 5.0),
    "window fully loaded (database open, tree counted, detail pane)": Bar("ratio", None, None),
    "peak memory of the window": Bar("MB", 250, 400),
    "find box: longest stall while typing a word": Bar("ms", 50, 100),
    "find box: matches shown after the last key": Bar("ms", 300, 1000),
    "select an item with 50 updates": Bar("ms", 50, 50),
    "expand a review with 25 recommendations": Bar("ms", 50, 50),
    "dashboard open: longest stall": Bar("ms", 100, 100),
    "longest GUI stall during export and import": Bar("ms", 100, None, everywhere=False),
    "longest GUI stall: dashboard opened, then an import": Bar("ms", 100, None, everywhere=False),
    "full export": Bar("ratio", 1.5, None),
    "full export, against xlsxwriter constant_memory": Bar("ratio", None, None, everywhere=False),
    "full workbook: dry run into the database it came from": Bar("ratio", 3.0, 3.0),
    "full workbook: dry run into an empty database (moving laptops)": Bar("ratio", 3.0, 3.0),
    "full workbook: applied into an empty database": Bar("ratio", None, None),
    "import a 5,000-row return: dry run": Bar("ratio", 3.0, None, everywhere=False),
    "import a 5,000-row return: apply": Bar("ratio", None, None, everywhere=False),
    "import, against openpyxl read-only iteration": Bar("ratio", 2.0, None, everywhere=False),
    "import a 3,000-row tracker: dry run": Bar("ms", 3000, None, everywhere=False),
    "import a 3,000-row tracker: apply": Bar("ms", 12000, None, everywhere=False),
    "the same tracker again, every row matched: dry run": Bar("ms", 3000, None, everywhere=False),
    "export peak memory": Bar("MB", 300, None, everywhere=False),
    "import peak memory": Bar("MB", None, None, everywhere=False),
    "full workbook dry run peak memory": Bar("MB", None, None),
    "database file size": Bar("MB", None, None),
    "database file size without the search index": Bar("MB", None, None),
}
Figures = dict[str, tuple[float, float | None]]


def build(folder: Path, sizes: Sizes, name: str) -> tuple[Path, float]:
    started = time.perf_counter()
    database = create_database(folder / name)
    add_synthetic_data(database.sessions, sizes)
    load_sample(database.sessions)
    _fifty_updates(database)
    database.close()
    return folder / name, time.perf_counter() - started


def _fifty_updates(database: Any) -> None:
    """Give recommendation 1 exactly 50 updates, for the selection figure; the newest says the
    status and RAG it holds, as every item's newest update does (the write path's rule)."""
    from sqlalchemy import delete, insert, select

    from scr_desk.db.base import new_uid
    from scr_desk.db.models import Recommendation, Update
    from scr_desk.domain.enums import SourceKind
    with database.sessions.begin() as session:
        status, rag = session.execute(select(Recommendation.status, Recommendation.rag)
                                      .where(Recommendation.id == 1)).one()
        session.execute(delete(Update).where(Update.recommendation_id == 1))
        session.execute(insert(Update), [{
            "uid": new_uid(), "recommendation_id": 1, "as_at": date(2020, 1, 1) + timedelta(days=i),
            "period": "2019-20 Q4",
            "narrative": "Progress reported to the panel; training continues. " * 6, "evidence": "Audit",
            "status": status if i == 49 else None, "rag": rag if i == 49 else None,
            "source_kind": SourceKind.TYPED} for i in range(50)])


def database_for(scale: int, quick: bool, folder: Path, keep: Path | None) -> tuple[Path, float | None]:
    """The database at this scale: built here, or the one an earlier run kept."""
    name = f"{'quick' if quick else 'large'}-{scale}x.sqlite"
    if keep is not None and (keep / name).exists():
        return keep / name, None
    db, seconds = build(keep or folder, (QUICK if quick else Sizes()).scaled(scale), name)
    return db, seconds


def window_figures(db: Path, folder: Path, runs: int, return_file: Path, small: bool, quick: bool) -> Figures:
    """The window's figures, measured in a fresh process holding only the window, as a user's is
    (bench/window_figures.py): in this one, the exports and imports measured before leave a heap
    no window of theirs would have."""
    import subprocess
    result = subprocess.run([sys.executable, __file__, "--runs", str(runs), *(["--quick"] if quick else []),
                             "--window-figures", str(db), str(folder), str(return_file), "small" if small else "large"],
                            capture_output=True, text=True, timeout=4 * 3600)
    for line in result.stdout.splitlines()[:-1]:
        print(line, flush=True)  # its own progress lines
    if result.returncode != 0:
        raise RuntimeError(f"the window's figures failed:\n{result.stderr}")
    return {name: (value, base) for name, (value, base) in json.loads(result.stdout.splitlines()[-1]).items()}


def measure_scale(db: Path, folder: Path, runs: int, small: bool, empty: Path, keep: Path | None,
                  quick: bool, imports_only: bool = False) -> Figures:
    """Every figure at one scale. At the smallest, everything; above it, the figures that grow with
    the record, once each for the slow ones. `imports_only`: the imports' figures alone (the full
    workbook is exported here only when no earlier run kept it, and its export is then measured)."""
    heavy_runs = runs if small else 1
    clock = time.perf_counter()

    def step(what: str) -> None:
        print(f"  {what} measured ({time.perf_counter() - clock:.0f} s)", flush=True)
    figures: Figures = {}
    if not imports_only:
        figures.update(start_up(db, folder, runs))
        step("start-up")
    kept_workbook = keep / f"{db.stem}.full.xlsx" if keep is not None else None
    if kept_workbook is not None and kept_workbook.exists():
        workbook = kept_workbook  # its export is not measured again
    else:
        exported, workbook = exchange.full_export(db, folder, heavy_runs, baselines=small)
        figures.update(exported)
        if kept_workbook is not None:
            workbook = Path(workbook.replace(kept_workbook))
    step(f"full export ({workbook.stat().st_size / 1e6:.0f} MB)")
    figures.update(exchange.full_import(db, empty, workbook, folder, heavy_runs))
    figures["full workbook dry run peak memory"] = (measures.peak_memory_mb(
        ["import", "--db", str(measures.copy_db(empty, folder)), str(workbook), "--dry-run"], folder / "data"), None)
    step("full workbook import")
    returned = folder / "none.xlsx"
    if small:
        returns, returned = exchange.return_import(db, folder, runs)
        figures.update(returns)
        if imports_only:
            step("return import")
            return figures
        figures.update(tracker_bench.tracker_figures(db, folder, runs, 300 if quick else 3000))
        figures["export peak memory"] = (measures.peak_memory_mb(
            ["export", "--db", str(db), "--out", str(folder / "peak.xlsx")], folder / "data"), None)
        figures["import peak memory"] = (measures.peak_memory_mb(
            ["import", "--db", str(measures.copy_db(db, folder)), str(returned), "--dry-run"], folder / "data"), None)
        step("return import, peak memory")
    if imports_only:
        return figures
    figures.update(window_figures(db, folder, runs, returned, small, quick))
    step("window")
    whole, without_search = measures.database_sizes(db, folder)
    figures["database file size"] = (whole, None)
    figures["database file size without the search index"] = (without_search if without_search is not None
                                                               else whole, None)
    step("database size")
    return figures


def start_up(db: Path, folder: Path, runs: int) -> Figures:
    started = measures.startup(db, runs, folder / "data")
    return {"window shown (process start to first paint)": started["shown"],
            "window with content (process start to a tree with rows)": started["content"],
            "window usable (process start to menus, tree, a selection that sticks)": started["usable"],
            "window fully loaded (database open, tree counted, detail pane)": started["ready"]}


def measure_window(db: Path, folder: Path, runs: int, small: bool, quick: bool) -> Figures:
    """The window's figures alone at one scale (--window-only): start-up and those measured in the
    window's own process. At the smallest scale the stalls beside an import need a return; it is
    written here, its import not measured."""
    figures = start_up(db, folder, runs)
    print("  start-up measured", flush=True)
    returned = folder / "none.xlsx"
    if small:  # sent from a copy (a return sent is recorded), which the window then opens
        from scr_desk.db.engine import open_database
        from scr_desk.services.returns_export import agencies_with_open_items, export_return
        db = measures.copy_db(db, folder)
        source = open_database(db)
        biggest = max(agencies_with_open_items(source.sessions), key=lambda a: a[3])
        export_return(source.sessions, biggest[0], folder / "return.xlsx")
        source.close()
        returned = exchange.fill_return(folder / "return.xlsx", folder / "return-filled.xlsx", 5000)
    figures.update(window_figures(db, folder, runs, returned, small, quick))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="a small data set at 1x and 2x, for the test suite")
    parser.add_argument("--scales", default=None, help="the scales to measure, e.g. 1,10 (default; quick: 1,2)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 5, quick 1)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="keep the built databases and full workbooks in this folder, "
                                                  "and use those an earlier run kept there")
    parser.add_argument("--window-only", action="store_true",
                        help="measure only the window's figures (start-up, find box, tree, dashboard, its stalls)")
    parser.add_argument("--imports-only", action="store_true",
                        help="measure only the imports (the full workbook's and a return's, against python-calamine); "
                             "with --keep, on the databases and the full workbook an earlier run kept")
    parser.add_argument("--window-figures", nargs=4, metavar=("DB", "FOLDER", "RETURN", "SIZE"),
                        help=argparse.SUPPRESS)  # the window's figures, in a process of its own
    args = parser.parse_args()
    if args.window_figures:
        from window_figures import gui_figures
        db, folder, returned, size = args.window_figures
        print(json.dumps(gui_figures(Path(db), Path(folder), args.runs or 5, Path(returned), size == "small",
                                     args.quick)))
        return 0
    runs = args.runs or (1 if args.quick else 5)
    scales = [int(s) for s in (args.scales or ("1,2" if args.quick else "1,10")).split(",")]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results: dict[int, Figures] = {}
    built: dict[int, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="scr_desk-bench-") as temp:
        folder = Path(temp)
        # The window measured here keeps its settings in this folder, not in the user's profile.
        os.environ["SCR_DESK_DATA_DIR"] = str(folder / "data")
        empty = create_database(folder / "empty.sqlite")
        empty.close()
        for scale in scales:
            db, built[scale] = database_for(scale, args.quick, folder, args.keep)
            print(f"{scale}x: {'built' if built[scale] is not None else 'kept'} {db.name} "
                  + (f"in {built[scale]:.1f} s " if built[scale] is not None else "")
                  + f"({db.stat().st_size / 1e6:.0f} MB)", flush=True)
            smallest = scale == min(scales)
            results[scale] = (measure_window(db, folder, runs, smallest, args.quick) if args.window_only else
                              measure_scale(db, folder, runs, smallest, folder / "empty.sqlite", args.keep, args.quick,
                                            args.imports_only))
    rows = report(results, min(scales))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "quick": args.quick, "runs": runs, "scales": scales,
                                         "build_seconds": {str(s): round(b, 1) if b is not None else None
                                                           for s, b in built.items()},
                                         "figures": rows}, indent=2))
    return 0


def report(results: dict[int, Figures], smallest: int) -> list[dict[str, Any]]:
    """The table, a line per figure and scale, and the curve from the smallest scale to the largest."""
    rows = []
    scales = sorted(results)
    width = max(len(name) for name in BARS)
    print(f"\n{'figure':{width}} {'scale':>5} {'value':>11} {'baseline':>10} {'ratio':>7} {'bar':>8}  met")
    for name, bar in BARS.items():
        row: dict[str, Any] = {"figure": name, "unit": "MB" if bar.kind == "MB" else "ms", "bar_kind": bar.kind,
                               "by_scale": {}}
        for scale in scales:
            if name not in results[scale]:
                continue
            value, baseline = results[scale][name]
            limit = bar.small if scale == smallest else bar.large
            ratio = value / baseline if baseline else None
            measured = ratio if bar.kind == "ratio" else value
            met = None if limit is None or measured is None else measured <= limit
            row["by_scale"][str(scale)] = {"value": round(value, 1), "baseline": round(baseline, 1) if baseline
                                           else None, "ratio": round(ratio, 2) if ratio else None, "bar": limit,
                                           "met": met}
            bar_text = "" if limit is None else (f"{limit}x" if bar.kind == "ratio" else f"{limit} {row['unit']}")
            unit = row["unit"]
            base_text = f"{baseline:8.1f}{unit:>2}" if baseline else "-"
            print(f"{name:{width}} {scale:>4}x {value:9.1f}{unit:>2} {base_text:>10} "
                  f"{(f'{ratio:.2f}x' if ratio else '-'):>7} {bar_text:>8}  "
                  f"{'-' if met is None else 'yes' if met else 'NO'}")
        present = [s for s in scales if str(s) in row["by_scale"]]
        if len(present) > 1:
            first, last = row["by_scale"][str(present[0])], row["by_scale"][str(present[-1])]
            row["growth"] = round(last["value"] / first["value"], 2) if first["value"] else None
            print(f"{'':{width}} {'curve':>5} {present[0]}x to {present[-1]}x: x{row['growth']}")
        rows.append(row)
    return rows


def machine() -> str:
    import PySide6
    import sqlalchemy
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, PySide6 "
            f"{PySide6.__version__}, SQLAlchemy {sqlalchemy.__version__}")


if __name__ == "__main__":
    sys.exit(main())
