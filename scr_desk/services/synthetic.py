"""A large, realistic, deterministic data set for benchmarks: 200 reviews, 5,000
recommendations, 10,000 actions and 120,000 updates over ten years, every status and RAG,
written with bulk inserts in seconds."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.base import new_uid
from scr_desk.db.models import Action, Agency, Recommendation, Review, Update, recommendation_contributor
from scr_desk.domain.enums import Rag, ReviewStatus, ReviewType, Scope, SourceKind, Status
from scr_desk.domain.rules import period_of
from scr_desk.services.search import text_index_for

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


@dataclass(frozen=True)
class Sizes:
    reviews: int = 200
    recommendations: int = 5000
    actions: int = 10000
    updates: int = 120000
    agencies: int = 20


QUICK = Sizes(reviews=8, recommendations=120, actions=240, updates=1200, agencies=8)


def _text(rng: random.Random, low: int, high: int) -> str:
    parts = [rng.choice(PHRASES) for _ in range(rng.randint(low, high))]
    return (". ".join(parts) + ".").capitalize()


def add_synthetic_data(sessions: sessionmaker[Session], sizes: Sizes = Sizes(), seed: int = 2020,
                       today: date = date(2026, 11, 26)) -> None:
    rng = random.Random(seed)
    start = today - timedelta(days=3650)
    statuses, rags = list(Status), list(Rag)
    with sessions.begin() as session, text_index_for(session.connection()).suspended(session.connection()):
        # One rebuild of the search index at the end, not its upkeep row by row (window engineer).
        agency_rows = [{"uid": new_uid(), "name": name, "code": f"AG{i:02d}", "contact_name": "", "contact_email": ""}
                       for i, name in enumerate(AGENCIES[:sizes.agencies])]
        session.execute(insert(Agency), agency_rows)
        agency_ids = list(range(1, sizes.agencies + 1))  # a fresh database numbers them from 1
        # The first agency (children's services) leads or owns about two thirds of everything, so its
        # quarterly return has more than 5,000 open rows: the size the import benchmark needs.
        weights = [70] + [2] * (sizes.agencies - 1)
        review_rows = []
        for i in range(sizes.reviews):
            commissioned = start + timedelta(days=rng.randint(0, 3300))
            kind = rng.choice(list(ReviewType))
            review_rows.append({
                "uid": new_uid(), "position": i + 1, "review_type": kind, "name": f"Child {chr(65 + i % 26)}{i}",
                "code": f"R{i:03d}", "reference": f"{kind.short}-{commissioned.year}-{i:03d}",
                "partnership": "Synthetic Safeguarding Partnership", "reviewer": "Independent reviewer",
                "commissioned_on": commissioned, "endorsed_on": commissioned + timedelta(days=200),
                "published_on": commissioned + timedelta(days=260), "report_url": "", "response_url": "",
                "summary": _text(rng, 2, 4), "status": rng.choice(list(ReviewStatus)),
                "created_at": datetime(2020, 1, 1)})
        session.execute(insert(Review), review_rows)
        rec_rows, contributors = [], []
        per_review = sizes.recommendations // sizes.reviews
        for i in range(sizes.recommendations):
            review_id = i // per_review + 1 if i // per_review < sizes.reviews else sizes.reviews
            target = start + timedelta(days=rng.randint(200, 3700))
            status = rng.choices(statuses, weights=[2, 6, 3, 2, 1, 1, 1, 1])[0]
            rec_rows.append({
                "uid": new_uid(), "review_id": review_id, "number": str(i % per_review + 1 + (i // per_review
                                                                                         >= sizes.reviews) * 100),
                "position": i % per_review + 1, "text": _text(rng, 1, 3), "scope": rng.choice(list(Scope)),
                "themes": "; ".join(rng.sample(THEMES, rng.randint(1, 3))),
                "lead_agency_id": rng.choices(agency_ids, weights=weights)[0], "target_date": target,
                "revised_target_date": target + timedelta(days=180) if rng.random() < 0.2 else None,
                "status": status, "rag": rng.choice(rags[:3]) if status not in (Status.COMPLETE, Status.ASSURED,
                                                                                Status.EMBEDDED) else Rag.BLUE,
                "version": 1})
            for agency_id in rng.sample(agency_ids, rng.randint(0, 2)):
                contributors.append({"recommendation_id": i + 1, "agency_id": agency_id})
        session.execute(insert(Recommendation), rec_rows)
        seen = set()
        contributors = [c for c in contributors if (k := (c["recommendation_id"], c["agency_id"])) not in seen
                        and not seen.add(k)]  # type: ignore[func-returns-value]
        session.execute(insert(recommendation_contributor), contributors)
        action_rows = []
        for i in range(sizes.actions):
            rec_id = i % sizes.recommendations + 1
            status = rng.choices(statuses, weights=[2, 6, 3, 2, 1, 1, 1, 1])[0]
            action_rows.append({
                "uid": new_uid(), "recommendation_id": rec_id, "number": str(i // sizes.recommendations + 1),
                "position": i // sizes.recommendations + 1, "text": _text(rng, 1, 2),
                "owner_agency_id": rng.choices(agency_ids, weights=weights)[0],
                "owner_name": rng.choice(["Head of Service", "Named Nurse", "Detective Inspector", "Team Manager"]),
                "target_date": start + timedelta(days=rng.randint(200, 3700)), "revised_target_date": None,
                "success_measure": _text(rng, 1, 1), "status": status,
                "rag": rng.choice(rags) if rng.random() < 0.9 else None, "version": 1})
        session.execute(insert(Action), action_rows)
        batch = []
        for i in range(sizes.updates):
            on_action = i % 3 == 0
            as_at = start + timedelta(days=rng.randint(0, 3650))
            batch.append({
                "uid": new_uid(), "recommendation_id": None if on_action else rng.randint(1, sizes.recommendations),
                "action_id": rng.randint(1, sizes.actions) if on_action else None, "as_at": as_at,
                "period": str(period_of(as_at)), "agency_id": rng.choices(agency_ids, weights=weights)[0],
                "author": "Synthetic author", "narrative": _text(rng, 2, 6), "evidence": _text(rng, 0, 1),
                "status": rng.choice(statuses) if rng.random() < 0.5 else None,
                "rag": rng.choice(rags) if rng.random() < 0.6 else None, "source_kind": SourceKind.TYPED,
                "source_detail": "synthetic", "import_batch_id": None, "meeting_id": None,
                "created_at": datetime.combine(as_at, datetime.min.time())})
            if len(batch) == 20000:
                session.execute(insert(Update), batch)
                batch = []
        if batch:
            session.execute(insert(Update), batch)
