"""Zip bombs under the total limits: every part's size and ratio, and the cells a reader would
build, are checked a block at a time before any reader opens the file, for every zip format read
(.xlsx, .docx, .ods). The refusal comes in seconds and memory stays under 300 MB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scr_desk.excel.guard import WorkbookError, check_archive
from tests.workbooks import (
    dense_real_sheet,
    far_corner_sheet,
    inflating_document,
    inflating_sheet,
    legacy_tracker,
    repeating_ods,
    unplaced_wide_row,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="a child's own peak memory is read from Linux's /proc")

CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))  # a regression cannot take the machine down
from scr_desk.cli import main
started = time.monotonic()
code = main(sys.argv[1:])
# This process's own peak (VmHWM): ru_maxrss would count the parent's memory it was forked from.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"peak {peak // 1024} {time.monotonic() - started:.1f}", file=sys.stderr)
sys.exit(code)
"""


def _dry_run(db: Path, path: Path) -> tuple[int, list[str], int, float]:
    """Import `path` (a dry run) in a process of its own: its exit code, its error lines, and its
    peak memory (MB) and time (s)."""
    result = subprocess.run([sys.executable, "-c", CHILD, "import", "--db", str(db), str(path), "--dry-run"],
                            capture_output=True, text=True, timeout=300)
    *errors, last = result.stderr.strip().splitlines()
    _, peak, seconds = last.split()
    return result.returncode, errors, int(peak), float(seconds)


@pytest.mark.parametrize(("make", "words"), [
    # The audit's shape, a sheet compressed over 100:1 (before: 490 MB and 12 s for this one).
    (lambda path: inflating_sheet(path, rows=30_000, columns=100, distinct=20), "is compressed 1"),
    # Below any ratio that gives away a bomb, 3 million cells in 1.6 MB (before: 443 MB and 15 s).
    (lambda path: inflating_sheet(path, rows=15_000), "more than 1,500,000 cells"),
    # Two cells, a grid of 140 million for calamine to build.
    (far_corner_sheet, "places cells across 200,000 rows and 702 columns"),
    # One row of cells placed by position, not by reference, as wide as it has cells.
    (unplaced_wide_row, "places cells across 200,000 rows and 20,000 columns"),
])
def test_a_workbook_bomb_under_the_limits_is_refused_in_seconds(sample_db_path: Path, tmp_path: Path,
                                                                make: object, words: str) -> None:
    path = make(tmp_path / "tracker.xlsx")  # type: ignore[operator]
    assert path.stat().st_size < 4 * 1024 * 1024
    code, errors, peak, seconds = _dry_run(sample_db_path, path)
    assert code == 1 and len(errors) == 1 and words in errors[0], errors
    assert "it was not opened" in errors[0] and peak < 300 and seconds < 10


def test_a_word_document_bomb_is_refused_in_seconds(sample_db_path: Path, tmp_path: Path) -> None:
    """The harm: a 1.2 MB .docx took 6.3 GB of memory and 46 s."""
    path = inflating_document(tmp_path / "plan.docx", rows=40_000)
    assert path.stat().st_size < 2 * 1024 * 1024
    code, errors, peak, seconds = _dry_run(sample_db_path, path)
    assert code == 1 and len(errors) == 1 and "plan.docx" in errors[0] and "it was not opened" in errors[0], errors
    assert peak < 300 and seconds < 10


def test_an_ods_whose_cells_repeat_a_billion_times_is_refused(tmp_path: Path) -> None:
    path = repeating_ods(tmp_path / "tracker.ods")
    with pytest.raises(WorkbookError, match="repeats its cells into more than 1,500,000"):
        check_archive(path)


def test_real_files_pass_the_one_guard(tmp_path: Path) -> None:
    import docx
    assert check_archive(legacy_tracker(tmp_path / "tracker.xlsx")).kind == "xlsx"
    document = docx.Document()
    document.add_table(rows=3, cols=4)
    document.save(str(tmp_path / "plan.docx"))
    assert check_archive(tmp_path / "plan.docx").kind == "docx"


def test_a_large_workbook_whose_cells_match_its_bytes_is_read(tmp_path: Path) -> None:
    """The harm it guards against: a fixed count of cells refused the full workbook of the large
    partnership (2.3 million cells in 18 MB), the file a lead moving laptops imports. A file may
    hold cells in proportion to its own size; only small files are held to the floor."""
    from scr_desk.excel.zip_guard import MAX_CELLS
    path = dense_real_sheet(tmp_path / "full.xlsx", rows=140_000)
    checked = check_archive(path)
    assert checked.kind == "xlsx" and checked.uncompressed_bytes > 0 and MAX_CELLS < 140_000 * 12
