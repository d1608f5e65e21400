"""Export: every generated workbook is opened again with openpyxl and checked."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.excel.layout import FULL_SHEETS, META_SHEET, OVERFLOW_SHEET, RETURN_COLUMNS
from scr_desk.excel.safe import EXCEL_MAX_CHARS, escape, split_long, unescape
from scr_desk.services import agencies, items, reviews, updates
from scr_desk.services.full_export import export_full
from scr_desk.services.returns_export import agencies_with_open_items, export_return, export_returns

HOSTILE = ["=1+2", "+44 23 8083 3000", "-5 days", "@SUM(A1)", "tab\tinside", "bell\x07 and \x01",
           "_x0041_ is literal", "ok"]


def _meta(sheet) -> dict[str, object]:  # noqa: ANN001
    facts = {}
    for key, value in sheet.iter_rows(min_row=1, max_col=2, values_only=True):
        if key is None:
            break
        facts[key] = value
    return facts


def _col(key: str) -> int:
    return next(i for i, c in enumerate(RETURN_COLUMNS, 1) if c.key == key)


@pytest.fixture
def rich_db(sample_db: Database) -> Database:
    """The sample plus actions, dates, RAGs and text that tries to be a formula."""
    scc = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "SCC")
    review = reviews.list_reviews(sample_db.sessions)[0]
    rec = items.create_recommendation(sample_db.sessions, review.id, {
        "number": "5", "text": HOSTILE[0], "lead_agency_id": scc.id, "target_date": "31/03/2021",
        "rag": "Red", "status": "In progress"})
    for n, text in enumerate(HOSTILE[1:], start=1):
        items.create_action(sample_db.sessions, rec.id, {"text": text, "owner_agency_id": scc.id,
                                                          "owner_name": f"Owner {n}", "target_date": date(2021, 6, n)})
    items.create_action(sample_db.sessions, rec.id, {"text": "Already done", "owner_agency_id": scc.id,
                                                      "status": "Complete"})
    updates.add_update(sample_db.sessions, ItemKey.recommendation(rec.id),
                       {"as_at": "01/02/2021", "narrative": "x" * (EXCEL_MAX_CHARS + 500), "rag": "Amber"})
    return sample_db


def test_return_workbook_structure(rich_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "scc.xlsx"
    result = export_return(rich_db.sessions, "SCC", out, period="2020-21 Q4", deadline=date(2021, 4, 14))
    assert result.rows == 3 + 7  # recommendations 1, 3 and 5, and the seven open actions
    assert result.warnings and "shortened" in result.warnings[0]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions", "Returns", META_SHEET]
    assert book[META_SHEET].sheet_state == "veryHidden"
    ws = book["Returns"]
    assert [c.value for c in ws[1]] == [c.header for c in RETURN_COLUMNS]
    assert ws.column_dimensions["A"].hidden
    # No sheet protection: LibreOffice and Excel must let partners sort and insert rows. The
    # database's own record of what was sent guards the locked columns instead.
    assert not ws.protection.sheet
    for column in RETURN_COLUMNS:
        cell = ws.cell(2, _col(column.key))
        assert (cell.fill.fgColor.rgb == "00FFF8E1") is (not column.locked), column.key  # the agency's: shaded
    refs = [ws.cell(r, _col("reference")).value for r in range(2, ws.max_row + 1)]
    assert refs[:3] == ["CLARE-R1", "CLARE-R3", "CLARE-R5"] and refs[3] == "CLARE-R5-A1"
    assert "CLARE-R5-A8" not in refs  # complete actions are not asked about
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref.startswith("A1:R")
    sqrefs = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert sqrefs["O2:O2000"].type == "list"
    assert sqrefs["O2:O2000"].formula1 == '"Not started,In progress,Complete,On hold"'  # the agency's statuses only
    assert sqrefs["P2:P2000"].formula1 == '"Red,Amber,Green,Blue"'
    assert sqrefs["Q2:Q2000"].type == "date"
    assert len(list(ws.conditional_formatting)) == 2
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert "2020-21 Q4" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text
    r5 = refs.index("CLARE-R5") + 2
    assert ws.cell(r5, _col("target")).value.date() == date(2021, 3, 31)
    assert ws.cell(r5, _col("target")).number_format == "dd/mm/yyyy"
    assert ws.cell(r5, _col("rag")).value == "Amber"
    meta = _meta(book[META_SHEET])
    # Nothing else to believe; the sender's identity and file name are only quoted, to a database it is taken to
    assert set(meta) == {"format", "kind", "format_version", "export_id", "signature", "database", "database_name"}
    assert meta["kind"] == "returns" and meta["format_version"] == 2 and len(meta["signature"]) == 64
    instructions = [c.value for c in book["Instructions"]["B"] if c.value]
    assert "14/04/2021" in instructions and any("Issues identified" in t for t in instructions)


def test_text_is_never_a_formula(rich_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "scc.xlsx"
    export_return(rich_db.sessions, "SCC", out)
    ws = openpyxl.load_workbook(out)["Returns"]
    texts = {}
    for row in range(2, ws.max_row + 1):
        for key in ("rec_text", "action_text"):
            cell = ws.cell(row, _col(key))
            if cell.value is not None:
                assert cell.data_type == "s", (cell.coordinate, cell.value)
                texts[unescape(cell.value)] = cell
    for text in HOSTILE:
        assert text in texts, text
    assert texts["=1+2"].quotePrefix and texts["@SUM(A1)"].quotePrefix
    with zipfile.ZipFile(out) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere in the returns sheet


def test_escape_round_trips_and_splits() -> None:
    for text in HOSTILE + ["_x005F_x0041_", "a_x", "\r\n", "lone \ud800 surrogate"]:
        assert unescape(escape(text)) == text
    long = escape("é\x01" * 40000)
    parts = split_long(long)
    assert all(len(p) <= EXCEL_MAX_CHARS for p in parts) and "".join(parts) == long
    assert unescape("".join(parts)) == "é\x01" * 40000


def test_full_workbook(rich_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    result = export_full(rich_db.sessions, out, today=date(2021, 7, 1))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", *FULL_SHEETS, OVERFLOW_SHEET, META_SHEET]
    assert book[META_SHEET].sheet_state == "veryHidden" and _meta(book[META_SHEET])["kind"] == "full"
    for name, columns in FULL_SHEETS.items():
        assert [c.value for c in book[name][1]] == [c.header for c in columns]
    assert book["Recommendations"].max_row == 1 + 4 and book["Actions"].max_row == 1 + 8
    assert book["Updates"].max_row == 1 + 4 and book["Attendees"].max_row == 1 + 7
    assert result.rows == 5 + 1 + 4 + 8 + 4 + 1 + 7
    rec_text = {book["Recommendations"].cell(r, 3).value: book["Recommendations"].cell(r, 6)
                for r in range(2, 6)}
    assert rec_text["CLARE-R5"].value == "=1+2" and rec_text["CLARE-R5"].data_type == "s"
    action_texts = {unescape(book["Actions"].cell(r, 6).value) for r in range(2, 10)}
    assert set(HOSTILE[1:]) <= action_texts
    long_parts = [row for row in book[OVERFLOW_SHEET].iter_rows(min_row=2, values_only=True)]
    assert [(s, f, p) for s, _, f, p, _ in long_parts] == [("Updates", "narrative", 2)]
    assert len(long_parts[0][4]) == 500
    summary = book["Summary"]
    assert len(summary._charts) == 1
    values = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert "Overdue items" in values and "CLARE-R5" in values  # target 31/03/2021, open, before 01/07/2021


def test_returns_for_every_agency(rich_db: Database, tmp_path: Path) -> None:
    with_items = [a for a in agencies_with_open_items(rich_db.sessions) if a[3]]
    assert [a[2] for a in with_items] == ["HC", "CCG", "SOLENT", "SCC"]
    seen: list[tuple[int, int, str]] = []
    results = export_returns(rich_db.sessions, tmp_path / "q4", [a[0] for a in with_items], period="2020-21 Q4",
                             deadline=date(2021, 4, 14), progress=lambda d, t, n: seen.append((d, t, n)))
    names = sorted(p.name for p in (tmp_path / "q4").iterdir())
    assert names == sorted(r.path.name for r in results) and len(names) == 4
    assert "2020-21 Q4 return - SOLENT - Solent NHS Trust.xlsx" in names
    assert seen[-1][:2] == (4, 4)
    cancelled = export_returns(rich_db.sessions, tmp_path / "none", [a[0] for a in with_items], period="2020-21 Q4",
                               deadline=date(2021, 4, 14), cancelled=lambda: True)
    assert cancelled == []


def test_failed_export_leaves_the_old_file(rich_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "scc.xlsx"
    out.write_bytes(b"last quarter's file")
    import scr_desk.excel.return_writer as writer

    def broken(path: Path, *args: object, **kwargs: object) -> list[str]:
        path.write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(writer, "write_return", broken)
    with pytest.raises(OSError, match="No space"):
        export_return(rich_db.sessions, "SCC", out)
    assert out.read_bytes() == b"last quarter's file"
    assert [p.name for p in tmp_path.iterdir() if p.name != "sample.sqlite" and "sqlite" not in p.name] == ["scc.xlsx"]


def test_export_command(rich_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(rich_db.path)
    assert main(["export", "--db", path, "--out", str(tmp_path / "f.xlsx")]) == 0
    assert "full workbook" in capsys.readouterr().out
    assert main(["export", "--db", path, "--agency", "solent nhs trust", "--out", str(tmp_path / "s.xlsx"),
                 "--period", "2020-21 Q4", "--deadline", "14/04/2021"]) == 0
    assert "Solent NHS Trust (1 item)" in capsys.readouterr().out
    assert main(["export", "--db", path, "--agency", "Ofsted", "--out", str(tmp_path / "o.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "--agency 'Ofsted' names no agency" in err and "Solent NHS Trust" in err
    assert main(["export", "--db", path, "--out", str(tmp_path / "f.csv")]) == 1
    with pytest.raises(SystemExit) as exited:  # a date that cannot be meant is a usage error
        main(["export", "--db", path, "--agency", "HC", "--deadline", "31/02/2021", "--out", str(tmp_path / "h.xlsx")])
    assert exited.value.code == 2
    assert not (tmp_path / "o.xlsx").exists() and not (tmp_path / "h.xlsx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
def test_libreoffice_opens_and_resaves_the_return(rich_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "scc.xlsx"
    export_return(rich_db.sessions, "SCC", out)
    converted = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(converted), str(out)],
                   check=True, capture_output=True, timeout=180)
    before = openpyxl.load_workbook(out)["Returns"]
    after = openpyxl.load_workbook(converted / "scc.xlsx")["Returns"]
    keys = lambda ws: [ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]  # noqa: E731
    assert keys(after) == keys(before) and len(keys(after)) == 10
    assert [c.value for c in after[1]] == [c.value for c in before[1]]
    refs = lambda ws: [ws.cell(r, 2).value for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value]  # noqa: E731
    assert refs(after) == refs(before)


def test_a_target_note_stands_in_the_target_column(sample_db: Database, tmp_path: Path) -> None:
    # GIVEN a recommendation whose target is words, not a date
    scc = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "SCC")
    review = reviews.list_reviews(sample_db.sessions)[0]
    items.create_recommendation(sample_db.sessions, review.id, {
        "number": "6", "text": "Embed the learning", "lead_agency_id": scc.id, "target_note": "Ongoing"})
    # WHEN the agency's return is written THEN its target column shows the words
    out = tmp_path / "scc.xlsx"
    export_return(sample_db.sessions, "SCC", out)
    ws = openpyxl.load_workbook(out)["Returns"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, _col("reference")).value == "CLARE-R6")
    assert ws.cell(row, _col("target")).value == "Ongoing"
