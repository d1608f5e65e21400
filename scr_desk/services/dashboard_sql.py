"""The dashboard's figures as SQL: each a statement that counts in the database and returns a
few rows (a review's, an agency's, a quarter's), never a row per item for Python to count.

What the tree's filter shows is a temporary table of (kind, item_id) on the dashboard's own
connection (`SHOWN`, filled from services.search.shown_items); with no filter every statement
counts everything. The rules are the tree's (domain.rules): an item's RAG as shown is Blue once
it is done, else its rating; a recommendation not rated itself takes its actions' roll-up; overdue
is past its target in force and not closed (services.search.overdue_condition).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select

from scr_desk.db.models import Action, Agency, Recommendation, Review, Update, recommendation_contributor
from scr_desk.db.sql import stored_date
from scr_desk.domain.enums import DONE_STATUSES, ItemKind, Rag, Status
from scr_desk.domain.search import KIND_CODES
from scr_desk.services.search import CLOSED_STATUSES, overdue_condition

__all__ = ["OTHER_CODE", "RAG_ORDER", "SHOWN", "agencies", "overdue_actions", "overdue_order",
           "overdue_recommendations", "quarter_counts", "rags_by_review", "reviews", "shown", "statuses_by_review",
           "themes_by_review"]

REC, ACTION, REVIEW = Recommendation.__table__, Action.__table__, Review.__table__
_TEMPORARY = MetaData()
SHOWN = Table("dashboard_shown", _TEMPORARY, Column("kind", Integer, primary_key=True),
              Column("item_id", Integer, primary_key=True), prefixes=["TEMPORARY"])
# The RAG names in the order the quarters' counts are coded (1 Red … 4 Blue; 15 a rating this
# version does not know, counted nowhere), worst first as the roll-up ranks them.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
OTHER_CODE = 15
_SIDE = (Status.SUPERSEDED, Status.WITHDRAWN)


def _text(column: Any) -> Any:
    """A stored enum as its text (compared with plain values, whatever a file holds)."""
    return func.coalesce(type_coerce(column, String), "")


def _values(members: Sequence[Any] | frozenset[Any]) -> list[str]:
    return sorted(member.value for member in members)


def _counted(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def shown(column: Any, kind: ItemKind, filtered: bool) -> ColumnElement[bool]:
    """`column` (an item's id) is one the tree shows."""
    if not filtered:
        return true()
    condition: ColumnElement[bool] = column.in_(select(SHOWN.c.item_id).where(SHOWN.c.kind == KIND_CODES[kind]))
    return condition


def _rag_as_shown(table: Any) -> Any:
    """rules.shown_rag: Blue once done, else its own rating (NULL: not rated)."""
    return case((_text(table.c.status).in_(_values(DONE_STATUSES)), Rag.BLUE.value),
                else_=type_coerce(table.c.rag, String))


# --- reviews ----------------------------------------------------------------------------------
def reviews(filtered: bool) -> Select[Any]:
    return select(REVIEW.c.id, REVIEW.c.name, REVIEW.c.review_type).where(
        shown(REVIEW.c.id, ItemKind.REVIEW, filtered)).order_by(REVIEW.c.position, REVIEW.c.id)


def statuses_by_review(filtered: bool) -> Select[Any]:
    return select(REC.c.review_id, REC.c.status, func.count()).where(
        shown(REC.c.id, ItemKind.RECOMMENDATION, filtered)).group_by(REC.c.review_id, REC.c.status)


def rags_by_review(filtered: bool) -> Select[Any]:
    """Each review's recommendations counted by RAG: their own as shown, else (progress recorded on
    their actions) Blue when every live action shown is done, else the worst RAG of the open ones."""
    status = _text(ACTION.c.status)
    live = status.not_in(_values(_SIDE))
    done = status.in_(_values(DONE_STATUSES))
    still_open = status.not_in(_values(CLOSED_STATUSES))
    rank = case(*((type_coerce(ACTION.c.rag, String) == rag.value, n) for n, rag in enumerate(RAG_ORDER)))
    actions = select(ACTION.c.recommendation_id, _counted(live).label("live"),
                     _counted(and_(live, done)).label("live_done"),
                     func.min(case((and_(live, still_open), rank))).label("worst")) \
        .where(shown(ACTION.c.id, ItemKind.ACTION, filtered)).group_by(ACTION.c.recommendation_id).subquery()
    own = _rag_as_shown(REC)
    label = case((own.is_not(None), own),
                 (and_(actions.c.live > 0, actions.c.live_done == actions.c.live), Rag.BLUE.value),
                 *((actions.c.worst == n, rag.value) for n, rag in enumerate(RAG_ORDER)),
                 else_="Not rated").label("rag")
    rated = select(REC.c.review_id, label).outerjoin(actions, actions.c.recommendation_id == REC.c.id) \
        .where(shown(REC.c.id, ItemKind.RECOMMENDATION, filtered)).subquery()
    return select(rated.c.review_id, rated.c.rag, func.count()).group_by(rated.c.review_id, rated.c.rag)


def themes_by_review(filtered: bool) -> Select[Any]:
    return select(REC.c.review_id, REC.c.themes, func.count()).where(
        shown(REC.c.id, ItemKind.RECOMMENDATION, filtered), func.coalesce(REC.c.themes, "") != "") \
        .group_by(REC.c.review_id, REC.c.themes)


# --- agencies ---------------------------------------------------------------------------------
def agencies(filtered: bool, today: date) -> Select[Any]:
    """Per agency, the items it leads, contributes to or owns: open, overdue, complete (its word)
    and assured (the panel's, or embedded), each item once however it is linked."""
    rec_shown = shown(REC.c.id, ItemKind.RECOMMENDATION, filtered)
    linked = union(
        select(REC.c.lead_agency_id.label("agency_id"), literal(2).label("kind"), REC.c.id.label("item_id"))
        .where(rec_shown, REC.c.lead_agency_id.is_not(None)),
        select(recommendation_contributor.c.agency_id, literal(2), recommendation_contributor.c.recommendation_id)
        .join(REC, REC.c.id == recommendation_contributor.c.recommendation_id).where(rec_shown),
        select(ACTION.c.owner_agency_id, literal(3), ACTION.c.id)
        .where(shown(ACTION.c.id, ItemKind.ACTION, filtered), ACTION.c.owner_agency_id.is_not(None)),
    ).subquery()
    items = union_all(
        select(REC.c.id.label("item_id"), literal(2).label("kind"), REC.c.status.label("status"),
               overdue_condition(REC, today).label("overdue")),
        select(ACTION.c.id, literal(3), ACTION.c.status, overdue_condition(ACTION, today)),
    ).subquery()
    status = _text(items.c.status)
    complete = status == Status.COMPLETE.value
    assured = status.in_(_values(DONE_STATUSES - {Status.COMPLETE}))
    still_open = status.not_in(_values(CLOSED_STATUSES))
    return select(Agency.name, _counted(still_open), _counted(and_(still_open, items.c.overdue == true())),
                  _counted(complete), _counted(assured)) \
        .select_from(linked).join(items, and_(items.c.kind == linked.c.kind, items.c.item_id == linked.c.item_id)) \
        .join(Agency, Agency.id == linked.c.agency_id).group_by(linked.c.agency_id, Agency.name)


# --- overdue ----------------------------------------------------------------------------------
def _due(table: Any) -> Any:
    return func.coalesce(stored_date(table.c.revised_target_date), stored_date(table.c.target_date))


def overdue_order(filtered: bool, today: date) -> Select[Any]:
    """Every overdue item shown, as (kind, id), oldest target first, then in the tree's order."""
    recs = select(literal(KIND_CODES[ItemKind.RECOMMENDATION]).label("kind"), REC.c.id.label("item_id"),
                  _due(REC).label("due"), REVIEW.c.position.label("review_position"), REVIEW.c.id.label("review_id"),
                  REC.c.position.label("rec_position"), REC.c.id.label("rec_id"), literal(0).label("is_action"),
                  literal(0).label("action_position"), literal(0).label("action_id")) \
        .join(REVIEW, REVIEW.c.id == REC.c.review_id) \
        .where(shown(REC.c.id, ItemKind.RECOMMENDATION, filtered), overdue_condition(REC, today))
    actions = select(literal(KIND_CODES[ItemKind.ACTION]), ACTION.c.id, _due(ACTION), REVIEW.c.position, REVIEW.c.id,
                     REC.c.position, REC.c.id, literal(1), ACTION.c.position, ACTION.c.id) \
        .join(REC, REC.c.id == ACTION.c.recommendation_id).join(REVIEW, REVIEW.c.id == REC.c.review_id) \
        .where(shown(ACTION.c.id, ItemKind.ACTION, filtered), overdue_condition(ACTION, today))
    both = union_all(recs, actions).subquery()
    return select(both.c.kind, both.c.item_id).order_by(
        both.c.due, both.c.review_position, both.c.review_id, both.c.rec_position, both.c.rec_id, both.c.is_action,
        both.c.action_position, both.c.action_id)


def overdue_recommendations(ids: list[int]) -> Select[Any]:
    lead = aliased(Agency)
    return select(REC.c.id, REVIEW.c.code, REC.c.number, REC.c.text, lead.name.label("agency"), REC.c.target_date,
                  REC.c.revised_target_date) \
        .join(REVIEW, REVIEW.c.id == REC.c.review_id).outerjoin(lead, lead.id == REC.c.lead_agency_id) \
        .where(REC.c.id.in_(ids))


def overdue_actions(ids: list[int]) -> Select[Any]:
    owner = aliased(Agency)
    return select(ACTION.c.id, REVIEW.c.code, REC.c.number.label("rec_number"), ACTION.c.number, ACTION.c.text,
                  owner.name.label("agency"), ACTION.c.owner_name, ACTION.c.target_date, ACTION.c.revised_target_date) \
        .join(REC, REC.c.id == ACTION.c.recommendation_id).join(REVIEW, REVIEW.c.id == REC.c.review_id) \
        .outerjoin(owner, owner.id == ACTION.c.owner_agency_id).where(ACTION.c.id.in_(ids))


# --- RAG at the end of each quarter -------------------------------------------------------------
def quarter_counts(filtered: bool, ends: Sequence[date]) -> Select[Any]:
    """How many items stood at each RAG (as shown: RAG_ORDER's codes 1-4, OTHER_CODE) at each of
    `ends` (oldest first), from their updates: the status and the RAG in force on a day are those
    of the latest update on or before it that gives one (by date, then as written).

    Worked out in two steps so the database sorts as little as it can: each item's updates in
    quarters ("buckets": all before the first end are the first), the latest status and RAG of each
    bucket kept as one integer ordered by date and update (its code in the lowest bits); then each
    end's state is the latest of the buckets up to it."""
    update = Update.__table__
    day = stored_date(update.c.as_at)
    order = cast(func.replace(cast(day, String), "-", ""), BigInteger) * 10_000_000_000 + update.c.id
    done = case((_text(update.c.status).in_(_values(DONE_STATUSES)), 1), else_=0)
    rag = case(*((type_coerce(update.c.rag, String) == r.value, n + 1) for n, r in enumerate(RAG_ORDER)),
               else_=OTHER_CODE)
    doc = func.coalesce(update.c.recommendation_id * 4 + KIND_CODES[ItemKind.RECOMMENDATION],
                        update.c.action_id * 4 + KIND_CODES[ItemKind.ACTION])
    bucket = case(*((day <= end, n) for n, end in enumerate(ends)))
    item_shown = or_(shown(update.c.recommendation_id, ItemKind.RECOMMENDATION, filtered),
                     shown(update.c.action_id, ItemKind.ACTION, filtered)) if filtered else true()
    rows = select(doc.label("doc"), bucket.label("bucket"),
                  case((update.c.status.is_not(None), order * 16 + done)).label("status_key"),
                  case((update.c.rag.is_not(None), order * 16 + rag)).label("rag_key")) \
        .where(or_(update.c.status.is_not(None), update.c.rag.is_not(None)), day <= ends[-1], item_shown) \
        .subquery()
    buckets = select(rows.c.doc, rows.c.bucket, func.max(rows.c.status_key).label("status_key"),
                     func.max(rows.c.rag_key).label("rag_key")) \
        .where(rows.c.doc.is_not(None), rows.c.bucket.is_not(None)).group_by(rows.c.doc, rows.c.bucket) \
        .cte("dashboard_buckets")
    at_ends = select(*(column for n in range(len(ends)) for column in (
        func.max(case((buckets.c.bucket <= n, buckets.c.status_key))).label(f"status_{n}"),
        func.max(case((buckets.c.bucket <= n, buckets.c.rag_key))).label(f"rag_{n}")))) \
        .group_by(buckets.c.doc).cte("dashboard_at_ends")
    per_end = []
    for n in range(len(ends)):
        code = case((at_ends.c[f"status_{n}"] % 16 == 1, RAG_ORDER.index(Rag.BLUE) + 1),
                    else_=at_ends.c[f"rag_{n}"] % 16).label("code")
        per_end.append(select(literal(n).label("quarter"), code, func.count().label("items"))
                       .where(code.is_not(None)).group_by(code))
    return union_all(*per_end)  # type: ignore[return-value]
