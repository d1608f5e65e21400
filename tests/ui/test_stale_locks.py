"""A window lock that cannot be read (0 bytes or garbled: the power went between making it and
writing it) is judged alike by the window and the command line: stale once older than the last
start or than a window takes to write one, held until then."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.errors import DatabaseInUseError
from scr_desk.db.window_lock import UNREADABLE_GRACE_SECONDS, live_lock_holder, lock_path_for
from scr_desk.ui.workspace import open_workspace
from tests.workbooks import legacy_tracker


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x00\x00", b"garbled\n"])
def test_a_lock_left_unreadable_by_a_power_cut_never_blocks_the_window(sample_db_path: Path, tmp_path: Path,
                                                                       content: bytes,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: the window said 'already open in another SCR Desk window' for ever, while the
    command line ignored the same lock."""
    lock = lock_path_for(sample_db_path)
    lock.write_bytes(content)
    # Just made: a window may be writing it this moment, so both hold back
    with pytest.raises(DatabaseInUseError):
        open_workspace(sample_db_path)
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 1
    assert "open in an SCR Desk window" in capsys.readouterr().err
    # From before the last start (or older than any window takes to write it): stale for both
    old = time.time() - 10 * UNREADABLE_GRACE_SECONDS
    os.utime(lock, (old, old))
    assert live_lock_holder(sample_db_path) is None
    workspace = open_workspace(sample_db_path)
    assert lock.read_text().splitlines()[0] == str(os.getpid())  # the window's own lock now
    workspace.close()
    assert main(["import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx"))]) == 0
