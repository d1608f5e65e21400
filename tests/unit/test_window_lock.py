"""The command line and a window launched the documented ways: the `scr-desk` script, `python -m
scr_desk`, the bundle. The window's lock names the executable Qt saw (`python3.11` for the script),
not the name the process goes by (`scr-desk`): the command line must still see the window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.window_lock import live_lock_holder
from tests.workbooks import legacy_tracker

SCRIPT = Path(sys.executable).with_name("scr-desk.exe" if sys.platform == "win32" else "scr-desk")
LINUX_PROC = Path("/proc/self/exe").exists()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def wait_for_lock(db: Path, window: subprocess.Popen[str], seconds: float = 60) -> None:
    """Until the window has taken the database's lock (it starts in a few seconds)."""
    lock = Path(f"{db.resolve()}.lock")
    deadline = time.monotonic() + seconds
    while not (lock.exists() and lock.read_text().strip()):
        assert window.poll() is None, window.communicate()
        assert time.monotonic() < deadline, "the window did not take the lock"
        time.sleep(0.05)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is installed with the package")
def test_the_command_line_refuses_a_window_started_with_the_scr_desk_script(
        sample_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a window started the documented way, the `scr-desk` console script (offscreen)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    window = subprocess.Popen([str(SCRIPT), "--db", str(sample_db_path)], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_lock(sample_db_path, window)
        holder = live_lock_holder(sample_db_path)
        assert holder is not None and holder.pid == window.pid
        # WHEN the command line would write to the file, THEN it refuses, naming the window's lock
        tracker = legacy_tracker(tmp_path / "t.xlsx")
        for args in (["import", str(tracker)], ["restore"],
                     ["export", "--agency", "SCC", "--out", str(tmp_path / "r.xlsx")]):
            code, _, err = run(capsys, *args, "--db", str(sample_db_path))
            assert code == 1 and "open in an SCR Desk window" in err and ".lock" in err, (args, err)
        assert not (tmp_path / "r.xlsx").exists()
        # AND a second, unattended window (--exit-when-ready) says so in one sentence and exits:
        # nobody is there to answer a message box
        second = subprocess.run([str(SCRIPT), "--db", str(sample_db_path), "--exit-when-ready"], env=env,
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 1, second
        assert "already open in another SCR Desk window" in second.stderr and "Traceback" not in second.stderr
        said = [line for line in second.stderr.splitlines() if "propagateSizeHints" not in line]  # offscreen Qt's
        assert len(said) == 1 and said[0].startswith("scr-desk: "), second.stderr
    finally:
        window.kill()
        window.communicate(timeout=30)
    # AND once the window has gone, its lock is stale: the command line writes again
    assert run(capsys, "export", "--db", str(sample_db_path), "--agency", "SCC",
               "--out", str(tmp_path / "r.xlsx"))[0] == 0


def _lock(db: Path, pid: int, app: str, boot: str | None = None) -> None:
    lines = [str(pid), app, socket.gethostname()]
    if boot is not None:
        lines += ["machine", boot]
    Path(f"{db.resolve()}.lock").write_text("\n".join(lines) + "\n")


@pytest.mark.skipif(not LINUX_PROC, reason="process names are read from /proc")
def test_a_process_id_reused_by_another_program_is_a_stale_lock(sample_db_path: Path) -> None:
    # GIVEN a lock naming the interpreter Qt records for a window, held by a process id that now
    # belongs to an unrelated program (here `sleep`)
    python_name = Path(os.path.realpath(sys.executable)).name
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        _lock(sample_db_path, sleeper.pid, python_name)
        assert live_lock_holder(sample_db_path) is None
        # WHILE a live interpreter under the lock's name is a window, whatever it calls itself
        _lock(sample_db_path, os.getpid(), python_name)
        assert live_lock_holder(sample_db_path) is not None
        # and one named in a lock taken before the computer last started is not
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        _lock(sample_db_path, os.getpid(), python_name, boot)
        assert live_lock_holder(sample_db_path) is not None
        _lock(sample_db_path, os.getpid(), python_name, "00000000-0000-0000-0000-000000000000")
        assert live_lock_holder(sample_db_path) is None
    finally:
        sleeper.kill()
        sleeper.wait()
