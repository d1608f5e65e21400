"""A large, realistic, deterministic data set for benchmarks: 200 reviews, 5,000 recommendations,
10,000 actions and 120,000 updates over ten years, every status and RAG, and N times that with
`Sizes().scaled(N)` (at 10x: 2,000 reviews, 150,000 items, 1.2 million updates).

It is written in bulk, a block of reviews at a time, so memory stays bounded whatever the scale:
each block's rows are made, inserted and dropped before the next.

Every item obeys the rule the app's one write path keeps (services.updates.append_update): an
item's status and RAG are what its newest update that states one says. Each item's updates are
made in date order along a plausible course (In progress, then Complete, Assured...), and the
item's own status and RAG are worked out by replaying them, never drawn apart from them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, Agency, Recommendation, Review, Update, recommendation_contributor
from scr_desk.domain.enums import DONE_STATUSES, Rag, ReviewStatus, ReviewType, Scope, SourceKind, Status
from scr_desk.domain.rules import period_of
from scr_desk.services.search import text_index_for

__all__ = [
    "AGENCIES", "COURSES", "FINAL_WEIGHTS", "OPEN_RAGS", "OWNERS", "PARENTS_OF_OTHERS", "PHRASES", "Progress", "QUICK",
    "REVIEWS_PER_BLOCK", "Sizes", "TABLES", "THEMES", "add_synthetic_data", "replay",
]


AGENCIES = ["Children's Services", "Police", "Integrated Care Board", "Community Health Trust", "Acute Hospital Trust",
            "Mental Health Trust", "Education Services", "Adult Social Care", "Housing Services", "Probation Service",
            "Ambulance Service", "Youth Justice Service", "Public Health", "Drug and Alcohol Service",
            "Domestic Abuse Service", "Early Help", "Fire and Rescue", "CAFCASS", "GP Federation", "Schools Forum"]
THEMES = ["Voice of the child", "Professional curiosity", "Domestic abuse", "Neglect", "Information sharing",
          "Thresholds", "Supervision", "Mental health", "Substance misuse", "Escalation", "Safe sleep",
          "Exploitation", "Transition to adulthood", "Think family", "Self-neglect", "Hoarding"]
PHRASES = ["Training has been delivered to frontline staff", "an audit of twenty cases found improvement",
           "the multi-agency protocol was revised and circulated", "supervision records now show reflective discussion",
           "capacity remains a concern because of vacancies", "the learning was shared at the partnership conference",
           "a task and finish group met monthly", "evidence of impact will come from the next audit",
           "referrals now record the child's lived experience", "the escalation policy was used eleven times",
           "practice guidance was published on the partnership website", "a seven-minute briefing was produced",
           "the dataset shows a rise in timely strategy discussions", "further work is needed with GP practices",
           "managers have completed the leadership module", "the pandemic delayed face-to-face sessions"]
OWNERS = ["Head of Service", "Named Nurse", "Detective Inspector", "Team Manager"]

# Where an item ends up, and the course it takes to get there (its statuses in order).
FINAL_WEIGHTS = {Status.NOT_STARTED: 2, Status.IN_PROGRESS: 6, Status.COMPLETE: 3, Status.ASSURED: 2,
                 Status.EMBEDDED: 1, Status.ON_HOLD: 1, Status.SUPERSEDED: 1, Status.WITHDRAWN: 1}
COURSES = {Status.NOT_STARTED: [Status.NOT_STARTED], Status.IN_PROGRESS: [Status.IN_PROGRESS],
           Status.COMPLETE: [Status.IN_PROGRESS, Status.COMPLETE],
           Status.ASSURED: [Status.IN_PROGRESS, Status.COMPLETE, Status.ASSURED],
           Status.EMBEDDED: [Status.IN_PROGRESS, Status.COMPLETE, Status.ASSURED, Status.EMBEDDED],
           Status.ON_HOLD: [Status.IN_PROGRESS, Status.ON_HOLD],
           Status.SUPERSEDED: [Status.IN_PROGRESS, Status.SUPERSEDED],
           Status.WITHDRAWN: [Status.NOT_STARTED, Status.WITHDRAWN]}
OPEN_RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN]
# Written in this order (parents first), by Core inserts: one executemany per table and block.
REVIEWS, RECOMMENDATIONS, ACTIONS, UPDATES = (cast(Table, model.__table__)
                                              for model in (Review, Recommendation, Action, Update))
TABLES = (REVIEWS, RECOMMENDATIONS, recommendation_contributor, ACTIONS, UPDATES)
PARENTS_OF_OTHERS = {REVIEWS: "review_id", RECOMMENDATIONS: "recommendation_id", ACTIONS: "action_id"}
REVIEWS_PER_BLOCK = 20  # at 1x: 500 recommendations, 1,000 actions, 12,000 updates a block


@dataclass(frozen=True)
class Sizes:
    reviews: int = 200
    recommendations: int = 5000
    actions: int = 10000
    updates: int = 120000
    agencies: int = 20

    def scaled(self, factor: int) -> Sizes:
        """`factor` times the records; a partnership has the same agencies however much it keeps."""
        return replace(self, reviews=self.reviews * factor, recommendations=self.recommendations * factor,
                       actions=self.actions * factor, updates=self.updates * factor)


QUICK = Sizes(reviews=8, recommendations=120, actions=240, updates=1200, agencies=8)
Progress = Callable[[int, int], None]  # (reviews written, reviews in all)


def replay(updates: list[tuple[Status | None, Rag | None]]) -> tuple[Status, Rag | None]:
    """The status and RAG an item holds after these updates, oldest first, as the write path
    leaves it: each update that states a status or a RAG moves the item to it."""
    status, rag = Status.NOT_STARTED, None
    for said_status, said_rag in updates:
        status = said_status if said_status is not None else status
        rag = said_rag if said_rag is not None else rag
    return status, rag


class _Writer:
    """One block's rows at a time; ids are given here, so no row is read back after insert."""

    def __init__(self, session: Session, sizes: Sizes, rng: random.Random, today: date) -> None:
        self.session, self.sizes, self.rng, self.today = session, sizes, rng, today
        self.start = today - timedelta(days=3650)
        # Rows are made with provisional numbers of their own, which their children point at until
        # the database gives each its id (a server numbers rows from its own sequences).
        self.next_id = dict.fromkeys((REVIEWS, RECOMMENDATIONS, ACTIONS, UPDATES), 1)
        self.agency_ids: list[int] = []
        # The first agency (children's services) leads or owns about two thirds of everything, so its
        # quarterly return has more than 5,000 open rows at 1x: the size the import benchmark needs.
        self.weights = [70] + [2] * (sizes.agencies - 1)
        self.rows: dict[Table, list[dict[str, Any]]] = {}

    def uid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def text(self, low: int, high: int) -> str:
        parts = [self.rng.choice(PHRASES) for _ in range(self.rng.randint(low, high))]
        return (". ".join(parts) + ".").capitalize() if parts else ""

    def agency(self) -> int:
        return self.rng.choices(self.agency_ids, weights=self.weights)[0]

    def add(self, table: Table, row: dict[str, Any]) -> int:
        if table is not recommendation_contributor:
            row["id"] = self.next_id[table]
            self.next_id[table] += 1
        self.rows.setdefault(table, []).append(row)
        return int(row.get("id", 0))

    def flush(self) -> None:
        """Insert the block, parents first: each parent's provisional number in its children's rows
        becomes the id the database gave it (read back in order, by RETURNING)."""
        given: dict[str, dict[int, int]] = {}  # parent column -> provisional number -> id
        for table in TABLES:
            rows = self.rows.pop(table, [])
            if not rows:
                continue
            for column, ids in given.items():
                if column in rows[0]:
                    for row in rows:
                        if row[column] is not None:
                            row[column] = ids[row[column]]
            if table not in PARENTS_OF_OTHERS:
                self.session.execute(table.insert(), [{k: v for k, v in row.items() if k != "id"} for row in rows])
                continue
            provisional = [row.pop("id") for row in rows]
            made = self.session.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
            given[PARENTS_OF_OTHERS[table]] = dict(zip(provisional, made.scalars(), strict=True))

    def agencies(self) -> None:
        for i, name in enumerate(AGENCIES[:self.sizes.agencies]):
            row = {"uid": self.uid(), "name": name, "code": f"AG{i:02d}", "contact_name": "", "contact_email": ""}
            self.session.execute(cast(Table, Agency.__table__).insert(), [row])
        self.agency_ids = list(self.session.scalars(select(Agency.id).where(
            Agency.code.in_([f"AG{i:02d}" for i in range(self.sizes.agencies)])).order_by(Agency.code)))

    def review(self, index: int, recommendations: int, actions: int, updates: int) -> None:
        rng = self.rng
        commissioned = self.start + timedelta(days=rng.randint(0, 3300))
        kind = rng.choice(list(ReviewType))
        published = commissioned + timedelta(days=260)
        review_id = self.add(REVIEWS, {
            "uid": self.uid(), "position": index + 1, "review_type": kind,
            "name": f"Child {chr(65 + index % 26)}{index}",
            "code": f"R{index:03d}", "reference": f"{kind.short}-{commissioned.year}-{index:03d}",
            "partnership": "Synthetic Safeguarding Partnership", "reviewer": "Independent reviewer",
            "commissioned_on": commissioned, "endorsed_on": commissioned + timedelta(days=200),
            "published_on": published, "report_url": "", "response_url": "", "summary": self.text(2, 4),
            "status": rng.choice(list(ReviewStatus)),
            "created_at": datetime.combine(commissioned, datetime.min.time())})
        per_rec = _spread(rng, actions, recommendations)
        # Two thirds of the updates are on recommendations, a third on actions (as partners report).
        on_recs = _spread(rng, updates - updates // 3, recommendations)
        on_actions = _spread(rng, updates // 3, actions)
        action_index = 0
        for number in range(1, recommendations + 1):
            lead = self.agency()
            target = published + timedelta(days=rng.randint(180, 1460))
            rec = {"uid": self.uid(), "review_id": review_id, "number": str(number), "position": number,
                   "text": self.text(1, 3), "scope": rng.choice(list(Scope)),
                   "themes": "; ".join(rng.sample(THEMES, rng.randint(1, 3))), "lead_agency_id": lead,
                   "target_date": target, "revised_target_date": target + timedelta(days=180)
                   if rng.random() < 0.2 else None, "target_note": "", "version": 1}
            rec_id = self.add(RECOMMENDATIONS, rec)
            for agency_id in rng.sample([a for a in self.agency_ids if a != lead], rng.randint(0, 2)):
                self.add(recommendation_contributor, {"recommendation_id": rec_id, "agency_id": agency_id})
            rec["status"], rec["rag"] = self.history(published, on_recs[number - 1], lead,
                                                     {"recommendation_id": rec_id, "action_id": None})
            for action_number in range(1, per_rec[number - 1] + 1):
                owner = self.agency()
                action = {"uid": self.uid(), "recommendation_id": rec_id, "number": str(action_number),
                          "position": action_number, "text": self.text(1, 2), "owner_agency_id": owner,
                          "owner_name": rng.choice(OWNERS), "target_date": published + timedelta(
                              days=rng.randint(90, 1460)), "revised_target_date": None, "target_note": "",
                          "success_measure": self.text(1, 1), "version": 1}
                action_id = self.add(ACTIONS, action)
                action["status"], action["rag"] = self.history(published, on_actions[action_index], owner,
                                                               {"recommendation_id": None, "action_id": action_id})
                action_index += 1

    def history(self, published: date, count: int, agency_id: int,
                target: dict[str, int | None]) -> tuple[Status, Rag | None]:
        """`count` dated updates on one item along the course to its final status; returns the
        status and RAG they leave it at (replay)."""
        rng = self.rng
        final = rng.choices(list(FINAL_WEIGHTS), weights=list(FINAL_WEIGHTS.values()))[0] if count else \
            Status.NOT_STARTED
        course = COURSES[final]
        span = max((self.today - published).days, 1)
        days = sorted(rng.randint(0, span) for _ in range(count))
        said: list[tuple[Status | None, Rag | None]] = []
        stage, rag = -1, rng.choice(OPEN_RAGS)
        for j, day in enumerate(days):
            # Stages advance with time and the newest update reaches the last; an update states
            # the status when it moves (and now and then restates it).
            moved = (at := ((j + 1) * len(course) - 1) // count) != stage
            stage, now = at, course[at]
            status = now if moved or rng.random() < 0.3 else None
            if now in DONE_STATUSES:
                rag_said = Rag.BLUE if moved or rng.random() < 0.5 else None
            else:
                rag = rag if rng.random() < 0.6 else rng.choice(OPEN_RAGS)
                rag_said = rag if rng.random() < 0.6 else None
            as_at = published + timedelta(days=day)
            self.add(UPDATES, {
                "uid": self.uid(), **target, "as_at": as_at, "period": str(period_of(as_at)),
                "agency_id": agency_id if rng.random() < 0.8 else self.agency(), "author": "Synthetic author",
                "narrative": self.text(2, 6), "evidence": self.text(0, 1), "status": status, "rag": rag_said,
                "source_kind": SourceKind.TYPED, "source_detail": "synthetic", "import_batch_id": None,
                "meeting_id": None, "created_at": datetime.combine(as_at, datetime.min.time()), "origin_key": None})
            said.append((status, rag_said))
        return replay(said)


def _spread(rng: random.Random, total: int, over: int) -> list[int]:
    """`total` things among `over` holders, at random, each holder's share varying."""
    counts = [0] * over
    if over:
        for holder in rng.choices(range(over), k=total):
            counts[holder] += 1
    return counts


def _share(total: int, parts: int, index: int) -> int:
    """The index-th of `parts` near-equal shares of `total` (the shares sum to `total`)."""
    return total * (index + 1) // parts - total * index // parts


def add_synthetic_data(sessions: sessionmaker[Session], sizes: Sizes = Sizes(), seed: int = 2020,
                       today: date = date(2026, 11, 26), progress: Progress | None = None) -> None:
    """Add the data set in one transaction, a block of reviews at a time; the same seed and sizes
    always give the same records, uids included."""
    rng = random.Random(seed)
    with sessions.begin() as session, text_index_for(session.connection()).suspended(session.connection()):
        # One rebuild of the search index at the end, not its upkeep row by row.
        writer = _Writer(session, sizes, rng, today)
        writer.agencies()
        for first in range(0, sizes.reviews, REVIEWS_PER_BLOCK):
            for index in range(first, min(first + REVIEWS_PER_BLOCK, sizes.reviews)):
                writer.review(index, _share(sizes.recommendations, sizes.reviews, index),
                              _share(sizes.actions, sizes.reviews, index), _share(sizes.updates, sizes.reviews, index))
            writer.flush()
            if progress:
                progress(min(first + REVIEWS_PER_BLOCK, sizes.reviews), sizes.reviews)
