"""Sheets and lines beside a plan's table: a tab per agency is that agency's part of the one review
its title names; a log of dated updates keyed by reference is its items' history; every non-empty
cell of every sheet and every paragraph is counted (mapped, kept as text, or skipped with its
reason); a title naming an inspection names the review, and a board the plan is reported to does
not own it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from scr_desk.db.engine import Database
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import Outcome
from tests.trackers.build_trackers import FILES, TODAY


def _non_empty_cells(path: Path, below: dict[str, int]) -> int:
    """The non-empty cells of every sheet, below its header row where it has a table (`below`)."""
    book = openpyxl.load_workbook(path)
    return sum(1 for sheet in book for row in sheet.iter_rows(min_row=below.get(sheet.title, 0) + 1,
                                                                 values_only=True)
               for v in row if v is not None and str(v).strip())


def test_a_log_sheet_is_its_items_history_and_a_reference_it_cannot_join_is_said(db: Database) -> None:
    path = FILES / "Marlow DHR Lorna plan and progress.xlsx"
    plan = plan_import(db, path, today=TODAY)
    assert plan.counts()["created_recommendations"] == 3 and plan.counts()["new_updates"] == 3
    by_row = {(r.sheet, r.row): r for r in plan.rows}
    # the log's rows join the recommendations their references name
    assert "joined by its reference" in by_row[("Progress", 2)].message
    assert by_row[("Progress", 4)].reading["item"] == by_row[("Progress", 2)].reading["item"]
    # 'R9' names no recommendation of the plan: skipped, saying which reference, and said in a warning
    unjoined = by_row[("Progress", 5)]
    assert unjoined.outcome is Outcome.SKIPPED and "'R9'" in unjoined.message
    assert any("'R9'" in w.message and "Progress" in w.message for w in plan.warnings)
    # the contents sheet's prose is counted as skipped, with the reason
    assert by_row[("Contents", 2)].message.startswith("not an item: on a sheet that holds no items")
    # AND no sheet's words vanish: every non-empty cell under the tables' headings, and every one of
    # the contents sheet, is counted once
    assert plan.mapping["Progress"]["review_from"] == "references"
    assert sum(plan.cells.values()) == _non_empty_cells(path, {"Recommendations": 1, "Progress": 1}) == 30


def test_agency_tabs_titled_with_one_review_are_one_review(db: Database) -> None:
    path = FILES / "SAR Mabel agency tabs.xlsx"
    plan = plan_import(db, path, today=TODAY)
    counts = plan.counts()
    assert (counts["created_reviews"], counts["created_recommendations"], counts["created_actions"]) == (1, 3, 4)
    assert {m["review"] for m in plan.mapping.values()} == {"Mabel"}
    assert sum(plan.cells.values()) == _non_empty_cells(path, {sheet: 3 for sheet in plan.mapping}) == 24


def test_every_paragraph_of_a_word_plan_is_counted_and_a_recommendations_words_are_joined(db: Database) -> None:
    import docx
    path = FILES / "Self-neglect thematic SAR plan.docx"
    plan = plan_import(db, path, today=TODAY)
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    accounted = [r for r in plan.rows if r.sheet == "Paragraphs"]
    # every paragraph outside the tables is in the account once, in document order
    assert [r.reading["text"] for r in accounted] == paragraphs
    by_text = {r.reading["text"]: r for r in accounted}
    # the paragraphs between 'R1' and its table are recommendation 1's words, joined to it
    joined = by_text["This includes contact with their family."]
    assert joined.reading["item"] == by_text[paragraphs[3]].reading["item"] != ""
    # the instruction naming a meeting is skipped with what it is, and names no review
    instruction = by_text[paragraphs[1]]
    assert instruction.outcome is Outcome.SKIPPED and "a paragraph of the document" in instruction.message
    assert [r["name"] for r in plan.details["reviews"]] == ["Self-neglect in later life"]


def test_an_inspection_names_the_review_and_a_board_it_is_reported_to_does_not_own_it(db: Database) -> None:
    plan = plan_import(db, FILES / "Marlow trust CQC plan.xlsx", today=TODAY)
    [found] = plan.details["reviews"]
    assert found["name"] == "CQC unannounced safeguarding inspection"
    assert found["partnership"] != "Marlow Safeguarding Adults Board"
