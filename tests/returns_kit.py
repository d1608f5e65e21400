"""Returns as partners fill them in: export one, fill rows by reference, re-save in LibreOffice."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import openpyxl

from scr_desk.db.engine import Database
from scr_desk.excel.layout import RETURN_COLUMNS
from scr_desk.services import agencies, items
from scr_desk.services.returns_export import export_return
from scr_desk.services.tree import load_tree

COL = {c.key: i for i, c in enumerate(RETURN_COLUMNS, start=1)}


def add_actions(sample_db: Database) -> Database:
    scc = next(a for a in agencies.list_agencies(sample_db.sessions) if a.code == "SCC")
    rec3 = next(n for n in load_tree(sample_db.sessions).walk() if n.reference == "CLARE-R3")
    items.create_action(sample_db.sessions, rec3.id, {"text": "Domestic abuse training", "owner_agency_id": scc.id,
                                                       "target_date": "30/04/2021"})
    items.create_action(sample_db.sessions, rec3.id, {"text": "Supervision audit", "owner_agency_id": scc.id})
    return sample_db


def export(db: Database, tmp_path: Path, agency: str = "SCC") -> Path:
    out = tmp_path / f"{agency}.xlsx"
    export_return(db.sessions, agency, out, period="2020-21 Q4", deadline=date(2021, 4, 14))
    return out


def fill(path: Path, answers: dict[str, dict[str, object]], *, reverse: bool = False, out: Path | None = None) -> Path:
    """Fill rows by reference, as a partner would; optionally sort the rows backwards."""
    book = openpyxl.load_workbook(path)
    sheet = book["Returns"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    if reverse:
        rows.reverse()
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column).value = value
        for key, value in answers.get(values[COL["reference"] - 1], {}).items():
            sheet.cell(number, COL[key]).value = value
    target = out or path.with_name(path.stem + "-filled.xlsx")
    book.save(target)
    return target


def libreoffice_resave(path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "resaved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(folder), str(path)], check=True, capture_output=True,
                   timeout=180)
    return folder / path.name


