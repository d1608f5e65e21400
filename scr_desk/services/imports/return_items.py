"""The database's side of a return: the items its rows point at, as they stand now, read in a
few bulk queries (a 5,000-row return must plan in about a second, not one query per row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scr_desk.db.models import Action, Recommendation, Review, Update, recommendation_contributor
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import Period, action_reference, parse_period, recommendation_reference
from scr_desk.excel.layout import return_key, return_key_uid


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnTarget:
    key: str  # as in the workbook: return_key()
    item: ItemKey
    uid: str
    reference: str
    version: int
    status: Status
    rag: Rag | None
    revised_target_date: date | None
    leads: bool  # the agency leads it (or owns the action): its proposals apply
    in_scope: bool  # the agency still leads, owns or contributes to it
    latest_period: Period | None  # the newest reporting period among its updates


def _uids(keys: Iterable[str], kind: ItemKind) -> set[str]:
    return {uid for uid in (return_key_uid(k, kind) for k in keys) if uid is not None}


def _latest_periods(session: Session, column: Any, ids: list[int]) -> dict[int, Period]:
    # Periods are stored as "2020-21 Q3": their text sorts in time order.
    found: dict[int, Period] = {}
    for item_id, period in session.execute(select(column, func.max(Update.period)).where(column.in_(ids))
                                           .group_by(column)):
        try:
            found[item_id] = parse_period(period)
        except (TypeError, ValueError):
            continue  # a period this version cannot read does not block the return
    return found


def load_targets(session: Session, keys: set[str], agency_id: int) -> dict[str, ReturnTarget]:
    codes = dict(session.execute(select(Review.id, Review.code)).all())
    columns = ("id", "uid", "number", "version", "status", "rag", "revised_target_date")
    recs = list(session.execute(select(*(getattr(Recommendation, c) for c in columns), Recommendation.review_id,
                                       Recommendation.lead_agency_id)
                                .where(Recommendation.uid.in_(_uids(keys, ItemKind.RECOMMENDATION)))))
    actions = list(session.execute(select(*(getattr(Action, c) for c in columns), Action.recommendation_id,
                                          Action.owner_agency_id).where(Action.uid.in_(_uids(keys, ItemKind.ACTION)))))
    parents = {row.id: row for row in session.execute(
        select(Recommendation.id, Recommendation.review_id, Recommendation.number, Recommendation.lead_agency_id)
        .where(Recommendation.id.in_({a.recommendation_id for a in actions})))}
    contributes = set(session.scalars(select(recommendation_contributor.c.recommendation_id).where(
        recommendation_contributor.c.agency_id == agency_id,
        recommendation_contributor.c.recommendation_id.in_([r.id for r in recs]))))
    rec_periods = _latest_periods(session, Update.recommendation_id, [r.id for r in recs])
    action_periods = _latest_periods(session, Update.action_id, [a.id for a in actions])
    found: dict[str, ReturnTarget] = {}
    for rec in recs:
        leads = rec.lead_agency_id == agency_id
        key = return_key(ItemKind.RECOMMENDATION, rec.uid)
        found[key] = ReturnTarget(
            key=key, item=ItemKey.recommendation(rec.id), uid=rec.uid,
            reference=recommendation_reference(codes[rec.review_id], rec.number), version=rec.version,
            status=rec.status, rag=rec.rag, revised_target_date=rec.revised_target_date, leads=leads,
            in_scope=leads or rec.id in contributes, latest_period=rec_periods.get(rec.id))
    for action in actions:
        parent = parents[action.recommendation_id]
        owns = action.owner_agency_id == agency_id or (action.owner_agency_id is None
                                                       and parent.lead_agency_id == agency_id)
        key = return_key(ItemKind.ACTION, action.uid)
        found[key] = ReturnTarget(
            key=key, item=ItemKey.action(action.id), uid=action.uid,
            reference=action_reference(codes[parent.review_id], parent.number, action.number),
            version=action.version, status=action.status, rag=action.rag,
            revised_target_date=action.revised_target_date, leads=owns, in_scope=owns,
            latest_period=action_periods.get(action.id))
    return found


def already_given(session: Session, targets: Iterable[ReturnTarget], agency_id: int,
                  period: str) -> set[tuple[ItemKey, str, str]]:
    """(item, narrative, evidence) of the updates this agency already gave for this period on
    these items, in one query: what makes importing the same return twice add nothing."""
    ids: dict[ItemKind, list[int]] = {ItemKind.RECOMMENDATION: [], ItemKind.ACTION: []}
    for target in targets:
        ids[target.item.kind].append(target.item.id)
    given: set[tuple[ItemKey, str, str]] = set()
    for rec_id, action_id, narrative, evidence in session.execute(
            select(Update.recommendation_id, Update.action_id, Update.narrative, Update.evidence).where(
                Update.period == period, Update.agency_id == agency_id,
                Update.recommendation_id.in_(ids[ItemKind.RECOMMENDATION])
                | Update.action_id.in_(ids[ItemKind.ACTION]))):
        given.add((ItemKey.pointed_at(rec_id, action_id), narrative, evidence))
    return given


def imported_origins(session: Session, keys: list[str]) -> set[str]:
    """Which of these origin keys are already on an update (imported before, perhaps elsewhere)."""
    found: set[str] = set()
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), 900):  # within SQLite's limit on bound parameters
        found.update(session.scalars(select(Update.origin_key).where(Update.origin_key.in_(wanted[start:start + 900]))))
    return found
