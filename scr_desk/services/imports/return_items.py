"""The database's side of a return: the items its rows point at, as they stand now, read in a
few bulk queries (a 5,000-row return must plan in about a second, not one query per row)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, Select, String, Table, func, select, type_coerce
from sqlalchemy.orm import Session

from scr_desk.db.models import Action, Recommendation, Review, Update, recommendation_contributor
from scr_desk.db.types import unknown_member
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import Period, parse_period, recommendation_reference, reference_number
from scr_desk.excel.layout import return_key_uid


class ReturnTarget(NamedTuple):
    """One item a return's row points at, as it stands now (a tuple: thousands are made per
    return, and a tuple is made several times faster than a frozen dataclass)."""

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


# SQLite takes at most 32,766 bound values a statement: a return of 100,000 rows (the large
# partnership at 10x) asks in parts.
IN_CHUNK = 10_000
RECS, ACTIONS, UPDATES, REVIEWS = (cast(Table, model.__table__) for model in (Recommendation, Action, Update, Review))
CONTRIBUTORS = recommendation_contributor


def _uids(keys: Iterable[str], kind: ItemKind) -> set[str]:
    return {uid for uid in (return_key_uid(k, kind) for k in keys) if uid is not None}


def rows_where_in(session: Session, statement: Select[Any], column: Any, values: Iterable[Any]) -> list[Any]:
    """`statement` for the rows whose `column` is one of `values`. Core rows: a plain select of
    columns needs none of the ORM's per-row work. SQLite is given the values as one JSON array,
    read by its json_each (one bound value however many: no parts, and none of the time spent
    writing out and binding thousands of placeholders); another database is asked in parts."""
    wanted = sorted(set(values))
    if not wanted:
        return []
    if session.get_bind().dialect.name == "sqlite":
        listed = func.json_each(json.dumps(wanted)).table_valued("value")
        return list(session.execute(statement.where(column.in_(select(listed.c.value)))).all())
    found: list[Any] = []
    for start in range(0, len(wanted), IN_CHUNK):
        found += session.execute(statement.where(column.in_(wanted[start:start + IN_CHUNK]))).all()
    return found


def as_stored(column: Any) -> ColumnElement[Any]:
    """An enum column as the text it is stored as: a return's thousands of rows are turned into
    members through `members` (a dict look-up), not the column type's conversion, value by value."""
    return type_coerce(column, String())


class members(dict[Any, Any]):  # noqa: N801 (used as a function: members(Status)[text])
    """Stored text -> the enum's member, made once per text; a text this version does not know
    becomes an unknown member, as the column type reads it (db.types.TolerantEnum)."""

    def __init__(self, kind: type[Enum]) -> None:
        super().__init__({None: None, **kind._value2member_map_})
        self.kind = kind

    def __missing__(self, text: Any) -> Any:
        from scr_desk.db.types import _text
        value = _text(text)
        member = self.kind._value2member_map_.get(value)
        return member if member is not None else unknown_member(self.kind, value)


def _newest_period(column: Any, item_id: Any) -> Any:
    """The item's newest reporting period, as a column of the item's own query: periods are stored
    as "2020-21 Q3", so their text sorts in time order, and the index on (item, period) answers
    without reading an update."""
    return select(func.max(UPDATES.c.period)).where(column == item_id).scalar_subquery()


