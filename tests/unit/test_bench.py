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
