"""A return is a machine's format that passed through someone else's hands: nothing it says about
itself is believed. Each case a careful, careless or malicious partner tried is refused, or lands
once, changing nothing else."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.layout import META_SHEET
from scr_desk.services import items, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.plan import ConflictChoice, Outcome
from scr_desk.services.imports.together import apply_plan
from scr_desk.services.tree import load_tree
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def ref(db: Database, reference: str) -> int:
    return next(n.id for n in load_tree(db.sessions).walk() if n.reference == reference)


def history(db: Database, kind: str, reference: str) -> list:
    return updates.list_updates(db.sessions, ItemKey(kind, ref(db, reference)))


def key_of(path: Path, reference: str) -> str:
    sheet = openpyxl.load_workbook(path)["Returns"]
    return next(r[0].value for r in sheet.iter_rows(min_row=2) if r[1].value == reference)


def test_a_partner_cannot_reach_an_item_it_was_not_sent(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN the police's return (they contribute to CLARE-R1 only) and the key of a council-only item
    council_key = key_of(export(with_actions, tmp_path, "SCC"), "CLARE-R3")
    police = fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {"update": "Closing the council's item",
                                                                      "proposed_status": "Complete"}})
    book = openpyxl.load_workbook(police)
    book["Returns"]["A2"] = council_key  # the forged key on their own row
    book.save(police)
    before = dump_records(with_actions.sessions)
    # WHEN it is imported THEN that row is refused with its row number, and nothing lands
    plan = plan_import(with_actions, police)
    [error] = plan.errors
    assert error.row == 2 and "not in the return sent to Hampshire Constabulary" in error.message
    assert not plan.can_apply and plan.counts()["new_updates"] == 0
    assert dump_records(with_actions.sessions) == before


def test_assurance_is_the_panels_not_a_partners(with_actions: Database, tmp_path: Path) -> None:
    plan = plan_import(with_actions, fill(export(with_actions, tmp_path), {
        "CLARE-R3": {"update": "We consider this closed", "proposed_status": "Assured"}}))
    [error] = plan.errors
    assert error.text.startswith("CLARE-R3, Proposed status (O")
    assert "decided by the panel" in error.message and not plan.can_apply


def test_a_contributors_proposal_is_recorded_unless_the_lead_agrees(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN the police, who contribute to CLARE-R1 (the council leads it), propose it is complete
    police = fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {
        "update": "Police training complete", "proposed_status": "Complete", "proposed_rag": "Blue"}})
    plan = plan_import(with_actions, police)
    [row] = [r for r in plan.rows if r.outcome is Outcome.NEW_UPDATE]
    assert row.proposal and row.choice is ConflictChoice.DATABASE  # record only, by default
    assert "does not lead it" in row.message
    # WHEN it is applied as it stands THEN their update is on record, and the item has not moved
    apply_plan(with_actions, plan)
    rec = items.get_recommendation(with_actions.sessions, ref(with_actions, "CLARE-R1"))
    assert rec.status is Status.IN_PROGRESS
    latest = history(with_actions, "recommendation", "CLARE-R1")[0]
    assert latest.narrative == "Police training complete" and latest.agency_name == "Hampshire Constabulary"
    assert latest.status is None and "proposed Status Complete" in latest.source_detail


def test_the_lead_can_take_a_contributors_proposal(with_actions: Database, tmp_path: Path) -> None:
    plan = plan_import(with_actions, fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {
        "update": "Police training complete", "proposed_status": "Complete"}}))
    next(r for r in plan.rows if r.proposal).choice = ConflictChoice.FILE
    apply_plan(with_actions, plan)
    assert items.get_recommendation(with_actions.sessions, ref(with_actions, "CLARE-R1")).status is Status.COMPLETE


def test_without_its_hidden_part_a_return_is_refused_not_taken_for_a_tracker(with_actions: Database,
                                                                             tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "x", "rec_text": "Rewritten"}})
    book = openpyxl.load_workbook(filled)
    del book[META_SHEET]
    book.save(filled)
    plan = plan_import(with_actions, filled)
    assert plan.kind == "returns" and not plan.can_apply
    assert "changed after it was sent, or it comes from another database" in plan.errors[0].message


@pytest.mark.parametrize("edit", ["export_id", "signature", "format_version"])
def test_an_edited_hidden_sheet_is_refused(with_actions: Database, tmp_path: Path, edit: str) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "x"}})
    book = openpyxl.load_workbook(filled)
    meta = book[META_SHEET]
    row = next(r for r in range(1, 10) if meta.cell(r, 1).value == edit)
    meta.cell(row, 2).value = {"export_id": "0" * 32, "signature": "f" * 64, "format_version": "abc"}[edit]
    book.save(filled)
    plan = plan_import(with_actions, filled)
    assert not plan.can_apply and "changed after it was sent" in plan.errors[0].message


def test_what_the_hidden_sheet_claims_is_not_believed(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN a return whose hidden sheet was given another agency and a long period
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Ours"}})
    book = openpyxl.load_workbook(filled)
    meta = book[META_SHEET]
    for row, (name, value) in enumerate((("agency", "Hampshire Constabulary"), ("period", "Q" * 5000),
                                         ("version", "1")), start=6):
        meta.cell(row, 1).value, meta.cell(row, 2).value = name, value
    book.save(filled)
    # WHEN it is imported THEN the update carries the agency and period the database sent it for
    apply_plan(with_actions, plan_import(with_actions, filled))
    latest = history(with_actions, "recommendation", "CLARE-R3")[0]
    assert (latest.agency_name, latest.period) == ("Southampton City Council Children's Services", "2020-21 Q4")


def test_conflicts_are_judged_against_the_versions_recorded_at_export(with_actions: Database,
                                                                     tmp_path: Path) -> None:
    sent = export(with_actions, tmp_path)
    items.update_recommendation(with_actions.sessions, ref(with_actions, "CLARE-R1"), {"rag": "Red"})  # the lead
    filled = fill(sent, {"CLARE-R1": {"update": "On track", "proposed_rag": "Green"}})
    book = openpyxl.load_workbook(filled)
    book[META_SHEET]["A8"], book[META_SHEET]["B8"] = "key", "version"  # the old version table, planted
    book.save(filled)
    plan = plan_import(with_actions, filled)
    [conflict] = [r for r in plan.rows if r.outcome is Outcome.CONFLICT]
    assert conflict.sides == (("RAG", "—", "Red", "Green"),)
    apply_plan(with_actions, plan)  # skipped by default: the lead's newer RAG stands
    assert items.get_recommendation(with_actions.sessions, ref(with_actions, "CLARE-R1")).rag is Rag.RED


def test_a_return_for_an_earlier_period_lands_as_history(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN last quarter's return, and this quarter's update already on CLARE-R1
    sent = export(with_actions, tmp_path)  # 2020-21 Q4
    rec1 = ref(with_actions, "CLARE-R1")
    updates.add_update(with_actions.sessions, ItemKey.recommendation(rec1),
                       {"as_at": "15/07/2021", "narrative": "Q1 progress", "rag": "Green"})
    # WHEN last quarter's return arrives late, proposing Red
    plan = plan_import(with_actions, fill(sent, {"CLARE-R1": {"update": "Q4 progress", "proposed_rag": "Red"}}),
                       today=date(2021, 7, 20))
    assert any("this return is for 2020-21 Q4; newer updates exist for 1 of its items" in n.message
               for n in plan.notes)
    apply_plan(with_actions, plan)
    # THEN it joins the history in its own period, and the item does not go back in time
    assert items.get_recommendation(with_actions.sessions, rec1).rag is Rag.GREEN
    timeline = history(with_actions, "recommendation", "CLARE-R1")
    assert timeline[0].narrative == "Q1 progress"
    q4 = next(u for u in timeline if u.narrative == "Q4 progress")
    assert q4.period == "2020-21 Q4" and q4.as_at == date(2021, 3, 31)


def test_every_row_is_counted_once(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {
        "CLARE-R1": {"update": "Done"},
        "CLARE-R3": {"owner": "Someone else"},  # only a locked column edited
        "CLARE-R3-A1": {"proposed_rag": "Purple"},
    })
    plan = plan_import(with_actions, filled)
    rows = plan.row_counts()
    assert rows == {"rows": 4, "new": 1, "unchanged": 2, "left_out": 0, "errors": 1, "conflicts": 0, "not_items": 0,
                    "joined": 0}
    assert sum(v for k, v in rows.items() if k != "rows") == rows["rows"]
    assert any(w.reference == "CLARE-R3" and "Lead / owner" in w.message for w in plan.warnings)


def test_dates_outside_the_century_are_errors(with_actions: Database, tmp_path: Path) -> None:
    plan = plan_import(with_actions, fill(export(with_actions, tmp_path), {
        "CLARE-R1": {"update": "x", "revised_target": "01/01/1000"}}))
    [error] = plan.errors
    assert error.text.startswith("CLARE-R1, Revised target date (Q") and "2000-2100" in error.message


def test_the_export_is_recorded_in_the_database(with_actions: Database, tmp_path: Path) -> None:
    from scr_desk.services.return_record import load_sent
    sent = export(with_actions, tmp_path)
    book = openpyxl.load_workbook(sent)
    export_id = next(r[1].value for r in book[META_SHEET].iter_rows() if r[0].value == "export_id")
    with with_actions.sessions() as session:
        record = load_sent(session, export_id)
    assert record is not None and record.period == "2020-21 Q4" and record.file_name == "SCC.xlsx"
    assert len(record.rows) == 4 and all(row.version >= 1 for row in record.rows.values())
    assert {row.locked["reference"] for row in record.rows.values()} == {"CLARE-R1", "CLARE-R3", "CLARE-R3-A1",
                                                                          "CLARE-R3-A2"}


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.startswith("{")], err


def test_the_same_return_twice_in_one_command_lands_once(with_actions: Database, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Once"}})
    with_actions.close()
    code, results, _ = _cli(capsys, "import", "--db", str(with_actions.location), str(filled), str(filled), "--json")
    assert code == 0 and [r["counts"]["new_updates"] for r in results] == [1, 0]
    assert results[1]["imported_before"] is not None and all(r["applied"] for r in results)
    code, [again], _ = _cli(capsys, "import", "--db", str(with_actions.location), str(filled), "--json")
    assert again["counts"]["new_updates"] == 0 and again["imported_before"]


def test_two_files_in_one_command_land_together_or_not_at_all(with_actions: Database, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    good = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Fine"}}, out=tmp_path / "good.xlsx")
    bad = fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {"proposed_rag": "Purple"}},
               out=tmp_path / "bad.xlsx")
    before = dump_records(with_actions.sessions)
    with_actions.close()
    code, results, err = _cli(capsys, "import", "--db", str(with_actions.location), str(good), str(bad), "--json")
    assert code == 1 and len(results) == 2 and not any(r["applied"] for r in results)
    assert results[1]["errors"][0]["message"].startswith("CLARE-R1, Proposed RAG")
    assert "nothing was imported from any file" in err
    from scr_desk.db.engine import open_database
    reopened = open_database(with_actions.location)
    assert dump_records(reopened.sessions) == before
    reopened.close()


def test_a_refused_files_dry_run_says_it_would_import_nothing(with_actions: Database, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R1": {"update": "a"}, "CLARE-R3": {"update": "b"},
                                                   "CLARE-R3-A1": {"proposed_status": "Assured"}})
    with_actions.close()
    code = main(["import", "--db", str(with_actions.location), str(filled), "--dry-run"])
    out, _ = capsys.readouterr()
    assert code == 1 and "Would import nothing from" in out and "new update" not in out
    code, [result], _ = _cli(capsys, "import", "--db", str(with_actions.location), str(filled), "--dry-run", "--json")
    assert result["applied"] is False and result["counts"]["new_updates"] == 0


def test_an_older_full_workbook_never_takes_the_database_back_in_time(sample_db: Database, tmp_path: Path) -> None:
    from scr_desk.services import meetings
    from scr_desk.services.full_export import export_full
    # GIVEN last quarter's full workbook, then this quarter's work: a status, a RAG, a wording, a minute
    old = tmp_path / "last-quarter.xlsx"
    export_full(sample_db.sessions, old)
    rec1 = ref(sample_db, "CLARE-R1")
    items.update_recommendation(sample_db.sessions, rec1, {"status": "Complete", "rag": "Blue",
                                                           "text": "Corrected wording"})
    meeting = meetings.list_meetings(sample_db.sessions)[0]
    meetings.update_meeting(sample_db.sessions, meeting.id, {"notes": "Corrected minute"})
    before = dump_records(sample_db.sessions)
    # WHEN the older workbook is imported
    plan = plan_import(sample_db, old)
    conflicts = [r for r in plan.rows if r.outcome is Outcome.CONFLICT]
    assert {r.sheet for r in conflicts} == {"Recommendations", "Meetings"}
    rec_conflict = next(r for r in conflicts if r.sheet == "Recommendations")
    assert ("status", "", "Complete", "In progress") in rec_conflict.sides
    # THEN nothing goes back unless the lead chooses the file's
    apply_plan(sample_db, plan)
    assert dump_records(sample_db.sessions) == before
    # AND a newer version in a workbook is taken as a change
    newer = tmp_path / "this-quarter.xlsx"
    export_full(sample_db.sessions, newer)
    items.update_recommendation(sample_db.sessions, rec1, {"text": "Reverted by mistake"})
    assert all(r.outcome is not Outcome.CHANGED for r in plan_import(sample_db, newer).rows)  # db newer again


def test_a_full_workbooks_version_cells_are_not_believed(sample_db: Database, tmp_path: Path) -> None:
    from scr_desk.services.full_export import export_full
    # GIVEN an old full workbook whose version cell for CLARE-R1 was raised by hand
    old = tmp_path / "old.xlsx"
    export_full(sample_db.sessions, old)
    rec1 = ref(sample_db, "CLARE-R1")
    items.update_recommendation(sample_db.sessions, rec1, {"status": "Complete", "rag": "Blue"})
    book = openpyxl.load_workbook(old)
    sheet = book["Recommendations"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("Reference")].value == "CLARE-R1")
    row[header.index("Version")].value = 99
    book.save(old)
    before = dump_records(sample_db.sessions)
    # WHEN it is imported THEN it is a conflict, and nothing goes back
    plan = plan_import(sample_db, old)
    [conflict] = [r for r in plan.rows if r.outcome is Outcome.CONFLICT and r.sheet == "Recommendations"]
    assert conflict.reference == "CLARE-R1"
    apply_plan(sample_db, plan)
    assert dump_records(sample_db.sessions) == before
    # AND when the lead takes the file's values, the version moves forward, never back
    version = items.get_recommendation(sample_db.sessions, rec1).version
    plan = plan_import(sample_db, old)
    next(r for r in plan.rows if r.outcome is Outcome.CONFLICT and r.reference == "CLARE-R1").choice = \
        ConflictChoice.FILE
    apply_plan(sample_db, plan)
    after = items.get_recommendation(sample_db.sessions, rec1)
    assert after.status is Status.IN_PROGRESS and after.version == version + 1


def _edit(path: Path, change: object) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)  # type: ignore[operator]
    book.save(path)
    return path


def test_rows_sorted_above_the_headings_are_not_lost(with_actions: Database, tmp_path: Path) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R1": {"update": "Above the headings"}})

    def move_header_down(book: openpyxl.Workbook) -> None:
        sheet = book["Returns"]
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=3)]
        for number, values in enumerate([rows[1], rows[2], rows[0]], start=1):  # headings now on row 3
            for column, value in enumerate(values, start=1):
                sheet.cell(number, column).value = value
    plan = plan_import(with_actions, _edit(filled, move_header_down))
    assert plan.row_counts()["rows"] == 4 and not plan.can_apply
    assert any(e.row == 1 and "above the heading row" in e.message and e.reference == "CLARE-R1"
               for e in plan.errors)


def test_a_second_update_column_or_a_copied_sheet_is_never_ignored(with_actions: Database, tmp_path: Path) -> None:
    from scr_desk.excel.guard import WorkbookError
    sent = export(with_actions, tmp_path)

    def second_column(book: openpyxl.Workbook) -> None:
        sheet = book["Returns"]
        sheet.cell(1, 19).value, sheet.cell(2, 19).value = "Update this period", "In the second column"
    with pytest.raises(WorkbookError, match="appears more than once"):
        plan_import(with_actions, _edit(fill(sent, {}, out=tmp_path / "a.xlsx"), second_column))

    def copied_sheet(book: openpyxl.Workbook) -> None:
        copy = book.copy_worksheet(book["Returns"])
        copy.cell(2, 13).value = "Typed into the copy"
    plan = plan_import(with_actions, _edit(fill(sent, {}, out=tmp_path / "b.xlsx"), copied_sheet))
    assert not plan.can_apply and "only the 'Returns' sheet is read" in plan.file_errors[0].message


def test_a_return_with_renamed_headings_and_no_hidden_part_is_still_a_return(with_actions: Database,
                                                                            tmp_path: Path) -> None:
    def strip(book: openpyxl.Workbook) -> None:
        del book[META_SHEET]
        for cell in book["Returns"][1]:
            cell.value = f"Column {cell.column}"
    plan = plan_import(with_actions, _edit(fill(export(with_actions, tmp_path), {"CLARE-R1": {"update": "x"}}), strip))
    assert plan.kind == "returns" and "changed after it was sent" in plan.errors[0].message


def test_a_hidden_part_claiming_another_kind_is_refused(with_actions: Database, tmp_path: Path) -> None:
    def claim_full(book: openpyxl.Workbook) -> None:
        meta = book[META_SHEET]
        meta.cell(next(r for r in range(1, 9) if meta.cell(r, 1).value == "kind"), 2).value = "full"
    plan = plan_import(with_actions, _edit(export(with_actions, tmp_path), claim_full))
    assert plan.kind == "returns" and "changed after it was sent" in plan.errors[0].message


def test_a_formula_saved_without_its_result_is_an_error_not_a_blank(with_actions: Database, tmp_path: Path) -> None:
    import zipfile
    filled = fill(export(with_actions, tmp_path), {"CLARE-R1": {"update": "=CONCATENATE(\"a\",\"b\")"}})
    # as a program that does not calculate saves it: the formula alone, no result
    with zipfile.ZipFile(filled) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet2"))
    xml = parts[sheet].decode()
    start = xml.index('<c r="M2"')
    end = xml.index("</c>", start) + 4
    parts[sheet] = (xml[:start] + '<c r="M2"><f>CONCATENATE("a","b")</f></c>' + xml[end:]).encode()
    with zipfile.ZipFile(filled, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    plan = plan_import(with_actions, filled)
    [error] = plan.errors
    assert error.text.startswith("CLARE-R1, Update this period (M2)") and "formula" in error.message


def test_an_item_deleted_since_the_export_blocks_only_a_filled_row(with_actions: Database, tmp_path: Path) -> None:
    sent = export(with_actions, tmp_path)
    items.delete_item(with_actions.sessions, "action", ref(with_actions, "CLARE-R3-A2"))
    plan = plan_import(with_actions, fill(sent, {"CLARE-R1": {"update": "Fine"}}, out=tmp_path / "a.xlsx"))
    assert plan.can_apply and plan.row_counts()["left_out"] == 1
    plan = plan_import(with_actions, fill(sent, {"CLARE-R3-A2": {"update": "Lost?"}}, out=tmp_path / "b.xlsx"))
    assert not plan.can_apply and "deleted from the database" in plan.errors[0].message


def test_a_status_never_moves_without_an_update_on_record(with_actions: Database, tmp_path: Path) -> None:
    # GIVEN two returns for the same quarter, each proposing only a status, no text
    first = fill(export(with_actions, tmp_path), {"CLARE-R3": {"proposed_status": "On hold"}},
                 out=tmp_path / "first.xlsx")
    apply_plan(with_actions, plan_import(with_actions, first))
    second = fill(export(with_actions, tmp_path), {"CLARE-R3": {"proposed_status": "Complete",
                                                                "proposed_rag": "Blue"}}, out=tmp_path / "second.xlsx")
    apply_plan(with_actions, plan_import(with_actions, second))
    # THEN each move has its own update, attributed to the agency
    timeline = history(with_actions, "recommendation", "CLARE-R3")
    assert [u.status for u in timeline[:2]] == [Status.COMPLETE, Status.ON_HOLD]
    assert timeline[0].agency_name.startswith("Southampton City Council")


def test_a_dry_run_of_several_files_predicts_the_real_run(with_actions: Database, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    filled = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Once"}})
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(filled.read_bytes())
    with_actions.close()
    args = ["import", "--db", str(with_actions.location), str(filled), str(copy), "--json"]
    _, dry, _ = _cli(capsys, *args, "--dry-run")
    _, real, _ = _cli(capsys, *args)
    assert [r["counts"] for r in dry] == [r["counts"] for r in real]
    assert [r["counts"]["new_updates"] for r in real] == [1, 0]


def test_a_broken_file_among_several_still_reports_every_file(with_actions: Database, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    good = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Fine"}}, out=tmp_path / "good.xlsx")

    def drop_evidence(book: openpyxl.Workbook) -> None:
        book["Returns"].delete_cols(14)
    broken = _edit(fill(export(with_actions, tmp_path, "HC"), {}, out=tmp_path / "broken.xlsx"), drop_evidence)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with_actions.close()
    code, results, err = _cli(capsys, "import", "--db", str(with_actions.location), str(good), str(broken), str(junk),
                              "--json")
    assert code == 1 and len(results) == 3 and not any(r["applied"] for r in results)
    assert results[1]["kind"] == "returns" and "the column 'Evidence' is missing" in results[1]["errors"][0]["message"]
    assert results[2]["kind"] is None and "not an Excel workbook" in results[2]["errors"][0]["message"]
    assert "broken.xlsx" in err and "junk.xlsx" in err


def test_on_conflict_file_does_not_apply_a_contributors_proposal(with_actions: Database, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    police = fill(export(with_actions, tmp_path, "HC"), {"CLARE-R1": {"update": "Done", "proposed_status": "Complete"}})
    with_actions.close()
    code, [result], _ = _cli(capsys, "import", "--db", str(with_actions.location), str(police), "--on-conflict", "file",
                             "--json")
    assert code == 0 and result["counts"]["changed_items"] == 0
    assert any("does not lead it" in w["message"] for w in result["warnings"])
