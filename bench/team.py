"""The window's figures on a PostgreSQL server beside the same figures on a file (team mode).

    python bench/team.py [--quick] [--runs N] [--json FILE]

Builds the large database (as bench/run.py does), copies it to a database on a private PostgreSQL
cluster started for the run (tests/pg_cluster.py: a socket in a temporary folder, no TCP), then
measures on each the window's figures as bench/run.py does on a file: from process start (shown,
with content, usable, fully loaded, in a fresh process each time, against a bare Qt window), the
find box typed at a typist's pace, selecting an item with 50 updates, opening a review; and on the
server only, how long another person's change takes to show in the window (a second connection
adds an update; the window's timeline shows it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import measures  # noqa: E402

from scr_desk.domain.dto import ItemKey  # noqa: E402
from scr_desk.domain.enums import ItemKind  # noqa: E402

WINDOW_FIGURES = ("window shown (process start to first paint)",
                  "window with content (process start to a tree with rows)",
                  "window usable (process start to menus, tree, a selection that sticks)",
                  "window fully loaded (database open, tree counted, detail pane)",
                  "find box: longest stall while typing a word",
                  "find box: matches shown after the last key",
                  "select an item with 50 updates",
                  "expand a review with 25 recommendations",
                  "another person's update shown in the window")
STAGES = ("shown", "content", "usable", "ready")


def startup(target: str, runs: int, data_dir: Path) -> dict[str, tuple[float, float]]:
    """As measures.startup, for a file's path or a server's URL: launch to each stage the window
    prints with --exit-when-ready, against a bare window launched alternately."""
    env = {**measures.ENV, "SCR_DESK_DATA_DIR": str(data_dir)}
    ours, bare = [], []
    for _ in range(runs):
        ours.append(measures.timed_lines([sys.executable, "-m", "scr_desk", "--db", target, "--exit-when-ready"],
                                         env, STAGES))
        bare.append(measures.timed_lines([sys.executable, "-c", measures.BARE_WINDOW], env, ("shown",))["shown"])
    base = measures.median(bare)
    return {name: (measures.median([o[stage] for o in ours]), base)
            for name, stage in zip(WINDOW_FIGURES[:4], STAGES, strict=True)}


def window_figures(target: str, runs: int) -> dict[str, float]:
    """In this (fresh) process, as bench/run.py measures the window on a file: the find box typed
    at a typist's pace, a selection, a review opened; on a server, another person's change."""
    from PySide6.QtWidgets import QApplication
    from window_figures import WORDS, expand_review, select_item, type_word

    from scr_desk.app import make_application
    from scr_desk.db.engine import open_database
    from scr_desk.services import updates
    from scr_desk.ui.main_window import MainWindow
    from scr_desk.ui.workspace import open_workspace

    app = make_application()
    window = MainWindow(open_workspace(target))
    window.show()
    while window.loads < 1:
        app.processEvents()
    typed = [type_word(app, window, word) for word in WORDS]
    window.filter_bar.reset()
    app.processEvents()
    selections = select_item(app, window, runs)
    expansions = [expand_review(app, window, row) for row in range(10, 10 + runs)]
    figures = {WINDOW_FIGURES[4]: measures.median([stall for stall, _after in typed]),
               WINDOW_FIGURES[5]: measures.median([after for _stall, after in typed]),
               WINDOW_FIGURES[6]: measures.median(selections), WINDOW_FIGURES[7]: measures.median(expansions)}
    if window.workspace.is_server:
        window.select_key(ItemKey.recommendation(1))
        app.processEvents()
        other = open_database(target)  # another person's window, or a command
        shown = []
        for n in range(runs):
            text = f"Another person's update {n}"
            started = time.perf_counter()
            updates.add_update(other.sessions, ItemKey.recommendation(1), {"narrative": text})
            page = window.detail.pages[ItemKind.RECOMMENDATION]
            while text not in page.timeline.toPlainText():
                app.processEvents()
                if time.perf_counter() - started > 30:
                    raise RuntimeError("another person's update never showed")
            shown.append(1000 * (time.perf_counter() - started))
        other.close()
        figures[WINDOW_FIGURES[8]] = measures.median(shown)
    window.close()
    QApplication.processEvents()
    return figures


def in_own_process(target: str, runs: int, data_dir: Path) -> dict[str, float]:
    env = {**os.environ, "SCR_DESK_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, __file__, "--runs", str(runs), "--window-figures", target],
                            capture_output=True, text=True, timeout=3600, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"the window's figures failed:\n{result.stderr}")
    return {name: float(value) for name, value in json.loads(result.stdout.splitlines()[-1]).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--quick", action="store_true", help="a small database")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 5, quick 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--window-figures", metavar="TARGET", help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 5)
    if args.window_figures:
        print(json.dumps(window_figures(args.window_figures, runs)))
        return 0
    from run import build

    from scr_desk.cli import main as scr_desk
    from scr_desk.services.synthetic import QUICK, Sizes
    from tests.pg_cluster import WRITER, start_cluster
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="scr_desk-bench-team-") as temp:
            folder = Path(temp)
            os.environ["SCR_DESK_DATA_DIR"] = str(folder / "data")
            db, seconds = build(folder, QUICK if args.quick else Sizes(), "team.sqlite")
            print(f"Built the {'quick' if args.quick else 'large'} database in {seconds:.1f} s", flush=True)
            url = cluster.url(WRITER, cluster.new_database())
            started = time.perf_counter()
            assert scr_desk(["copy", "--from", str(db), "--to", url]) == 0
            copy_seconds = time.perf_counter() - started
            results: dict[str, dict[str, tuple[float, float | None]]] = {}
            for where, target in (("file", str(measures.copy_db(db, folder))), ("server", url)):
                figures: dict[str, tuple[float, float | None]] = dict(startup(target, runs, folder / "data"))
                figures.update({name: (value, None) for name, value in
                                in_own_process(target, runs, folder / "data").items()})
                results[where] = figures
    finally:
        cluster.stop()
    rows = table(results)
    if args.json:
        args.json.write_text(json.dumps({"quick": args.quick, "runs": runs, "copy_seconds": round(copy_seconds, 1),
                                         "figures": rows}, indent=2))
    return 0


def table(results: dict[str, dict[str, tuple[float, float | None]]]) -> list[dict[str, Any]]:
    rows = []
    print(f"\n{'figure':72} {'file':>10} {'server':>10} {'baseline':>10}")
    for name in WINDOW_FIGURES:
        on_file, on_server = results["file"].get(name), results["server"].get(name)
        base = (on_file or on_server or (0.0, None))[1]
        rows.append({"figure": name, "file_ms": round(on_file[0], 1) if on_file else None,
                     "server_ms": round(on_server[0], 1) if on_server else None,
                     "baseline_ms": round(base, 1) if base else None})
        shown = [f"{v[0]:8.0f}ms" if v else f"{'—':>10}" for v in (on_file, on_server)]
        print(f"{name:72} {shown[0]:>10} {shown[1]:>10} {(f'{base:8.0f}ms' if base else ''):>10}")
    return rows


if __name__ == "__main__":
    sys.exit(main())
