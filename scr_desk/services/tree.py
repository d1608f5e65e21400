"""The tree's rows, read as the window needs them: every review in one query, a review's
recommendations and actions when it is opened. Counts, roll-ups, the overdue mark and the latest
update come from SQL; Python only words them, row by row, for the rows that are read.

The rows are plain frozen values (domain.tree), so the Qt model never touches the database
while painting, and reading can run on a worker thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker
from sqlalchemy.sql.elements import BindParameter

from scr_desk.db.models import Action, Agency, Recommendation, Review, Update, recommendation_contributor
from scr_desk.db.sql import stored_date
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import DONE_STATUSES, ItemKind, Rag, Status
from scr_desk.domain.rules import action_reference, recommendation_reference, shown_rag
from scr_desk.domain.tree import TreeData, TreeNode, first_line, progress_words, review_node
from scr_desk.services.fields import split_themes
from scr_desk.services.search import overdue_condition

__all__ = ["TreeData", "TreeNode", "filter_choices", "list_reviews", "load_subtrees", "load_tree"]

_RAG_RANK = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)  # worst first
_SIDE_STATUSES = (Status.SUPERSEDED, Status.WITHDRAWN)


def _counted(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# The statements are built once, with the reviews and today's date as parameters: building one
# costs more than running it on a review's few dozen rows.
TODAY: BindParameter[date] = bindparam("today", type_=Date)
REVIEW_IDS: BindParameter[list[int]] = bindparam("review_ids", expanding=True)


def _status_counts(table: Any, today: Any) -> tuple[Any, ...]:
    """How many, how many complete, assured, embedded and overdue: Complete (the agency's word)
    and Assured (the panel's decision) apart."""
    return (func.count(table.c.id), _counted(table.c.status == Status.COMPLETE),
            _counted(table.c.status == Status.ASSURED), _counted(table.c.status == Status.EMBEDDED),
            _counted(overdue_condition(table, today)))


def list_reviews(sessions: sessionmaker[Session], today: date | None = None,
                 review_ids: Iterable[int] | None = None) -> list[TreeNode]:
    """Every review (or the given ones), in order, with its recommendations counted (one query)."""
    query = _reviews_query()
    values: dict[str, Any] = {"today": today or date.today()}
    if review_ids is not None:
        query = query.where(Review.id.in_(REVIEW_IDS))
        values["review_ids"] = sorted(set(review_ids))
    with sessions() as session:
        return [review_node(row.id, row.code, row.name, str(row.review_type.short), row.partnership, str(row.status),
                            total=row.total or 0, complete=row.complete or 0, assured=row.assured or 0,
                            embedded=row.embedded or 0, overdue=row.overdue or 0)
                for row in session.execute(query, values)]


@cache
def _reviews_query() -> Any:
    rec = Recommendation.__table__
    counts = select(rec.c.review_id, *(c.label(n) for c, n in zip(
        _status_counts(rec, TODAY), ("total", "complete", "assured", "embedded", "overdue"), strict=True))) \
        .group_by(rec.c.review_id).subquery()
    return select(Review.id, Review.code, Review.name, Review.review_type, Review.partnership, Review.status,
                  counts.c.total, counts.c.complete, counts.c.assured, counts.c.embedded, counts.c.overdue) \
        .outerjoin(counts, counts.c.review_id == Review.id).order_by(Review.position, Review.id)


def load_subtrees(sessions: sessionmaker[Session], review_ids: Iterable[int],
                  today: date | None = None) -> dict[int, tuple[TreeNode, ...]]:
    """The recommendations of each review, each holding its actions (four queries in all)."""
    today = today or date.today()
    wanted = sorted(set(review_ids))
    subtrees: dict[int, list[TreeNode]] = {review_id: [] for review_id in wanted}
    if not wanted:
        return {}
    values = {"today": today, "review_ids": wanted}
    with sessions() as session:
        actions: dict[int, list[Any]] = defaultdict(list)
        for action in session.execute(_actions_query(), values):
            actions[action.recommendation_id].append(action)
        contributors: dict[int, set[int]] = defaultdict(set)
        for rec_id, agency_id in session.execute(_contributors_query(), values):
            contributors[rec_id].add(agency_id)
        for row in session.execute(_recommendations_query(), values):
            rec_ref = recommendation_reference(row.code, row.number)
            children = tuple(_action_node(action, row, rec_ref, today) for action in actions.get(row.id, ()))
            subtrees[row.review_id].append(_recommendation_node(row, rec_ref, contributors[row.id], children, today))
    return {review_id: tuple(nodes) for review_id, nodes in subtrees.items()}


@cache
def _contributors_query() -> Any:
    return select(recommendation_contributor.c.recommendation_id, recommendation_contributor.c.agency_id) \
        .join(Recommendation, Recommendation.id == recommendation_contributor.c.recommendation_id) \
        .where(Recommendation.review_id.in_(REVIEW_IDS))


@cache
def _recommendations_query() -> Any:
    rec, action = Recommendation.__table__, Action.__table__
    live = action.c.status.not_in(_SIDE_STATUSES)
    done = action.c.status.in_(DONE_STATUSES)
    rank = case(*((action.c.rag == rag, n) for n, rag in enumerate(_RAG_RANK)))
    total, complete, assured, embedded, overdue = _status_counts(action, TODAY)
    roll_up = select(
        action.c.recommendation_id, total.label("actions"), complete.label("a_complete"),
        assured.label("a_assured"), embedded.label("a_embedded"), overdue.label("a_overdue"),
        _counted(live).label("a_live"), _counted(and_(live, done)).label("a_live_done"),
        func.min(case((and_(live, ~done), rank))).label("worst_rank"),
        func.max(func.coalesce(stored_date(action.c.revised_target_date), stored_date(action.c.target_date)))
        .label("latest_target"),
    ).where(action.c.recommendation_id.in_(select(rec.c.id).where(rec.c.review_id.in_(REVIEW_IDS)))) \
        .group_by(action.c.recommendation_id).subquery()
    lead = aliased(Agency)
    # Its newest update, and its actions' newest (each found through its own index).
    latest = select(func.max(stored_date(Update.as_at))).where(Update.recommendation_id == rec.c.id).scalar_subquery()
    latest_of_actions = select(func.max(stored_date(Update.as_at))).join(Action, Action.id == Update.action_id) \
        .where(Action.recommendation_id == rec.c.id).scalar_subquery()
    return select(
        rec.c.id, rec.c.review_id, rec.c.number, rec.c.text, rec.c.themes, rec.c.lead_agency_id, rec.c.status,
        rec.c.rag, rec.c.target_date, rec.c.revised_target_date, rec.c.target_note, Review.code,
        lead.name.label("lead"), overdue_condition(rec, TODAY).label("overdue"), roll_up, latest.label("latest"),
        latest_of_actions.label("latest_of_actions"),
    ).join(Review, Review.id == rec.c.review_id).outerjoin(lead, lead.id == rec.c.lead_agency_id) \
        .outerjoin(roll_up, roll_up.c.recommendation_id == rec.c.id) \
        .where(rec.c.review_id.in_(REVIEW_IDS)).order_by(rec.c.review_id, rec.c.position, rec.c.id)


@cache
def _actions_query() -> Any:
    action = Action.__table__
    owner = aliased(Agency)
    return select(
        action.c.id, action.c.recommendation_id, action.c.number, action.c.text, action.c.owner_agency_id,
        action.c.owner_name, action.c.status, action.c.rag, action.c.target_date, action.c.revised_target_date,
        action.c.target_note, owner.name.label("owner"), overdue_condition(action, TODAY).label("overdue"),
        select(func.max(stored_date(Update.as_at))).where(Update.action_id == action.c.id).scalar_subquery()
        .label("latest"),
    ).join(Recommendation, Recommendation.id == action.c.recommendation_id) \
        .outerjoin(owner, owner.id == action.c.owner_agency_id) \
        .where(Recommendation.review_id.in_(REVIEW_IDS)).order_by(action.c.position, action.c.id)


def _days(overdue: bool, target: date | None, today: date) -> int:
    return max((today - target).days, 1) if overdue and target is not None else 0


def _date(value: Any) -> date | None:
    """A date computed in SQL comes back as ISO text (or NULL)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _recommendation_node(row: Any, rec_ref: str, contributors: set[int], children: tuple[TreeNode, ...],
                         today: date) -> TreeNode:
    target = row.revised_target_date or row.target_date
    actions = row.actions or 0
    rolled_rag = _RAG_RANK[row.worst_rank] if row.worst_rank is not None else \
        (Rag.BLUE if row.a_live and row.a_live_done == row.a_live else None)
    return TreeNode(
        key=ItemKey(ItemKind.RECOMMENDATION, row.id), parent_id=row.review_id, reference=rec_ref,
        title=first_line(row.text) or "(no text)", status_label=str(row.status), status=row.status,
        rag=shown_rag(row.status, row.rag), target=target, target_note=row.target_note or "",
        days_overdue=_days(bool(row.overdue), target, today), agency_label=row.lead or "",
        agency_ids=frozenset(({row.lead_agency_id} - {None}) | contributors),
        themes=split_themes(row.themes or ""),
        summary=progress_words(actions, "action", row.a_complete or 0, row.a_assured or 0, row.a_embedded or 0,
                               row.a_overdue or 0),
        child_count=actions, rolled_rag=rolled_rag if actions else None,
        rolled_target=_date(row.latest_target) if actions else None,
        latest_update=max((d for d in (_date(row.latest), _date(row.latest_of_actions)) if d), default=None),
        children=children)


def _action_node(action: Any, rec: Any, rec_ref: str, today: date) -> TreeNode:
    number = action.number
    ref = f"{rec_ref}-A{number}" if number.isalnum() else action_reference(rec.code, rec.number, number)
    target = action.revised_target_date or action.target_date
    return TreeNode(
        key=ItemKey(ItemKind.ACTION, action.id), parent_id=rec.id, reference=ref,
        title=first_line(action.text) or "(no text)", status_label=str(action.status), status=action.status,
        rag=shown_rag(action.status, action.rag), target=target, target_note=action.target_note or "",
        days_overdue=_days(bool(action.overdue), target, today),
        agency_label=" · ".join(x for x in (action.owner, action.owner_name) if x),
        agency_ids=frozenset({action.owner_agency_id} - {None}), themes=(), summary="",
        latest_update=_date(action.latest))


def load_tree(sessions: sessionmaker[Session], today: date | None = None,
              review_ids: set[int] | None = None) -> TreeData:
    """Every review with its recommendations and actions (or only the given reviews'): the whole
    record as rows, for checks and reports. The window reads only what it shows."""
    today = today or date.today()
    reviews = [r for r in list_reviews(sessions, today) if review_ids is None or r.id in review_ids]
    subtrees = load_subtrees(sessions, (r.id for r in reviews), today)
    agencies, themes = filter_choices(sessions)
    return TreeData(tuple(replace(r, children=subtrees.get(r.id, ())) for r in reviews), agencies, themes, today)


def review_of(sessions: sessionmaker[Session], key: ItemKey) -> int | None:
    """The review a recommendation or an action is in (None when it is not in the record)."""
    if key.kind is ItemKind.REVIEW:
        return key.id
    query = select(Recommendation.review_id)
    if key.kind is ItemKind.RECOMMENDATION:
        query = query.where(Recommendation.id == key.id)
    else:
        query = query.join(Action, Action.recommendation_id == Recommendation.id).where(Action.id == key.id)
    with sessions() as session:
        return session.scalar(query)


def filter_choices(sessions: sessionmaker[Session]) -> tuple[dict[int, str], tuple[str, ...]]:
    """The agencies and the themes in use, for the filter's lists."""
    with sessions() as session:
        agencies: dict[int, str] = {agency_id: name for agency_id, name
                                    in session.execute(select(Agency.id, Agency.name))}
        themes = {theme for (stored,) in session.execute(select(Recommendation.themes).distinct())
                  for theme in split_themes(stored or "")}
    return agencies, tuple(sorted(themes, key=str.casefold))

