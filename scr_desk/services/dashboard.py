"""The dashboard's figures: RAG and status by review, agencies, the overdue list, RAG at the end
of each quarter and themes across reviews, for everything or for what the tree's filter shows.
Plain data; the window draws it.

Every figure is counted in the database (services.dashboard_sql), so a large partnership's
dashboard costs the window a few hundred rows, whatever the number of items and updates. The
overdue list, which may run to tens of thousands, comes as its first rows and the order of the
rest (a compact array of item numbers), read a page at a time as it is scrolled (`overdue_page`).
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.sql import interruptible
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.rules import Period, action_reference, period_of, recommendation_reference
from scr_desk.domain.search import FilterCriteria, key_of_doc
from scr_desk.domain.tree import first_line
from scr_desk.services import dashboard_sql as sql
from scr_desk.services.fields import split_themes

RAG_NAMES = ("Red", "Amber", "Green", "Blue", "Not rated")
FIRST_OVERDUE = 200  # overdue items read with the figures; the rest as they are scrolled to


@dataclass(frozen=True)
class ReviewFigures:
    key: ItemKey
    name: str
    by_status: dict[str, int]
    by_rag: dict[str, int]


@dataclass(frozen=True)
class AgencyFigures:
    """An agency's items: open, overdue, complete (its word that the work is done, awaiting the
    panel) and assured (the panel's decision, or impact embedded), counted apart."""

    name: str
    open: int
    overdue: int
    complete: int
    assured: int


@dataclass(frozen=True)
class OverdueItem:
    key: ItemKey
    reference: str
    title: str
    agency: str
    due: date | None
    days: int


@dataclass(frozen=True)
class QuarterMix:
    period: str
    counts: dict[str, int]


@dataclass(frozen=True)
class ThemeFigures:
    theme: str
    reviews: tuple[str, ...]
    recommendations: int


@dataclass(frozen=True)
class Dashboard:
    """`overdue`: the first overdue items, oldest first; `overdue_order`: every overdue item's
    number (domain.search.doc_id) in that order, for reading the rest (`overdue_page`)."""

    reviews: tuple[ReviewFigures, ...]
    agencies: tuple[AgencyFigures, ...]
    overdue: tuple[OverdueItem, ...]
    quarters: tuple[QuarterMix, ...]
    themes: tuple[ThemeFigures, ...]
    overdue_order: array[int] = field(default_factory=lambda: array("q"))
    today: date = field(default_factory=date.today)

    @property
    def overdue_total(self) -> int:
        return len(self.overdue_order)

    @property
    def recommendations(self) -> int:
        return sum(sum(review.by_status.values()) for review in self.reviews)


def work_out_dashboard(sessions: sessionmaker[Session], criteria: FilterCriteria | None = None,
                       today: date | None = None, quarters: int = 8,
                       cancelled: Callable[[], bool] | None = None) -> Dashboard:
    """The dashboard for everything, or (`criteria`, an active filter) for what the tree shows.
    `cancelled`, when it says so, stops the work part-way (InterruptedError)."""
    today = today or date.today()
    filtered = criteria is not None and criteria.active
    with sessions() as session, _stoppable(session, cancelled):
        if filtered:
            assert criteria is not None
            _mark_shown(session, criteria, today)
        reviews = _reviews(session, filtered)
        periods = last_quarters(today, quarters)
        ends = [min(period.last_day, today) for period in periods]
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for quarter, code, items in session.execute(sql.quarter_counts(filtered, ends)):
            if 1 <= code <= len(sql.RAG_ORDER):  # a rating this version does not know is counted nowhere
                counts[quarter][sql.RAG_ORDER[code - 1].value] = items
        # Straight from the driver's cursor: tens of thousands of ids, no row object made for each.
        cursor: Any = session.connection().execute(sql.overdue_order(filtered, today)).cursor
        order = array("q", (item_id * 4 + kind for kind, item_id in cursor))
        agencies = tuple(sorted((AgencyFigures(name, *numbers) for name, *numbers
                                 in session.execute(sql.agencies(filtered, today))), key=lambda a: a.name.casefold()))
        themes = _themes(session, filtered, {review.key.id: review.name for review in reviews})
    mix = tuple(QuarterMix(str(period), {rag.value: counts[n].get(rag.value, 0) for rag in sql.RAG_ORDER})
                for n, period in enumerate(periods))
    first = overdue_page(sessions, order, 0, FIRST_OVERDUE, today)
    return Dashboard(reviews, agencies, tuple(first), mix, themes, order, today)


@contextmanager
def _stoppable(session: Session, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Queries that stop part-way once `cancelled()` says so, as an InterruptedError."""
    try:
        with interruptible(session.connection(), cancelled):
            yield
    except OperationalError as error:
        if cancelled is not None and cancelled():
            raise InterruptedError("no longer wanted") from error
        raise


def _mark_shown(session: Session, criteria: FilterCriteria, today: date) -> None:
    from scr_desk.services.search import shown_items
    sql.SHOWN.create(session.connection(), checkfirst=True)
    session.execute(sql.SHOWN.delete())
    session.execute(insert(sql.SHOWN).from_select(["kind", "item_id"], shown_items(session, criteria, today)))


def _reviews(session: Session, filtered: bool) -> tuple[ReviewFigures, ...]:
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for review_id, status, items in session.execute(sql.statuses_by_review(filtered)):
        statuses[review_id][str(status)] = items
    rags: dict[int, dict[str, int]] = defaultdict(dict)
    for review_id, rag, items in session.execute(sql.rags_by_review(filtered)):
        rags[review_id][rag] = items
    return tuple(ReviewFigures(ItemKey(ItemKind.REVIEW, review_id), f"{name} ({kind.short})",
                               statuses.get(review_id, {}), rags.get(review_id, {}))
                 for review_id, name, kind in session.execute(sql.reviews(filtered)))


def _themes(session: Session, filtered: bool, titles: dict[int, str]) -> tuple[ThemeFigures, ...]:
    reviews: dict[str, set[str]] = defaultdict(set)
    recommendations: Counter[str] = Counter()
    for review_id, stored, items in session.execute(sql.themes_by_review(filtered)):
        for theme in split_themes(stored or ""):
            reviews[theme].add(titles.get(review_id, ""))
            recommendations[theme] += items
    return tuple(sorted((ThemeFigures(theme, tuple(sorted(names)), recommendations[theme])
                         for theme, names in reviews.items()),
                        key=lambda t: (-len(t.reviews), -t.recommendations, t.theme.casefold())))


def last_quarters(today: date, count: int) -> list[Period]:
    """The `count` quarters up to today's, oldest first."""
    current = period_of(today)
    periods: list[Period] = []
    for _ in range(count):
        periods.insert(0, current)
        current = current.previous()
    return periods


def overdue_page(sessions: sessionmaker[Session], order: array[int], start: int, stop: int,
                 today: date) -> list[OverdueItem]:
    """The overdue items order[start:stop], read by their ids (an item deleted since is left out)."""
    wanted = [key_of_doc(doc) for doc in order[start:stop]]
    ids = {kind: [key.id for key in wanted if key.kind is kind] for kind in (ItemKind.RECOMMENDATION, ItemKind.ACTION)}
    found: dict[ItemKey, OverdueItem] = {}
    with sessions() as session:
        if ids[ItemKind.RECOMMENDATION]:
            for row in session.execute(sql.overdue_recommendations(ids[ItemKind.RECOMMENDATION])):
                key = ItemKey(ItemKind.RECOMMENDATION, row.id)
                found[key] = _overdue_item(key, recommendation_reference(row.code, row.number), row.text,
                                           row.agency or "", row, today)
        if ids[ItemKind.ACTION]:
            for row in session.execute(sql.overdue_actions(ids[ItemKind.ACTION])):
                key = ItemKey(ItemKind.ACTION, row.id)
                found[key] = _overdue_item(key, action_reference(row.code, row.rec_number, row.number), row.text,
                                           " · ".join(x for x in (row.agency, row.owner_name) if x), row, today)
    return [found[key] for key in wanted if key in found]


def _overdue_item(key: ItemKey, reference: str, text: str | None, agency: str, row: Any, today: date) -> OverdueItem:
    due = row.revised_target_date or row.target_date
    return OverdueItem(key, reference, first_line(text or "") or "(no text)", agency, due,
                       max((today - due).days, 1) if due is not None else 0)

