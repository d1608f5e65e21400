"""Search: the find box's words and the filter's choices, answered by the database.

Two parts, so that another database can take the place of SQLite's:

- `TextIndex`, the only part that knows a database's full-text search: it turns terms into a
  query of the items holding them. `db/search_sqlite.py` implements it with FTS5 in a file,
  `db/search_postgres.py` with tsvector documents and GIN indexes on a server (team mode);
  `text_index_for` chooses by the connection's dialect.
- `find`, which is the same for every database: it joins the index's answer with the filter's
  choices (status, RAG, agency, theme, overdue, hide closed) as plain SQL conditions and says what
  the tree shows (domain.search.SearchResult).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any, Protocol

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    Table,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.selectable import Select, TextualSelect

from scr_desk.db.models import Action, Recommendation, Review, recommendation_contributor
from scr_desk.db.portable import holds_exactly
from scr_desk.db.sql import id_list, ids_of, interruptible, stored_date
from scr_desk.domain.enums import DONE_STATUSES, ItemKind, Rag, Status
from scr_desk.domain.search import KIND_CODES, KINDS_BY_CODE, FilterCriteria, ItemIds, SearchResult, SearchTerm

CLOSED_STATUSES = (*DONE_STATUSES, Status.SUPERSEDED, Status.WITHDRAWN)


class TextIndex(Protocol):
    """A database's full-text index over every review, recommendation and action.

    What it indexes, per item: its reference (a recommendation's "CLARE-R3" and "Recommendation 3",
    an action's "CLARE-R3-A2" and "Action 2", a review's code), its text (a review's name, reference,
    type and summary; an action's success measure too), its agencies (a recommendation's lead and
    contributing agencies' names, an action's owner agency's, a review's partnership), its named
    owner (an action's; a review's reviewer), its themes, and its update history (every update's
    narrative, evidence and author). It is kept right by the database itself as the record changes,
    whoever writes it.

    How it matches: a term (domain.search.SearchTerm) is found in an item when one field, or one
    update, holds the term's tokens in a row, the last one as the start of a word, compared in lower
    case without accents. An item matches when it holds every term (each may be in a different field
    or update).

    Both queries answer with rows of two integers, `kind` (domain.search.KIND_CODES: 1 review,
    2 recommendation, 3 action) and `item_id`, each item once, as a selectable that `find` inserts
    into a temporary table (INSERT ... SELECT) in its own transaction.
    """

    def matching(self, terms: Sequence[SearchTerm]) -> TextualSelect | Select[Any]:
        """Items holding every term, in their own fields or their update history."""
        ...

    def matching_in_own_words(self, terms: Sequence[SearchTerm]) -> TextualSelect | Select[Any]:
        """Items holding every term in their own fields (not counting their updates)."""
        ...

    def rebuild(self, connection: Connection) -> None:
        """Make the index again from the record (in the caller's transaction)."""
        ...

    def suspended(self, connection: Connection) -> AbstractContextManager[None]:
        """For a bulk load in the caller's transaction: no per-row upkeep inside, the index made
        again from the record at the end."""
        ...

    def verify(self, connection: Connection) -> list[str]:
        """Where the index differs from the record, one sentence each; empty when it is right."""
        ...


def text_index_for(bind: Engine | Connection) -> TextIndex:
    """The text index of the database `bind` reaches."""
    dialect = bind.dialect.name
    if dialect == "sqlite":
        from scr_desk.db.search_sqlite import SqliteTextIndex
        return SqliteTextIndex()
    if dialect == "postgresql":
        from scr_desk.db.search_postgres import PostgresTextIndex
        return PostgresTextIndex()
    raise NotImplementedError(f"SCR Desk has no search index for {dialect} databases yet")


# What the index answered, kept for the statement that joins it with the filter's choices: a
# temporary table on the search's own connection, so the index is asked once per search.
_TEMPORARY = MetaData()
HITS = Table("search_hits", _TEMPORARY, Column("kind", Integer), Column("item_id", Integer),
             Index("search_hits_items", "kind", "item_id"), prefixes=["TEMPORARY"])
# Beyond this many items holding the words, none is highlighted (a tree all yellow says nothing)
# and no count of those matching only in their updates is given: finding out costs a second search.
HIGHLIGHT_LIMIT = 5000


# Beyond this many updates written at once (and an eighth of those already there), the index is
# made again once rather than kept row by row: an item's history document holds all its updates,
# so keeping it row by row costs more the more updates an item has.
BULK_UPDATES = 2000


def upkeep_for(session: Session, updates_written: int) -> AbstractContextManager[None]:
    """How the index is kept through a write adding or removing this many updates, in the session's
    transaction: by the database as it goes (an edit, a return), or suspended and made again once at
    the end (a whole partnership's workbook, or its undo)."""
    if updates_written <= BULK_UPDATES:
        return nullcontext()
    from scr_desk.db.models import Update
    existing = session.scalar(select(func.count()).select_from(Update)) or 0
    if updates_written * 8 <= existing:
        return nullcontext()
    connection = session.connection()
    return text_index_for(connection).suspended(connection)


def _ids(table: Table, kind: ItemKind) -> Select[Any]:
    return select(table.c.item_id).where(table.c.kind == KIND_CODES[kind])


def _shown_rag_is(status: Any, rag: Any, wanted: Rag) -> ColumnElement[bool]:
    """The RAG the tree shows (rules.shown_rag): Blue once done, else the item's own."""
    if wanted is Rag.BLUE:
        return or_(status.in_(DONE_STATUSES), and_(status.not_in(DONE_STATUSES), rag == Rag.BLUE))
    return and_(status.not_in(DONE_STATUSES), rag == wanted)


def overdue_condition(table: Any, today: date | Any) -> ColumnElement[bool]:
    """Past its target in force and not closed (rules.is_overdue)."""
    due = func.coalesce(stored_date(table.c.revised_target_date), stored_date(table.c.target_date))
    return and_(due < today, table.c.status.not_in(CLOSED_STATUSES))


def _choices(table: Any, criteria: FilterCriteria, today: date, *, agency: ColumnElement[bool] | None,
             themed: bool) -> list[ColumnElement[bool]]:
    """The filter's choices as conditions on a recommendation or action table."""
    conditions: list[ColumnElement[bool]] = []
    if criteria.status is not None:
        conditions.append(table.c.status == criteria.status)
    if criteria.rag is not None:
        conditions.append(_shown_rag_is(table.c.status, table.c.rag, criteria.rag))
    if criteria.agency_id is not None:
        conditions.append(agency if agency is not None else false())
    if criteria.theme is not None:
        # Themes are stored ";"-separated, spaced or not (fields.split_themes); an action has none.
        separated = func.replace(func.replace(func.trim(table.c.themes), "; ", ";"), " ;", ";") if themed else None
        conditions.append(holds_exactly(";" + separated + ";", f";{criteria.theme};") if separated is not None
                          else false())
    if criteria.overdue_only:
        conditions.append(overdue_condition(table, today))
    return conditions


def _queries(criteria: FilterCriteria, today: date, hits: Table | None) -> dict[ItemKind, Select[Any]]:
    """Every recommendation, action and review that matches itself, with its parents: one query each."""
    rec, action, review = Recommendation.__table__, Action.__table__, Review.__table__
    review_hit = rec.c.review_id.in_(_ids(hits, ItemKind.REVIEW)) if hits is not None else true()
    rec_text = or_(review_hit, rec.c.id.in_(_ids(hits, ItemKind.RECOMMENDATION))) if hits is not None else true()
    action_text = or_(rec_text, action.c.id.in_(_ids(hits, ItemKind.ACTION))) if hits is not None else true()
    contributor = exists().where(recommendation_contributor.c.recommendation_id == rec.c.id,
                                 recommendation_contributor.c.agency_id == criteria.agency_id)
    rec_where = [rec_text, *_choices(rec, criteria, today, themed=True, agency=or_(
        rec.c.lead_agency_id == criteria.agency_id, contributor))]
    action_where = [action_text, *_choices(action, criteria, today, themed=False,
                                           agency=action.c.owner_agency_id == criteria.agency_id)]
    if criteria.hide_closed:  # a closed recommendation hides everything under it
        rec_where.append(rec.c.status.not_in(CLOSED_STATUSES))
        action_where += [rec.c.status.not_in(CLOSED_STATUSES), action.c.status.not_in(CLOSED_STATUSES)]
    queries = {
        ItemKind.RECOMMENDATION: select(rec.c.id, rec.c.review_id).where(*rec_where),
        ItemKind.ACTION: select(action.c.id, action.c.recommendation_id, rec.c.review_id)
        .join_from(action, rec, rec.c.id == action.c.recommendation_id).where(*action_where),
    }
    if not criteria.item_choices:  # a review passes only what it can have: words
        queries[ItemKind.REVIEW] = select(review.c.id).where(
            review.c.id.in_(_ids(hits, ItemKind.REVIEW)) if hits is not None else true())
    return queries


def find(sessions: sessionmaker[Session], criteria: FilterCriteria, today: date | None = None,
         cancelled: Callable[[], bool] | None = None) -> SearchResult:
    """What the tree shows for `criteria` (an active filter): see domain.search.SearchResult.
    `cancelled`, when it says so, stops the search part-way (raising the driver's error)."""
    today = today or date.today()
    terms = criteria.terms
    with sessions() as session, interruptible(session.connection(), cancelled):
        hits: Table | None = None
        held: dict[ItemKind, set[int]] | None = None  # the items holding the words, when few
        in_own_words: dict[ItemKind, set[int]] = {kind: set() for kind in ItemKind}
        if terms:
            index = text_index_for(session.get_bind())
            hits = _fill(session, HITS, index.matching(terms))
            if (session.scalar(select(func.count()).select_from(HITS)) or 0) <= HIGHLIGHT_LIMIT:
                held = _by_kind(session, select(HITS.c.kind, HITS.c.item_id))
                in_own_words = _by_kind(session, index.matching_in_own_words(terms))
        queries = _queries(criteria, today, hits)
        # Each query's ids as one list per column, made in the database (see db.sql.id_list).
        rec_ids, rec_reviews = _id_sets(session, queries[ItemKind.RECOMMENDATION])
        action_ids, action_recs, action_reviews = _id_sets(session, queries[ItemKind.ACTION])
        review_ids = _id_sets(session, queries[ItemKind.REVIEW])[0] if ItemKind.REVIEW in queries else frozenset()
    matched = {ItemKind.REVIEW: review_ids, ItemKind.RECOMMENDATION: rec_ids, ItemKind.ACTION: action_ids}
    found = {kind: matched[kind] & held[kind] for kind in ItemKind} if held is not None else None
    return SearchResult(
        criteria, today, shown=ItemIds(review_ids | rec_reviews | action_reviews, rec_ids | action_recs, action_ids),
        matches=ItemIds(review_ids, rec_ids, action_ids), to_open=ItemIds(recommendations=action_recs - rec_ids),
        found=_as_ids(found) if found else ItemIds(),
        history_only=_as_ids({kind: found[kind] - in_own_words[kind] for kind in ItemKind}) if found else ItemIds())


def _id_sets(session: Session, query: Select[Any]) -> list[frozenset[int]]:
    """The distinct ids in each column of `query`."""
    columns = query.subquery().c
    return [ids_of(listed) for listed in session.execute(select(*(id_list(column) for column in columns))).one()]


def shown_items(session: Session, criteria: FilterCriteria, today: date) -> Select[Any]:
    """Every item the tree shows for `criteria` (an active filter), as `find` says (its `shown`),
    but as a query of rows (kind, item_id) for other queries to join, so that figures following
    the filter are worked out in the database, not by handing it a hundred thousand ids. The text
    index is asked here, its answer kept on the session's connection for the query."""
    terms = criteria.terms
    hits = _fill(session, HITS, text_index_for(session.get_bind()).matching(terms)) if terms else None
    queries = _queries(criteria, today, hits)
    recs, actions = queries[ItemKind.RECOMMENDATION].cte("shown_recs"), queries[ItemKind.ACTION].cte("shown_actions")
    review, rec, action = (literal(KIND_CODES[kind]).label("kind") for kind in ItemKind)
    parts = [select(rec, recs.c.id.label("item_id")), select(review, recs.c.review_id), select(action, actions.c.id),
             select(rec, actions.c.recommendation_id), select(review, actions.c.review_id)]
    if ItemKind.REVIEW in queries:
        reviews = queries[ItemKind.REVIEW].subquery()
        parts.append(select(review, reviews.c.id))
    return union(*parts)  # type: ignore[return-value]


def _cursor(session: Session, query: Select[Any]) -> Any:
    return session.connection().execute(query).cursor


def _by_kind(session: Session, query: TextualSelect | Select[Any]) -> dict[ItemKind, set[int]]:
    out: dict[ItemKind, set[int]] = {kind: set() for kind in ItemKind}
    for code, item_id in _cursor(session, query):  # type: ignore[arg-type]
        out[KINDS_BY_CODE[code]].add(item_id)
    return out


def _fill(session: Session, table: Table, query: TextualSelect | Select[Any]) -> Table:
    table.create(session.connection(), checkfirst=True)
    session.execute(delete(table))
    session.execute(insert(table).from_select(["kind", "item_id"], query))
    return table


def _as_ids(by_kind: dict[ItemKind, set[int]] | dict[ItemKind, frozenset[int]]) -> ItemIds:
    return ItemIds(frozenset(by_kind[ItemKind.REVIEW]), frozenset(by_kind[ItemKind.RECOMMENDATION]),
                   frozenset(by_kind[ItemKind.ACTION]))