def load_targets(session: Session, keys: set[str], agency_id: int) -> dict[str, ReturnTarget]:
    """The items these return keys point at, as they stand now: one query for the
    recommendations and one for the actions (in parts for a very large return), never one per row."""
    codes = dict(session.execute(select(REVIEWS.c.id, REVIEWS.c.code)).all())
    contributes = select(CONTRIBUTORS.c.recommendation_id).where(
        CONTRIBUTORS.c.recommendation_id == RECS.c.id, CONTRIBUTORS.c.agency_id == agency_id).exists()
    recs = rows_where_in(session, select(*_item_columns(RECS), RECS.c.review_id, RECS.c.lead_agency_id,
                                         contributes.label("contributes"),
                                         _newest_period(UPDATES.c.recommendation_id, RECS.c.id).label("period")),
                         RECS.c.uid, _uids(keys, ItemKind.RECOMMENDATION))
    parent = RECS.alias("parent")
    actions = rows_where_in(session, select(
        *_item_columns(ACTIONS), ACTIONS.c.owner_agency_id, parent.c.id.label("parent_id"),
        parent.c.review_id, parent.c.number.label("parent_number"), parent.c.lead_agency_id,
        _newest_period(UPDATES.c.action_id, ACTIONS.c.id).label("period"))
        .join_from(ACTIONS, parent, parent.c.id == ACTIONS.c.recommendation_id), ACTIONS.c.uid,
        _uids(keys, ItemKind.ACTION))
    periods: dict[str | None, Period | None] = {None: None}  # a few dozen distinct among thousands
    found: dict[str, ReturnTarget] = {}
    rec_kind, action_kind = ItemKind.RECOMMENDATION.value, ItemKind.ACTION.value
    statuses, rags = members(Status), members(Rag)
    for rec_id, uid, number, version, status, rag, revised, review_id, lead, contributor, period in recs:
        leads = lead == agency_id
        key = f"{rec_kind}:{uid}"  # return_key(), written out: this runs for every row of a return
        found[key] = ReturnTarget(key, ItemKey(ItemKind.RECOMMENDATION, rec_id), uid,
                                  recommendation_reference(codes[review_id], number), version, statuses[status],
                                  rags[rag], revised, leads, leads or bool(contributor), _period(periods, period))
    references: dict[int, str] = {}  # a recommendation's reference, the start of its actions' too
    for (action_id, uid, number, version, status, rag, revised, owner, parent_id, review_id, parent_number, lead,
         period) in actions:
        owns = owner == agency_id or (owner is None and lead == agency_id)
        key = f"{action_kind}:{uid}"
        if parent_id not in references:
            references[parent_id] = recommendation_reference(codes[review_id], parent_number)
        found[key] = ReturnTarget(key, ItemKey(ItemKind.ACTION, action_id), uid,
                                  f"{references[parent_id]}-A{reference_number(number)}", version, statuses[status],
                                  rags[rag], revised, owns, owns, _period(periods, period))
    return found


def _item_columns(table: Table) -> tuple[Any, ...]:
    return (table.c.id, table.c.uid, table.c.number, table.c.version, as_stored(table.c.status),
            as_stored(table.c.rag), table.c.revised_target_date)


def _period(read: dict[str | None, Period | None], text: str | None) -> Period | None:
    if text not in read:
        try:
            read[text] = parse_period(text or "")
        except (TypeError, ValueError):
            read[text] = None  # a period this version cannot read does not block the return
    return read[text]


def already_given(session: Session, targets: Iterable[ReturnTarget], agency_id: int,
                  period: str) -> set[tuple[ItemKey, str, str]]:
    """(item, narrative, evidence) of the updates this agency already gave for this period on
    these items, a query per kind of item: what makes importing the same return twice add nothing."""
    ids: dict[ItemKind, list[int]] = {ItemKind.RECOMMENDATION: [], ItemKind.ACTION: []}
    for target in targets:
        ids[target.item.kind].append(target.item.id)
    given: set[tuple[ItemKey, str, str]] = set()
    for kind, column in ((ItemKind.RECOMMENDATION, UPDATES.c.recommendation_id),
                         (ItemKind.ACTION, UPDATES.c.action_id)):
        statement = select(column, UPDATES.c.narrative, UPDATES.c.evidence).where(
            UPDATES.c.period == period, UPDATES.c.agency_id == agency_id)
        given.update((ItemKey(kind, item_id), narrative, evidence)
                     for item_id, narrative, evidence in rows_where_in(session, statement, column, ids[kind]))
    return given


def imported_origins(session: Session, keys: list[str]) -> set[str]:
    """Which of these origin keys are already on an update (imported before, perhaps elsewhere)."""
    return {row[0] for row in rows_where_in(session, select(UPDATES.c.origin_key), UPDATES.c.origin_key, keys)}
