"""Files meant for others (a return, a report) get the user's usual permissions, so colleagues on
a shared drive can open them; the database, its backups, a dump and the full workbook stay the
user's alone. Every command that writes the database warns of a synchronised folder. A failure
to write names the user's file, never the temporary one beside it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scr_desk.cli import main
from tests.workbooks import legacy_tracker


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _as_usual_user(*args: str) -> None:
    """The command line run as a user whose files are usually 0644 (umask 022)."""
    result = subprocess.run([sys.executable, "-m", "scr_desk", *args], capture_output=True, text=True, timeout=180,
                            preexec_fn=lambda: os.umask(0o022))  # noqa: PLW1509 - the umask, nothing else
    assert result.returncode == 0, result.stderr


def test_returns_and_reports_open_on_a_shared_drive_and_the_rest_stays_private(sample_db_path: Path,
                                                                                tmp_path: Path) -> None:
    """The harm: returns and reports were written 0600, so colleagues could not open them."""
    shared = tmp_path / "shared drive"
    shared.mkdir()
    _as_usual_user("export", "--db", str(sample_db_path), "--agency", "SCC", "--out", str(shared / "return.xlsx"))
    _as_usual_user("report", "--db", str(sample_db_path), "--out", str(shared / "panel.docx"))
    _as_usual_user("export", "--db", str(sample_db_path), "--out", str(shared / "everything.xlsx"))
    _as_usual_user("dump", "--db", str(sample_db_path), "--out", str(shared / "everything.json"))
    _as_usual_user("import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx")))
    assert _mode(shared / "return.xlsx") == 0o644 and _mode(shared / "panel.docx") == 0o644
    assert _mode(shared / "everything.xlsx") == 0o600 and _mode(shared / "everything.json") == 0o600
    assert _mode(sample_db_path) == 0o600
    [backup] = (sample_db_path.parent / "backups").iterdir()
    assert _mode(backup) == 0o600 and _mode(backup.parent) == 0o700


def test_every_command_that_writes_warns_of_a_synchronised_folder(sample_db_path: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: only `import` warned; restore, export of a return, new and demo did not."""
    synced = tmp_path / "OneDrive - Southampton City Council"
    synced.mkdir()
    database = synced / "cases.sqlite"
    database.write_bytes(sample_db_path.read_bytes())
    os.chmod(database, 0o600)
    commands = [["import", str(legacy_tracker(tmp_path / "t.xlsx"))], ["restore"],
                ["export", "--agency", "SCC", "--out", str(tmp_path / "r.xlsx")]]
    for command in commands:
        assert main([*command, "--db", str(database)]) == 0, command
        assert "is in a folder that OneDrive synchronises" in capsys.readouterr().err, command
    for command in (["new"], ["demo"]):
        assert main([*command, "--db", str(synced / f"{command[0]}.sqlite")]) == 0
        assert "is in a folder that OneDrive synchronises" in capsys.readouterr().err, command
    assert main(["check", "--db", str(database)]) == 0  # a look writes nothing: no warning
    assert "synchronises" not in capsys.readouterr().err


def _read_only_folder(folder: Path) -> None:
    """A folder no one may write in, root included (root ignores modes: an immutable folder)."""
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr: no folder is read-only to root here")


def _writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    os.chmod(folder, 0o700)


def test_a_failure_to_write_names_the_users_file(sample_db_path: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a failure to write named the temporary file beside the user's
    (/…/.r.xlsx.4655.apcpkkci.part cannot be written)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    _read_only_folder(folder)
    try:
        for args in (["export", "--agency", "SCC", "--out", str(folder / "r.xlsx")],
                     ["export", "--out", str(folder / "full.xlsx")], ["dump", "--out", str(folder / "all.json")],
                     ["report", "--out", str(folder / "panel.docx")]):
            assert main([*args, "--db", str(sample_db_path)]) == 1
            err = capsys.readouterr().err
            assert f"scr-desk: {args[-1]} cannot be written (no permission, or a read-only disk)" in err, err
            assert ".part" not in err
    finally:
        _writable_again(folder)
    assert list(folder.iterdir()) == []
