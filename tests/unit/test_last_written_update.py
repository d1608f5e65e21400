"""A return's "Last update" is the last progress a person wrote, with its date and author: never
the sentence SCR Desk writes when a status or RAG is chosen in the detail form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag
from scr_desk.domain.update_words import written_by_a_person
from scr_desk.excel.layout import RETURN_COLUMNS
from scr_desk.services import updates
from scr_desk.services.returns_export import export_return
from scr_desk.services.tree import load_tree

pytestmark = pytest.mark.both_engines

COL = {c.key: i for i, c in enumerate(RETURN_COLUMNS, start=1)}


def test_a_return_shows_the_last_update_a_person_wrote_not_an_automatic_line(sample_db: Database,
                                                                            tmp_path: Path) -> None:
    rec3 = next(n for n in load_tree(sample_db.sessions).walk() if n.reference == "CLARE-R3")
    item = ItemKey.recommendation(rec3.id)
    updates.add_update(sample_db.sessions, item, {"as_at": "10/03/2021", "narrative": "Forty staff trained",
                                                  "author": "J Watkins"})
    # AFTER it, the lead moves the RAG in the detail form: an automatic update, dated today
    updates.record_form_change(sample_db.sessions, item, "rag", Rag.RED)
    assert not written_by_a_person(updates.list_updates(sample_db.sessions, item)[0].narrative)
    out = tmp_path / "scc.xlsx"
    export_return(sample_db.sessions, "SCC", out, period="2020-21 Q4", deadline=date(2021, 4, 14))
    sheet = openpyxl.load_workbook(out)["Returns"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, COL["reference"]).value == "CLARE-R3")
    assert sheet.cell(row, COL["last_update"]).value == "Forty staff trained (J Watkins)"
    assert sheet.cell(row, COL["last_update_date"]).value.date() == date(2021, 3, 10)
    assert sheet.cell(row, COL["rag"]).value == "Red"  # the RAG itself is current


def test_what_a_person_wrote_is_told_from_what_scr_desk_wrote() -> None:
    assert not written_by_a_person("RAG changed from Amber to Red in the detail form.")
    assert not written_by_a_person("Status changed from not set to In progress in the detail form.")
    assert not written_by_a_person("Proposal from Hampshire Constabulary (2020-21 Q4 return) accepted by the lead: "
                                   "Status Complete.")
    assert not written_by_a_person("  ")
    assert written_by_a_person("The RAG changed from Amber to Red after the audit, in the detail we gave.")
