"""A system's export: the timestamp beside an update column dates that update; the system's ids,
log-ins and export stamp are skipped with the reason, never progress words or an update of their
own; a message names only the file's own headings."""

from __future__ import annotations

from scr_desk.db.engine import Database
from scr_desk.services.dump import dump_records
from scr_desk.services.imports.importer import plan_import
from scr_desk.services.imports.together import apply_plan
from tests.trackers.build_trackers import FILES, TODAY

EXPORT = FILES / "Case system SAR actions export.csv"


def test_stamps_date_updates_and_ids_are_not_progress_words(db: Database) -> None:
    plan = plan_import(db, EXPORT, today=TODAY)
    # the comment's timestamp dates it; nothing of the ids, log-ins or export stamp is in an update
    assert plan.cells["kept_as_text"] == 0
    apply_plan(db, plan)
    updates = [u for r in dump_records(db.sessions)["reviews"][0]["recommendations"] for a in r["actions"]
               for u in a["updates"]]
    assert sorted((u["as_at"], u["narrative"]) for u in updates) == [
        ("2026-08-14", "Field specified"), ("2026-10-02", "Letter template live")]
    # each row says which of its cells were skipped and why
    first = next(r for r in plan.rows if r.row == 2)
    assert "CommentBy, ExportedAt skipped" in first.message and "RecordID" in first.message
    # no message names a heading the file does not have
    headings = set(EXPORT.read_text(encoding="utf-8").splitlines()[0].split(","))
    said = [w.message for w in plan.warnings] + [q["question"] for q in plan.questions]
    quoted = [m.split("updates in '")[1].split("'")[0] for m in said if "updates in '" in m]
    assert set(quoted) <= headings and not any("Progress update" in m for m in said)

