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
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import (
    ActionItemState, action_reference, days_overdue, effective_target, recommendation_reference,
    roll_up, shown_rag,
)
from scr_desk.services.fields import split_themes


@dataclass(frozen=True, kw_only=True, slots=True)
class TreeNode:
    key: ItemKey
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
    def kind(self) -> ItemKind:
        return self.key.kind

    @property
    def id(self) -> int:
        return self.key.id

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def closed(self) -> bool:
        return self.status is not None and self.status.is_closed


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


@dataclass(frozen=True, kw_only=True, slots=True)
class _TreeRows:
    """What the tree is built from: plain rows, not ORM objects, as this runs over every item of
    the database at start-up."""

    agencies: dict[int, str]
    contributors: dict[int, list[int]]
    rec_text: dict[int, str]  # each item's update narratives, concatenated: searchable without a row each
    action_text: dict[int, str]
    actions_by_rec: dict[int, list[Any]]
    recs_by_review: dict[int, list[Any]]
    reviews: list[Any]


def _read_rows(session: Session, review_ids: set[int] | None) -> _TreeRows:
    rec_filter = Recommendation.review_id.in_(review_ids) if review_ids is not None else true()
    in_scope = select(Recommendation.id).where(rec_filter)
    contributors: dict[int, list[int]] = defaultdict(list)
    for rec_id, agency_id in session.execute(select(
            recommendation_contributor.c.recommendation_id, recommendation_contributor.c.agency_id)
            .where(recommendation_contributor.c.recommendation_id.in_(in_scope))):
        contributors[rec_id].append(agency_id)
    rec_text: dict[int, str] = dict(session.execute(  # type: ignore[arg-type]
        select(Update.recommendation_id, func.aggregate_strings(Update.narrative, " "))
        .where(Update.recommendation_id.in_(in_scope)).group_by(Update.recommendation_id)).all())
    action_text: dict[int, str] = dict(session.execute(  # type: ignore[arg-type]
        select(Update.action_id, func.aggregate_strings(Update.narrative, " "))
        .where(Update.action_id.in_(select(Action.id).where(Action.recommendation_id.in_(in_scope))))
        .group_by(Update.action_id)).all())
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
    return _TreeRows(agencies=dict(session.execute(select(Agency.id, Agency.name)).all()),
                     contributors=contributors, rec_text=rec_text, action_text=action_text,
                     actions_by_rec=actions_by_rec, recs_by_review=recs_by_review,
                     reviews=list(session.execute(review_query)))


def _action_node(action: Any, rec: Any, rec_ref: str, review_code: str, rows: _TreeRows, today: date) -> TreeNode:
    owner = rows.agencies.get(action.owner_agency_id or 0, "")
    ref = f"{rec_ref}-A{action.number}" if action.number.isalnum() else \
        action_reference(review_code, rec.number, action.number)
    return TreeNode(
        key=ItemKey(ItemKind.ACTION, action.id), parent_id=rec.id, reference=ref,
        title=_first_line(action.text) or "(no text)", status_label=str(action.status), status=action.status,
        rag=shown_rag(action.status, action.rag),
        target=effective_target(action.target_date, action.revised_target_date),
        days_overdue=days_overdue(action.status, action.target_date, action.revised_target_date, today),
        agency_label=" · ".join(x for x in (owner, action.owner_name) if x),
        agency_ids=frozenset({action.owner_agency_id} - {None}), themes=(), summary="",
        search_text=" ".join((ref, action.text, owner, action.owner_name, action.success_measure,
                              rows.action_text.get(action.id) or "")).casefold())


def _recommendation_node(rec: Any, review: Any, rows: _TreeRows, today: date) -> TreeNode:
    rec_ref = recommendation_reference(review.code, rec.number)
    actions = rows.actions_by_rec.get(rec.id, [])
    action_nodes = tuple(_action_node(action, rec, rec_ref, review.code, rows, today) for action in actions)
    states = [ActionItemState(action.status, action.rag, node.overdue)
              for action, node in zip(actions, action_nodes, strict=True)]
    themes = split_themes(rec.themes)
    lead = rows.agencies.get(rec.lead_agency_id or 0, "")
    agency_ids = frozenset(({rec.lead_agency_id} - {None}) | set(rows.contributors.get(rec.id, [])))
    return TreeNode(
        key=ItemKey(ItemKind.RECOMMENDATION, rec.id), parent_id=review.id, reference=rec_ref,
        title=_first_line(rec.text) or "(no text)", status_label=str(rec.status), status=rec.status,
        rag=shown_rag(rec.status, rec.rag), target=effective_target(rec.target_date, rec.revised_target_date),
        days_overdue=days_overdue(rec.status, rec.target_date, rec.revised_target_date, today),
        agency_label=lead, agency_ids=agency_ids, themes=themes, summary=roll_up(states).label,
        search_text=" ".join((rec_ref, f"recommendation {rec.number}", rec.text, lead,
                              " ".join(rows.agencies.get(a, "") for a in agency_ids), " ".join(themes),
                              rows.rec_text.get(rec.id) or "")).casefold(),
        children=action_nodes)


def _review_node(review: Any, summary: str, search_text: str = "",
                 children: tuple[TreeNode, ...] = ()) -> TreeNode:
    return TreeNode(
        key=ItemKey(ItemKind.REVIEW, review.id), parent_id=None, reference=review.code,
        title=f"{review.name} ({review.review_type.short})", status_label=str(review.status), status=None,
        rag=None, target=None, days_overdue=0, agency_label=review.partnership, agency_ids=frozenset(), themes=(),
        summary=summary, search_text=search_text, children=children)


def _counts(done: int, total: int, overdue: int = 0) -> str:
    return f"{done} of {total} complete" + (f", {overdue} overdue" if overdue else "")


def load_tree(sessions: sessionmaker[Session], today: date | None = None,
              review_ids: set[int] | None = None) -> TreeData:
    """The whole tree, or only the given reviews' subtrees (after an edit inside one)."""
    today = today or date.today()
    with sessions() as session:
        rows = _read_rows(session, review_ids)
    all_themes: set[str] = set()
    review_nodes = []
    for review in rows.reviews:
        rec_nodes = tuple(_recommendation_node(rec, review, rows, today)
                          for rec in rows.recs_by_review.get(review.id, []))
        for rec_node in rec_nodes:
            all_themes.update(rec_node.themes)
        done = sum(1 for r in rec_nodes if r.status is not None and r.status.is_done)
        review_nodes.append(_review_node(
            review, _counts(done, len(rec_nodes), sum(1 for r in rec_nodes if r.overdue)),
            " ".join((review.code, review.name, review.reference, review.review_type.value,
                      review.partnership, review.reviewer, review.summary)).casefold(), rec_nodes))
    return TreeData(tuple(review_nodes), rows.agencies, tuple(sorted(all_themes, key=str.casefold)), today)


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
            _review_node(review, _counts(done[review.id], totals[review.id]))
            for review in session.execute(select(*review_columns).order_by(Review.position, Review.id)))
    return TreeData(nodes, {}, (), today)
