"""Everything the tree and the filter need, loaded in a handful of bulk queries.

The result is plain frozen data, so the Qt model never touches the database while painting,
and loading can run on a worker thread.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, Agency, Recommendation, Review, Update, recommendation_contributor
from scr_desk.domain.enums import Rag, Status
from scr_desk.domain.rules import (
    ActionItemState, action_reference, days_overdue, effective_target, recommendation_reference,
    roll_up, shown_rag,
)
from scr_desk.services.fields import split_themes


@dataclass(frozen=True)
class TreeNode:
    kind: str  # "review", "recommendation" or "action"
    id: int
    parent_id: int | None
    reference: str
    title: str
    status_label: str
    status: Status | None
    rag: Rag | None
    target: date | None
    days_overdue: int
    agency_label: str
    agency_ids: frozenset[int]
    themes: tuple[str, ...]
    summary: str  # review: "2 of 5 complete, 1 overdue"; recommendation: its actions' roll-up
    search_text: str  # lower-case text the free-text filter matches against
    children: tuple[TreeNode, ...] = field(default=(), compare=False, repr=False)

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def closed(self) -> bool:
        return self.status is not None and self.status.is_closed

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


@dataclass(frozen=True)
class TreeData:
    reviews: tuple[TreeNode, ...]
    agencies: dict[int, str]
    themes: tuple[str, ...]
    today: date

    def walk(self) -> list[TreeNode]:
        out: list[TreeNode] = []
        stack = list(reversed(self.reviews))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


def _first_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def load_tree(sessions: sessionmaker[Session], today: date | None = None,
              review_ids: set[int] | None = None) -> TreeData:
    """The whole tree, or only the given reviews' subtrees (after an edit inside one)."""
    today = today or date.today()
    rec_filter = Recommendation.review_id.in_(review_ids) if review_ids is not None else true()
    in_scope = select(Recommendation.id).where(rec_filter)
    with sessions() as session:
        agencies = dict(session.execute(select(Agency.id, Agency.name)).all())
        contributors: dict[int, list[int]] = defaultdict(list)
        for rec_id, agency_id in session.execute(select(
                recommendation_contributor.c.recommendation_id, recommendation_contributor.c.agency_id)
                .where(recommendation_contributor.c.recommendation_id.in_(in_scope))):
            contributors[rec_id].append(agency_id)
        # One concatenated string per item: update text is searchable without a row per update.
        rec_text: dict[int, str] = dict(session.execute(
            select(Update.recommendation_id, func.group_concat(Update.narrative, " "))
            .where(Update.recommendation_id.in_(in_scope)).group_by(Update.recommendation_id)).all())
        action_text: dict[int, str] = dict(session.execute(
            select(Update.action_id, func.group_concat(Update.narrative, " "))
            .where(Update.action_id.in_(select(Action.id).where(Action.recommendation_id.in_(in_scope))))
            .group_by(Update.action_id)).all())
        # Plain rows, not ORM objects: this runs over every item of the database at start-up.
        action_columns = (Action.id, Action.recommendation_id, Action.number, Action.text, Action.owner_agency_id,
                          Action.owner_name, Action.success_measure, Action.target_date, Action.revised_target_date,
                          Action.status, Action.rag)
        actions_by_rec: dict[int, list[Any]] = defaultdict(list)
        for action in session.execute(select(*action_columns).where(Action.recommendation_id.in_(in_scope))
                                      .order_by(Action.position, Action.id)):
            actions_by_rec[action.recommendation_id].append(action)
        rec_columns = (Recommendation.id, Recommendation.review_id, Recommendation.number, Recommendation.text,
                       Recommendation.themes, Recommendation.lead_agency_id, Recommendation.target_date,
                       Recommendation.revised_target_date, Recommendation.status, Recommendation.rag)
        recs_by_review: dict[int, list[Any]] = defaultdict(list)
        for rec in session.execute(select(*rec_columns).where(rec_filter)
                                   .order_by(Recommendation.position, Recommendation.id)):
            recs_by_review[rec.review_id].append(rec)
        review_columns = (Review.id, Review.code, Review.name, Review.reference, Review.review_type,
                          Review.partnership, Review.reviewer, Review.summary, Review.status)
        review_query = select(*review_columns).order_by(Review.position, Review.id)
        if review_ids is not None:
            review_query = review_query.where(Review.id.in_(review_ids))
        reviews = list(session.execute(review_query))

        all_themes: set[str] = set()
        review_nodes = []
        for review in reviews:
            rec_nodes = []
            for rec in recs_by_review.get(review.id, []):
                rec_ref = recommendation_reference(review.code, rec.number)
                action_nodes = []
                states = []
                for action in actions_by_rec.get(rec.id, []):
                    late = days_overdue(action.status, action.target_date, action.revised_target_date, today)
                    owner = agencies.get(action.owner_agency_id or 0, "")
                    ref = f"{rec_ref}-A{action.number}" if action.number.isalnum() else \
                        action_reference(review.code, rec.number, action.number)
                    states.append(ActionItemState(action.status, action.rag, late > 0))
                    action_nodes.append(TreeNode(
                        "action", action.id, rec.id, ref, _first_line(action.text) or "(no text)",
                        str(action.status), action.status, shown_rag(action.status, action.rag),
                        effective_target(action.target_date, action.revised_target_date), late,
                        " · ".join(x for x in (owner, action.owner_name) if x),
                        frozenset({action.owner_agency_id} - {None}), (), "",
                        " ".join((ref, action.text, owner, action.owner_name, action.success_measure,
                                  action_text.get(action.id) or "")).casefold()))
                themes = split_themes(rec.themes)
                all_themes.update(themes)
                lead = agencies.get(rec.lead_agency_id or 0, "")
                agency_ids = frozenset(({rec.lead_agency_id} - {None}) | set(contributors.get(rec.id, [])))
                late = days_overdue(rec.status, rec.target_date, rec.revised_target_date, today)
                rec_nodes.append(TreeNode(
                    "recommendation", rec.id, review.id, rec_ref, _first_line(rec.text) or "(no text)",
                    str(rec.status), rec.status, shown_rag(rec.status, rec.rag),
                    effective_target(rec.target_date, rec.revised_target_date), late, lead,
                    agency_ids, themes, roll_up(states).label,
                    " ".join((rec_ref, f"recommendation {rec.number}", rec.text, lead,
                              " ".join(agencies.get(a, "") for a in agency_ids), " ".join(themes),
                              rec_text.get(rec.id) or "")).casefold(),
                    tuple(action_nodes)))
            done = sum(1 for r in rec_nodes if r.status is not None and r.status.is_done)
            overdue = sum(1 for r in rec_nodes if r.overdue)
            summary = f"{done} of {len(rec_nodes)} complete" + (f", {overdue} overdue" if overdue else "")
            review_nodes.append(TreeNode(
                "review", review.id, None, review.code, f"{review.name} ({review.review_type.short})",
                str(review.status), None, None, None, 0, review.partnership, frozenset(), (), summary,
                " ".join((review.code, review.name, review.reference, review.review_type.value,
                          review.partnership, review.reviewer, review.summary)).casefold(),
                tuple(rec_nodes)))
    return TreeData(tuple(review_nodes), agencies, tuple(sorted(all_themes, key=str.casefold)), today)


def load_reviews(sessions: sessionmaker[Session], today: date | None = None) -> TreeData:
    """The reviews alone, with their recommendation counts: what the window shows first on a
    large database, in a few milliseconds, while the whole tree loads on a worker."""
    today = today or date.today()
    with sessions() as session:
        totals: dict[int, int] = defaultdict(int)
        done: dict[int, int] = defaultdict(int)
        for review_id, status, number in session.execute(
                select(Recommendation.review_id, Recommendation.status, func.count())
                .group_by(Recommendation.review_id, Recommendation.status)):
            totals[review_id] += number
            done[review_id] += number if status.is_done else 0
        review_columns = (Review.id, Review.code, Review.name, Review.review_type, Review.partnership, Review.status)
        nodes = tuple(
            TreeNode("review", review.id, None, review.code, f"{review.name} ({review.review_type.short})",
                     review.status.value, None, None, None, 0, review.partnership, frozenset(), (),
                     f"{done[review.id]} of {totals[review.id]} complete", "")
            for review in session.execute(select(*review_columns).order_by(Review.position, Review.id)))
    return TreeData(nodes, {}, (), today)
