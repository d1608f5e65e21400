"""A small run of the benchmark: every figure is produced (its value is not judged here)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_produces_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1",
                             "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    sys.path.insert(0, str(ROOT / "bench"))
    from run import BARS  # noqa: PLC0415
    assert [row["figure"] for row in report["figures"]] == list(BARS)
    for row in report["figures"]:
        assert row["value"] == row["value"] and row["value"] > 0, row  # a number, not NaN
    assert "Python" in report["machine"]
    assert "longest GUI stall" in result.stdout


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
