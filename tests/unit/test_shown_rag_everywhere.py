"""A completed item shows Blue ("B") everywhere: the tree, the dashboard's history and the report;
and text counts read in plain English."""

from __future__ import annotations

from datetime import date

import pytest

from scr_desk.db.engine import Database
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.wording import count, days_overdue, of_total, plural_of
from scr_desk.services import updates
from scr_desk.services.dashboard import work_out_dashboard
from scr_desk.services.reports import build_report
from scr_desk.services.tree import load_tree

pytestmark = pytest.mark.both_engines


def test_a_completed_item_is_blue_in_the_tree_the_dashboard_and_the_report(sample_db: Database) -> None:
    tree = load_tree(sample_db.sessions)
    r4 = next(n for n in tree.walk() if n.reference == "CLARE-R4")
    updates.add_update(sample_db.sessions, ItemKey.recommendation(r4.id),
                       {"narrative": "Rated", "rag": "Green", "as_at": "01/02/2021"})
    updates.add_update(sample_db.sessions, ItemKey.recommendation(r4.id),
                       {"narrative": "Done", "status": "Complete", "as_at": "01/05/2021"})
    tree = load_tree(sample_db.sessions, date(2021, 8, 1))
    assert next(n for n in tree.walk() if n.reference == "CLARE-R4").rag is Rag.BLUE
    quarters = work_out_dashboard(sample_db.sessions, None, date(2021, 8, 1)).quarters
    assert [q.counts["Green"] for q in quarters[-3:]] == [1, 0, 0]
    assert [q.counts["Blue"] for q in quarters[-3:]] == [0, 1, 1]
    line = next(line for line in build_report(sample_db.sessions, as_of=date(2021, 8, 1)).sections[0].lines
                if line.reference == "CLARE-R4")
    assert (line.status, line.rag) == (Status.COMPLETE, Rag.BLUE)


def test_counts_in_plain_english() -> None:
    assert count(1, "review") == "1 review" and count(2, "review") == "2 reviews" and count(0, "agency") == "0 agencies"
    assert count(1200, "update") == "1,200 updates" and count(3, "overdue item") == "3 overdue items"
    assert days_overdue(1) == "1 day overdue" and days_overdue(12) == "12 days overdue"
    assert of_total(0, 1, "action") == "0 of 1 action complete"
    assert of_total(2, 5, "action") == "2 of 5 actions complete"
    assert plural_of("box") == "boxes" and plural_of("policy") == "policies" and plural_of("day") == "days"
