"""A whole quarter, once on a file and once on the server, gives the same dump: last quarter's
tracker imported, a return sent to each of eight agencies, all eight back (two imported at the
same moment, one carrying a conflict with a change the lead made meanwhile), and the panel report.

Everything the quarter makes is identified by a uid and stamped with the time, so both runs draw
uids from the same sequence per thread (each import thread its own) and see one clock."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import open_database
from scr_desk.domain.enums import Rag
from scr_desk.services import items
from scr_desk.services.tree import load_tree
from tests.pg_cluster import SECOND_WRITER, WRITER, Cluster
from tests.returns_kit import COL

AGENCIES = ["Northmere Council Children's Services", "Northmere Police", "Northmere Hospitals NHS Trust",
            "Northmere Integrated Care Board", "Northmere Schools", "Northmere Probation Service",
            "Northmere Housing", "Northmere Domestic Abuse Service"]
PERIOD, DEADLINE = "2026-27 Q3", "14/01/2027"


class _Uids:
    """uuid4 as a sequence per thread, the same in both runs whichever import lands first."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self) -> uuid.UUID:
        name = threading.current_thread().name
        with self.lock:
            self.counters[name] = self.counters.get(name, 0) + 1
            number = self.counters[name]
        return uuid.UUID(int=(hash_name(name) << 64) | number)


def hash_name(name: str) -> int:
    return int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "big")


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime(2027, 1, 20, 9, 30, tzinfo=tz)


@pytest.fixture
def deterministic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import scr_desk.db.base as base
    import scr_desk.services.returns_export as returns_export
    monkeypatch.setattr(base, "datetime", _FrozenClock)
    monkeypatch.setattr(returns_export, "datetime", _FrozenClock)
    yield


def _tracker(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Child Q"
    sheet.append(["Child Q Local Child Safeguarding Practice Review – action plan"])
    sheet.append(["Rec", "Recommendation", "Lead agency", "Target date", "RAG", "Update Q2 2026/27"])
    for number, agency in enumerate(AGENCIES, start=1):
        sheet.append([number, f"Recommendation {number}, led by {agency}", agency, date(2027, 3, 31), "Amber",
                      f"Work started on recommendation {number}"])
    book.save(path)
    return path


def _fill(path: Path, answers: dict[str, dict[str, object]]) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["Returns"]
    for row in sheet.iter_rows(min_row=2):
        reference = row[COL["reference"] - 1].value
        for key, value in answers.get(str(reference), {}).items():
            row[COL[key] - 1].value = value
    out = path.with_name(path.stem + " filled.xlsx")
    book.save(out)
    return out


def _quarter(target: str, folder: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(uuid, "uuid4", _Uids())
    folder.mkdir()
    assert main(["new", "--db", target, "--partnership", "Northmere Safeguarding Children Partnership"]) == 0
    assert main(["import", "--db", target, str(_tracker(folder / "tracker.xlsx"))]) == 0
    assert main(["returns", "send", "--db", target, "--period", PERIOD, "--deadline", DEADLINE,
                 "--out", str(folder / "returns")]) == 0
    sent = sorted((folder / "returns").glob("*.xlsx"))
    assert len(sent) == 8
    # Meanwhile the lead rates recommendation 2 Red; the police's return will propose Green for it.
    database = open_database(target)
    try:
        rec2 = next(n.id for n in load_tree(database.sessions).walk() if n.reference == "CHILDQ-R2")
        items.update_recommendation(database.sessions, rec2, {"rag": Rag.RED})
    finally:
        database.close()
    filled = []
    for path in sent:
        code = path.name.split(" - ")[1]
        answers = {f"CHILDQ-R{n}": {"update": f"{code}: progress this quarter", "proposed_rag": "Green"}
                   for n in range(1, 9)}
        filled.append(_fill(path, answers))
    # Two partners' returns imported at the same moment, by two people.
    start = threading.Barrier(2)
    codes: dict[str, int] = {}

    def import_one(path: Path, who: str) -> None:
        start.wait()
        codes[path.name] = main(["import", "--db", who, str(path)])
    second = target.replace(f"{WRITER}@", f"{SECOND_WRITER}@") if "://" in target else target
    threads = [threading.Thread(target=import_one, args=(path, who), name=f"import-{n}")
               for n, (path, who) in enumerate(zip(filled[:2], (target, second), strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert list(codes.values()) == [0, 0]
    for path in filled[2:]:
        police = " - NP - " in path.name
        capsys.readouterr()
        assert main(["import", "--db", target, str(path), *(["--on-conflict", "file"] if police else [])]) == 0
        if police:  # the lead's Red and the police's Green: a conflict, settled as the command chose
            assert "now Red in the database, Green in the return" in capsys.readouterr().out
    assert main(["report", "--db", target, "--out", str(folder / "panel report.docx")]) == 0
    dump = folder / "dump.json"
    assert main(["dump", "--db", target, "--out", str(dump)]) == 0
    return dump.read_text(encoding="utf-8")


def test_a_whole_quarter_gives_the_same_dump_on_a_file_and_on_the_server(
        tmp_path: Path, pg_cluster: Cluster, pg_database: Any, deterministic: None,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    on_file = _quarter(str(tmp_path / "quarter.sqlite"), tmp_path / "file", monkeypatch, capsys)
    on_server = _quarter(pg_cluster.url(WRITER, pg_database()), tmp_path / "server", monkeypatch, capsys)
    capsys.readouterr()
    assert on_file == on_server
    # And the quarter happened: every agency's update on every recommendation, the police's
    # proposal on the item the lead changed taken as chosen (--on-conflict file).
    assert on_file.count("progress this quarter") == 8
    assert '"rag": "Green"' in on_file and "Work started on recommendation 8" in on_file
    assert (tmp_path / "file" / "panel report.docx").stat().st_size > 0
    assert (tmp_path / "server" / "panel report.docx").stat().st_size > 0
