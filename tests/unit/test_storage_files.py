"""Files the app writes: return names, batches that survive a failure, scratch files kept home,
private modes, the window's lock honoured by the command line, synced folders, dates, seams."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path, PurePosixPath

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.db.sync_folders import sync_service_for
from scr_desk.domain.dates import DateError, unusual_dates_allowed
from scr_desk.excel.layout import return_file_name, unique_file_names
from scr_desk.excel.safe import EXCEL_MAX_CHARS, escape, split_long
from scr_desk.excel.values import as_date
from scr_desk.services import agencies
from scr_desk.services.errors import ValidationError
from scr_desk.services.fields import optional_date


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- files named from agencies ---------------------------------------------------------------
def test_return_names_are_capped_in_bytes_and_unique() -> None:
    long = return_file_name("2026-27 Q2", "LA", "Районная служба защиты детей " * 20)
    assert len(long.encode("utf-8")) <= 150 and long.endswith(".xlsx")
    alike = [return_file_name("2026-27 Q2", "YOS", "YOS/E"), return_file_name("2026-27 Q2", "YOS", "YOS:E")]
    assert alike[0] == alike[1]
    assert len({n.casefold() for n in unique_file_names(alike)}) == 2


def test_one_failed_return_does_not_stop_the_batch(sample_db: Database, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from scr_desk.services import returns_export
    first, second = (agencies.create_agency(sample_db.sessions, name, code)
                     for name, code in (("YOS/E", "YOSE1"), ("YOS:E", "YOSE2")))
    real = returns_export.export_return
    calls: list[Path] = []

    def sometimes(sessions: object, agency: int, out: Path, **kwargs: object) -> object:
        calls.append(out)
        if agency == first.id:
            raise PermissionError(13, "Permission denied", str(out))
        return real(sessions, agency, out, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(returns_export, "export_return", sometimes)
    batch = returns_export.export_returns(sample_db.sessions, tmp_path / "q", [first.id, second.id],
                                          period="2026-27 Q2", deadline=date(2026, 10, 14))
    assert [r.agency for r in batch] == ["YOS:E"]
    assert [f.agency for f in batch.failed] == ["YOS/E"] and "cannot be written" in batch.failed[0].reason
    assert len(set(calls)) == 2  # never two agencies in one file


# --- case data stays home --------------------------------------------------------------------
def test_export_scratch_files_stay_in_the_private_folder(sample_db: Database, tmp_path: Path, data_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.worksheet import _writer

    from scr_desk.services.full_export import export_full
    seen: list[str] = []
    real_init = _writer.WorksheetWriter.__init__

    def spy(self: object, ws: object, out: object = None) -> None:
        real_init(self, ws, out)
        seen.append(self.out)  # type: ignore[attr-defined]
    monkeypatch.setattr(_writer.WorksheetWriter, "__init__", spy)
    # WHEN an export fails part way (the disk fills as the workbook is zipped), then one succeeds
    import scr_desk.services.full_export as full_export

    def full_disk(_path: Path) -> None:
        raise OSError(28, "No space left on device")
    real_check = full_export.check_workbook
    monkeypatch.setattr(full_export, "check_workbook", full_disk)
    with pytest.raises(OSError):
        export_full(sample_db.sessions, tmp_path / "full.xlsx")
    monkeypatch.setattr(full_export, "check_workbook", real_check)
    export_full(sample_db.sessions, tmp_path / "full.xlsx")
    # THEN every scratch file was in <data>/tmp (0700) and none is left
    scratch = data_dir / "tmp"
    assert seen and all(Path(s).parent == scratch for s in seen)
    assert stat.S_IMODE(scratch.stat().st_mode) == 0o700
    assert list(scratch.iterdir()) == []


def test_stale_scratch_files_are_swept_at_start(data_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    scratch = data_dir / "tmp"
    scratch.mkdir(parents=True)
    stale = scratch / "openpyxl.999999999.abcd.xml"
    stale.write_text("case text")
    live = scratch / f"openpyxl.{os.getpid()}.abcd.xml"
    live.write_text("being written")
    run(capsys, "new", "--db", str(tmp_path / "x.sqlite"))
    assert not stale.exists() and live.exists()


# --- private by default ----------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="modes are POSIX")
def test_folders_and_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "logs").mkdir(mode=0o755)
    log = data / "logs" / "scr_desk-errors.log"
    log.write_text("old")
    os.chmod(log, 0o644)
    script = ("import sys; from scr_desk.cli import main; from scr_desk.logs import log_path; "
              "main(['new', '--db', sys.argv[1]]); log_path()")
    env = {**os.environ, "SCR_DESK_DATA_DIR": str(data)}
    (tmp_path / "db").mkdir()  # `new` makes a database only in a folder that exists
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "db" / "x.sqlite")], check=True, env=env)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(data) == 0o700 and mode(data / "logs") == 0o700 and mode(log) == 0o600
    assert mode(tmp_path / "db" / "x.sqlite") == 0o600


# --- the command line honours the window's lock ----------------------------------------------
def _lock(db: Path, pid: int) -> None:
    name = Path(os.path.realpath(sys.executable)).name  # what Qt records: the executable's name
    Path(f"{db.resolve()}.lock").write_text(f"{pid}\n{name}\n{socket.gethostname()}\n")


def test_cli_refuses_to_write_while_a_window_holds_the_lock(sample_db_path: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.workbooks import legacy_tracker
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _lock(sample_db_path, sleeper.pid)
        tracker = legacy_tracker(tmp_path / "t.xlsx")
        for args in (["import", str(tracker)], ["restore"],
                     ["export", "--agency", "SCC", "--out", str(tmp_path / "r.xlsx")]):
            code, _, err = run(capsys, *args, "--db", str(sample_db_path))
            assert code == 1 and "open in an SCR Desk window" in err and ".lock" in err, err
        assert run(capsys, "dump", "--db", str(sample_db_path))[0] == 0  # reading is fine
    finally:
        sleeper.kill()
        sleeper.wait()
    # AND a stale lock (its process gone) does not count
    _lock(sample_db_path, sleeper.pid)
    assert run(capsys, "export", "--db", str(sample_db_path), "--agency", "SCC",
               "--out", str(tmp_path / "r.xlsx"))[0] == 0


# --- synced folders ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/home/lead/OneDrive - Council/cases.sqlite", "/Users/lead/Dropbox/c.sqlite",
                                  "/Users/lead/Library/CloudStorage/GoogleDrive-x/My Drive/c.sqlite",
                                  "/Users/lead/Library/Mobile Documents/com~apple~CloudDocs/c.sqlite"])
def test_synced_folders_are_recognised(path: str) -> None:
    assert sync_service_for(PurePosixPath(path), look_on_disk=False)


def test_a_database_in_a_synced_folder_is_warned_about(sample_db_path: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".dropbox").write_text("{}")
    assert sync_service_for(sample_db_path) == "Dropbox"
    assert sync_service_for(PurePosixPath("/srv/cases/c.sqlite"), look_on_disk=False) is None
    from tests.workbooks import legacy_tracker
    code, _, err = run(capsys, "import", "--db", str(sample_db_path), str(legacy_tracker(tmp_path / "t.xlsx")))
    assert code == 0 and "Dropbox synchronises" in err


# --- dates and seams --------------------------------------------------------------------------
def test_dates_outside_2000_to_2100_are_refused_unless_the_lead_says_so() -> None:
    with pytest.raises(DateError, match="outside 2000"):
        as_date("01/01/1000", date1904=False)
    with pytest.raises(ValidationError, match="outside 2000"):
        optional_date("Target date")(None, "01/01/2202")  # type: ignore[arg-type]
    with unusual_dates_allowed():
        assert optional_date("Target date")(None, "31/12/1999") == date(1999, 12, 31)  # type: ignore[arg-type]
    assert as_date("01/01/1000", date1904=False, allow_any=True) == date(1000, 1, 1)


@pytest.mark.parametrize("offset", range(0, 8))
def test_the_seam_never_splits_an_escape(offset: int) -> None:
    text = escape("a" * (EXCEL_MAX_CHARS - offset) + "\x01_x0041_\ufffe" + "b" * 10)
    parts = split_long(text)
    assert "".join(parts) == text and all(len(p) <= EXCEL_MAX_CHARS for p in parts)
    import re
    for part in parts:  # every part decodes on its own exactly as the whole does
        assert not re.search(r"_x[0-9A-F]{0,3}$", part) and not re.match(r"^[0-9A-F]{1,4}_", parts[-1])


def test_every_code_point_round_trips_through_the_full_workbook(db: Database, tmp_path: Path) -> None:
    from scr_desk.services import reviews
    from scr_desk.services.dump import dump_records
    from scr_desk.services.full_export import export_full
    from scr_desk.services.imports.importer import plan_import
    from scr_desk.services.imports.together import apply_plan
    awkward = "\ufffe\uffff _xFFFE_ _x005F_ \x01\x0b\r" + "z" * (EXCEL_MAX_CHARS - 40) + "\x02_x0041_\uffff" * 3
    reviews.create_review(db.sessions, {"name": "Seams", "review_type": "Other", "summary": awkward})
    out = tmp_path / "full.xlsx"
    export_full(db.sessions, out)
    from scr_desk.db.engine import create_database
    target = create_database(tmp_path / "new.sqlite")
    apply_plan(target, plan_import(target, out))
    [review] = dump_records(target.sessions)["reviews"]
    assert review["summary"] == awkward
    target.close()


def test_a_killed_writers_leftovers_are_swept(tmp_path: Path, data_dir: Path, sample_db_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN what a killed export left: a temporary workbook beside the output, a trial database
    out = tmp_path / "full.xlsx"
    stale = tmp_path / ".full.xlsx.999999999.abcd.part"
    stale.write_bytes(b"case text")
    trial = data_dir / "tmp" / "dry-run.999999999.x"
    trial.mkdir(parents=True)
    (trial / "new.sqlite").write_bytes(b"case text")
    # WHEN the next export runs
    assert run(capsys, "export", "--db", str(sample_db_path), "--out", str(out))[0] == 0
    # THEN both are gone, and only the workbook remains
    assert not trial.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".full")] == []


def test_a_dry_run_into_a_new_database_keeps_its_trial_copy_private(tmp_path: Path, data_dir: Path,
                                                                     sample_db_path: Path,
                                                                     capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile
    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def spy(*args: object, **kwargs: object) -> object:
        made.append(str(kwargs.get("dir")))
        return real(*args, **kwargs)  # type: ignore[call-overload]
    monkeypatch.setattr(tempfile, "TemporaryDirectory", spy)
    workbook = tmp_path / "full.xlsx"
    assert run(capsys, "export", "--db", str(sample_db_path), "--out", str(workbook))[0] == 0
    assert run(capsys, "import", "--db", str(tmp_path / "new.sqlite"), str(workbook), "--dry-run")[0] == 0
    assert made == [str(data_dir / "tmp")] and list((data_dir / "tmp").iterdir()) == []
