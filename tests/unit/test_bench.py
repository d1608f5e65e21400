"""A small run of the benchmark: every figure is produced at each scale it is measured at, with
its curve (the values are not judged here)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_produces_every_figure_at_both_scales(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    sys.path.insert(0, str(ROOT / "bench"))
    from run import BARS  # noqa: PLC0415
    assert report["scales"] == [1, 2]
    assert [row["figure"] for row in report["figures"]] == list(BARS)
    for row in report["figures"]:
        measured = ["1", "2"] if BARS[row["figure"]].everywhere else ["1"]
        assert list(row["by_scale"]) == measured, row
        for figure in row["by_scale"].values():
            assert figure["value"] == figure["value"] and figure["value"] > 0, row  # a number, not NaN
        assert ("growth" in row) == (len(measured) == 2), row
    assert "Python" in report["machine"]
    assert "longest GUI stall" in result.stdout and "curve 1x to 2x" in result.stdout


def test_quick_team_benchmark_produces_every_figure_on_the_file_and_the_server(
        tmp_path: Path, pg_cluster: object) -> None:
    """bench/team.py starts a cluster of its own; `pg_cluster` here only says PostgreSQL is there
    (skipped without it, failed in CI)."""
    out = tmp_path / "team.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "team.py"), "--quick", "--runs", "1",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {row["figure"]: row for row in json.loads(out.read_text())["figures"]}
    sys.path.insert(0, str(ROOT / "bench"))
    from team import WINDOW_FIGURES  # noqa: PLC0415
    assert list(rows) == list(WINDOW_FIGURES)
    for name, row in rows.items():
        assert row["server_ms"] > 0, name
        assert (row["file_ms"] is None) == (name == WINDOW_FIGURES[-1]), name  # no one else on a file


def test_window_only_benchmark_measures_the_window_alone_on_kept_databases(tmp_path: Path) -> None:
    """--window-only: start-up and the window's own figures at each scale, no export or import
    figures; the databases built in the --keep folder, for the next run to take."""
    out = tmp_path / "window.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1", "--window-only",
               "--keep", str(tmp_path / "kept"), "--json", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(ROOT / "bench"))
    from run import BARS  # noqa: PLC0415
    window = [name for name in BARS if name.startswith(("window ", "peak memory of the window", "find box",
                                                        "select an item", "expand a review", "dashboard open",
                                                        "longest GUI stall"))]
    rows = {row["figure"]: row for row in json.loads(out.read_text())["figures"] if row["by_scale"]}
    assert list(rows) == window
    for name, row in rows.items():
        measured = ["1", "2"] if BARS[name].everywhere else ["1"]
        assert list(row["by_scale"]) == measured, row
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["quick-1x.sqlite", "quick-2x.sqlite"]
