"""A performance system's export repeats the plan's own code on every row ('PLN-0042') beside each
measure's reference: the code names the plan they come from, and the references name the items
(an outside reader's CSV read the plan code as recommendation 1 and its four measures as actions)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scr_desk.cli import main

HEADINGS = ["Plan ID", "Plan Name", "Measure Ref", "Measure Title", "Responsible Org", "Due Date", "Current Status",
            "Health", "Last Comment", "Last Comment Date"]
MEASURES = [
    ("SAR-JOAN-01", "Review discharge-to-assess safeguarding checks", "Active", "At Risk", "2026-10-15"),
    ("SAR-JOAN-02", "Commissioning to add safeguarding KPIs to care home contracts", "Closed", "Complete",
     "2026-09-28"),
    ("SAR-JOAN-03", "Care home staff training on pressure ulcer escalation", "Active", "On Track", "2026-10-02"),
    ("SAR-JOAN-04", "CQC liaison protocol with the board", "Not Started", "Off Track", "2026-08-20"),
]


def test_a_plan_code_on_every_row_is_not_a_recommendation(empty_db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "perf_export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for ref, title, status, health, when in MEASURES:
            writer.writerow(["PLN-0042", "SAR Joan (Southdale SAB)", ref, title, "Southdale City Council",
                             "2027-03-31", status, health, f"Comment on {ref}", when])
    assert main(["import", "--db", str(empty_db_path), str(path), "--dry-run", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    columns = next(iter(result["mapping"].values()))["columns"]
    assert columns.get("rec_number") == "Measure Ref" and "Plan ID" not in columns.values(), columns
    assert result["counts"]["created_recommendations"] == 4 and result["counts"]["created_actions"] == 0
