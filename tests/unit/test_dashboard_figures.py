"""The dashboard's figures are counted in the database (services.dashboard_sql). Here they are
checked against the same figures counted item by item in Python from the tree's rows and every
update, with and without the tree's filter, on a synthetic partnership with the sample in it and
a few rows another tool might have written (an unknown RAG, a date that is not a date)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from scr_desk.db.engine import Database
from scr_desk.db.models import Update
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import shown_rag
from scr_desk.domain.search import FilterCriteria
from scr_desk.domain.tree import TreeNode
from scr_desk.services import updates
from scr_desk.services.dashboard import Dashboard, last_quarters, overdue_page, work_out_dashboard
from scr_desk.services.sample import load_sample
from scr_desk.services.search import find
from scr_desk.services.synthetic import QUICK, add_synthetic_data
from scr_desk.services.tree import filter_choices, load_tree

pytestmark = pytest.mark.both_engines  # counted by SQL that must mean the same on a file and a server
TODAY = date(2026, 11, 26)
SHOWN_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


@pytest.fixture
def partnership(db: Database, engine_kind: str) -> Database:
    add_synthetic_data(db.sessions, QUICK, today=TODAY)
    load_sample(db.sessions)
    with db.sessions.begin() as session:
        session.execute(text("UPDATE progress_update SET rag = 'Purple' WHERE id % 97 = 0"))
        if engine_kind == "sqlite":  # a date another tool typed into the file (a server's column holds only dates)
            session.execute(text("UPDATE progress_update SET as_at = '03/12/2020' WHERE id % 89 = 0"))
        session.execute(text("UPDATE recommendation SET rag = 'Purple' WHERE id % 31 = 0"))
        # Progress recorded on their actions alone, as a tracker with an Action column records it.
        session.execute(text("UPDATE recommendation SET rag = NULL WHERE id % 5 = 0"))
    return db


def _rolled_up(rec: TreeNode, actions: list[TreeNode]) -> str:
    if rec.rag is not None:
        return rec.rag.value
    live = [a for a in actions if a.status not in (Status.SUPERSEDED, Status.WITHDRAWN)]
    if live and all(a.status is not None and a.status.is_done for a in live):
        return Rag.BLUE.value
    rated = [a.rag for a in live if not a.closed and a.rag in SHOWN_RAGS]
    return min(rated, key=SHOWN_RAGS.index).value if rated else "Not rated"


def counted_item_by_item(database: Database, criteria: FilterCriteria | None) -> dict[str, Any]:
    """The figures as the rules say, one item at a time."""
    tree = load_tree(database.sessions, TODAY)
    visible = find(database.sessions, criteria, TODAY).shown if criteria else None

    def seen(node: TreeNode) -> bool:
        return visible is None or node.key in visible
    reviews, overdue, items = [], [], []
    agencies: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    theme_reviews: dict[str, set[str]] = defaultdict(set)
    theme_recs: Counter[str] = Counter()
    for review in filter(seen, tree.reviews):
        recs = [r for r in review.children if seen(r)]
        reviews.append((review.title, dict(Counter(r.status_label for r in recs)),
                        dict(Counter(_rolled_up(r, [a for a in r.children if seen(a)]) for r in recs))))
        for rec in recs:
            for theme in rec.themes:
                theme_reviews[theme].add(review.title)
                theme_recs[theme] += 1
            for node in (rec, *filter(seen, rec.children)):
                items.append(node.key)
                for agency in node.agency_ids:
                    counts = agencies[agency]
                    if node.status is Status.COMPLETE:
                        counts[2] += 1
                    elif node.status is not None and node.status.is_done:
                        counts[3] += 1
                    elif not node.closed:
                        counts[0] += 1
                        counts[1] += node.overdue
                if node.overdue:
                    overdue.append((node.days_overdue, node.reference, node.title, node.agency_label, node.target))
    names = filter_choices(database.sessions)[0]
    return {"reviews": reviews, "overdue": sorted(overdue, key=lambda o: -o[0]),
            "agencies": sorted(((names[i], *c) for i, c in agencies.items()), key=lambda a: a[0].casefold()),
            "themes": sorted(((t, tuple(sorted(n)), theme_recs[t]) for t, n in theme_reviews.items()),
                             key=lambda t: (-len(t[1]), -t[2], t[0].casefold())),
            "quarters": _quarters(database, set(items))}


def _quarters(database: Database, items: set[ItemKey]) -> list[dict[str, int]]:
    """At each quarter's end, each item's RAG as shown from the status and RAG then in force."""
    with database.sessions() as session:
        rows = session.execute(select(Update).order_by(Update.as_at, Update.id)).scalars().all()
    history: dict[ItemKey, list[tuple[date, Rag | None]]] = defaultdict(list)
    status: dict[ItemKey, Status | None] = {}
    rating: dict[ItemKey, Rag | None] = {}
    for update in rows:
        if update.as_at is None or (update.status is None and update.rag is None):
            continue
        key = ItemKey.recommendation(update.recommendation_id) if update.recommendation_id \
            else ItemKey(ItemKind.ACTION, update.action_id or 0)
        status[key] = update.status or status.get(key)
        rating[key] = update.rag or rating.get(key)
        history[key].append((update.as_at, shown_rag(status[key], rating[key])))  # type: ignore[arg-type]
    out = []
    for period in last_quarters(TODAY, 8):
        end = min(period.last_day, TODAY)
        then = [next((rag for day, rag in reversed(history[key]) if day <= end), None) for key in items]
        out.append({rag.value: sum(1 for r in then if r is rag) for rag in SHOWN_RAGS})
    return out


def worked_out(database: Database, criteria: FilterCriteria | None) -> dict[str, Any]:
    data: Dashboard = work_out_dashboard(database.sessions, criteria, TODAY)
    every_overdue = overdue_page(database.sessions, data.overdue_order, 0, data.overdue_total, TODAY)
    assert data.overdue == tuple(every_overdue[:len(data.overdue)])
    return {"reviews": [(r.name, r.by_status, r.by_rag) for r in data.reviews],
            "overdue": [(o.days, o.reference, o.title, o.agency, o.due) for o in every_overdue],
            "agencies": [(a.name, a.open, a.overdue, a.complete, a.assured) for a in data.agencies],
            "themes": [(t.theme, t.reviews, t.recommendations) for t in data.themes],
            "quarters": [q.counts for q in data.quarters]}


@pytest.mark.parametrize("criteria", [
    None, FilterCriteria(text="training"), FilterCriteria(text="child a0"), FilterCriteria(status=Status.IN_PROGRESS),
    FilterCriteria(rag=Rag.RED, hide_closed=True), FilterCriteria(agency_id=1), FilterCriteria(overdue_only=True),
    FilterCriteria(theme="Neglect"), FilterCriteria(text="nothing-holds-this")],
    ids=["everything", "word", "review", "status", "rag", "agency", "overdue", "theme", "no match"])
def test_the_figures_counted_in_the_database_are_those_counted_item_by_item(
        partnership: Database, criteria: FilterCriteria | None) -> None:
    expected, found = counted_item_by_item(partnership, criteria), worked_out(partnership, criteria)
    assert found == expected
    if criteria is None:
        assert len(found["overdue"]) > 100 and sum(found["quarters"][-1].values()) > 200


def test_an_item_reopened_without_a_rating_is_not_counted_blue_once_reopened(sample_db: Database) -> None:
    # GIVEN CLARE-R4, never rated, completed in one quarter and reopened in the next
    r4 = next(n for n in load_tree(sample_db.sessions).walk() if n.reference == "CLARE-R4")
    key = ItemKey.recommendation(r4.id)
    with sample_db.sessions.begin() as session:
        session.execute(text("UPDATE progress_update SET rag = NULL WHERE recommendation_id = :id"), {"id": r4.id})
        session.execute(text("UPDATE recommendation SET rag = NULL WHERE id = :id"), {"id": r4.id})
    updates.add_update(sample_db.sessions, key, {"narrative": "Done", "status": "Complete", "as_at": "01/02/2021"})
    updates.add_update(sample_db.sessions, key, {"narrative": "Reopened", "status": "In progress",
                                                 "as_at": "01/05/2021"})
    # THEN the quarters count it Blue while it was complete, and not at all once reopened (as the
    # tree shows it then: not rated)
    quarters = work_out_dashboard(sample_db.sessions, None, date(2021, 8, 1)).quarters
    assert [q.period for q in quarters[-3:]] == ["2020-21 Q4", "2021-22 Q1", "2021-22 Q2"]
    assert [q.counts["Blue"] for q in quarters[-3:]] == [1, 0, 0]


def test_a_dashboard_no_longer_wanted_stops_part_way(partnership: Database, engine_kind: str) -> None:
    if engine_kind != "sqlite":
        pytest.skip("a query is stopped part-way in a file; a server's statement runs to its end")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return True
    with pytest.raises(InterruptedError):
        work_out_dashboard(partnership.sessions, FilterCriteria(text="training"), TODAY, cancelled=cancelled)
    assert asked
