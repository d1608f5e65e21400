"""The dashboard's figures, from the tree data (so it follows the tree's filter) and the RAG
history of updates. Plain data; the window draws it.

Both are read in a stream, so a large partnership's figures are worked out without holding every
item at once: the tree a few reviews at a time (services.tree.stream_tree), each item's RAG history
as two compact arrays keyed by the item's number (no object per update, none the collector walks)."""

from __future__ import annotations

import bisect
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Update
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import Period, period_of, shown_rag
from scr_desk.domain.search import KIND_CODES
from scr_desk.services.tree import TreeNode

RAG_NAMES = ("Red", "Amber", "Green", "Blue", "Not rated")
SHOWN_RAGS = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
Key = tuple[ItemKind, int]  # an ItemKey, which equals its plain tuple: built as one, once per update row



@dataclass(frozen=True)
class ReviewFigures:
    key: Key
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
    key: Key
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
    reviews: tuple[ReviewFigures, ...]
    agencies: tuple[AgencyFigures, ...]
    overdue: tuple[OverdueItem, ...]
    quarters: tuple[QuarterMix, ...]
    themes: tuple[ThemeFigures, ...]


OTHER_RAG = len(SHOWN_RAGS)
@dataclass(frozen=True)
class RagHistory:
    """Each item's history by its number (domain.search.doc_id): the days (ordinals) and the RAG
    shown from each (an index into SHOWN_RAGS), in date order. Two dicts of arrays rather than a
    pair per item: an array holds no objects, so the cyclic collector has nothing to walk in it
    (150,000 pairs set it off again and again, each time holding the window's GIL)."""

    days: dict[int, array[int]]
    rags: dict[int, bytearray]

    def get(self, number: int) -> tuple[array[int], bytearray] | None:
        days = self.days.get(number)
        return (days, self.rags[number]) if days is not None else None


class TreeRows(Protocol):
    """The tree as the figures read it: the reviews (each holding its recommendations and actions)
    once through, the agencies' names, today."""

    @property
    def reviews(self) -> Iterable[TreeNode]: ...

    @property
    def agencies(self) -> dict[int, str]: ...

    @property
    def today(self) -> date: ...


def _number(key: Key) -> int:
    return key[1] * 4 + KIND_CODES[key[0]]


def history_of(history: RagHistory, key: Key) -> list[tuple[date, Rag | None]]:
    """One item's RAG as shown from each of its dates (None: a rating this version does not know)."""
    days, rags = history.get(_number(key)) or (array("l"), bytearray())
    return [(date.fromordinal(day), SHOWN_RAGS[rag] if rag < OTHER_RAG else None)
            for day, rag in zip(days, rags, strict=True)]


def load_rag_history(sessions: sessionmaker[Session]) -> RagHistory:
    """Every item's RAG as shown, in date order, from its updates: a completed item counts as
    Blue from the day it was completed, as the tree, the form and the reports show it."""
    history = RagHistory({}, {})
    # Each item's status and RAG so far, in two dicts (a pair per item would be an object per item
    # for the cyclic collector to walk).
    statuses: dict[int, Status | None] = {}
    ratings: dict[int, Rag | None] = {}
    rag_codes = {rag: code for code, rag in enumerate(SHOWN_RAGS)}
    table = Update.__table__
    columns = (table.c.as_at, table.c.status, table.c.rag)
    recommendation_code, action_code = KIND_CODES[ItemKind.RECOMMENDATION], KIND_CODES[ItemKind.ACTION]
    with sessions() as session:
        dialect = session.get_bind().dialect
        # The column types' own readers, each run once per distinct stored text: 120,000 updates
        # hold a few thousand dates and a handful of statuses, and this runs on a worker beside the
        # window, where every millisecond of Python holds the GIL the window needs to paint.
        read_day, read_status, read_rag = (
            _memoised(column.type.dialect_impl(dialect).result_processor(dialect, None)) for column in columns)
        rows = session.execute(select(table.c.recommendation_id, table.c.action_id,
                                      *(type_coerce(column, String) for column in columns))
                               .where(or_(table.c.rag.is_not(None), table.c.status.is_not(None)))
                               .order_by(table.c.as_at, table.c.id))
        for rec_id, action_id, raw_day, raw_status, raw_rag in rows:
            as_at = read_day(raw_day)
            if as_at is None:
                continue  # a date this version cannot read places nothing on the timeline
            key = rec_id * 4 + recommendation_code if rec_id else (action_id or 0) * 4 + action_code
            status = statuses[key] = read_status(raw_status) or statuses.get(key)
            rag = ratings[key] = read_rag(raw_rag) or ratings.get(key)
            shown = shown_rag(status, rag) if status is not None else rag
            if shown is None:
                continue
            days = history.days.get(key)
            if days is None:
                days = history.days[key] = array("l")
                history.rags[key] = bytearray()
            rags = history.rags[key]
            days.append(as_at.toordinal())
            rags.append(rag_codes.get(shown, OTHER_RAG))  # one this version does not know: counted nowhere
    return history


def _memoised(processor: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {None: None}

    def read(raw: Any) -> Any:
        try:
            return cache[raw]
        except KeyError:
            value = cache[raw] = processor(raw) if processor else raw
            return value
    return read


def rolled_up_rag(rec: TreeNode, actions: list[TreeNode]) -> Rag | None:
    """A recommendation's RAG as the dashboard counts it: its own rating, else (its progress being
    recorded on its actions, as a tracker with an Action column records it) the worst RAG of its
    open actions, Blue when every live action is done."""
    if rec.rag is not None:
        return rec.rag
    live = [a for a in actions if a.status not in (Status.SUPERSEDED, Status.WITHDRAWN)]
    if live and all(a.status is not None and a.status.is_done for a in live):
        return Rag.BLUE
    rated = [a.rag for a in live if not a.closed and a.rag in SHOWN_RAGS]
    return min(rated, key=SHOWN_RAGS.index) if rated else None


def build_dashboard(tree: TreeRows, visible: AbstractSet[Key] | None, history: RagHistory,
                    today: date | None = None, quarters: int = 8) -> Dashboard:
    today = today or tree.today
    def shown(node: TreeNode) -> bool:
        return visible is None or node.key in visible
    reviews = []
    agency_counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    overdue: list[OverdueItem] = []
    quarter_mix = QuarterCounts(history, today, quarters)
    theme_reviews: dict[str, set[str]] = defaultdict(set)
    theme_recs: Counter[str] = Counter()
    for review in tree.reviews:
        if not shown(review):
            continue
        recs = [r for r in review.children if shown(r)]
        rags = (rolled_up_rag(r, [a for a in r.children if shown(a)]) for r in recs)
        reviews.append(ReviewFigures(review.key, review.title, dict(Counter(r.status_label for r in recs)),
                                     dict(Counter(rag.value if rag else "Not rated" for rag in rags))))
        for rec in recs:
            for theme in rec.themes:
                theme_reviews[theme].add(review.title)
                theme_recs[theme] += 1
            for node in (rec, *[a for a in rec.children if shown(a)]):
                quarter_mix.add(node)
                for agency_id in node.agency_ids:
                    counts = agency_counts[agency_id]
                    if node.status is Status.COMPLETE:
                        counts[2] += 1
                    elif node.status is not None and node.status.is_done:
                        counts[3] += 1
                    elif not node.closed:
                        counts[0] += 1
                        counts[1] += 1 if node.overdue else 0
                if node.overdue:
                    overdue.append(OverdueItem(node.key, node.reference, node.title, node.agency_label,
                                               node.target, node.days_overdue))
    agencies = tuple(sorted((AgencyFigures(tree.agencies.get(i, "?"), *c) for i, c in agency_counts.items()),
                            key=lambda a: a.name.casefold()))
    themes = tuple(sorted((ThemeFigures(t, tuple(sorted(names)), theme_recs[t]) for t, names in theme_reviews.items()),
                          key=lambda t: (-len(t.reviews), -t.recommendations, t.theme.casefold())))
    return Dashboard(tuple(reviews), agencies, tuple(sorted(overdue, key=lambda o: -o.days)),
                     quarter_mix.mix(), themes)


class QuarterCounts:
    """For each of the last `count` quarters, how many items stood at each RAG at its end
    (items not yet rated by then are left out), counted item by item as the tree streams past, so
    each item's history is looked up once."""

    def __init__(self, history: RagHistory, today: date, count: int) -> None:
        current = period_of(today)
        self.periods: list[Period] = []
        for _ in range(count):
            self.periods.insert(0, current)
            current = current.previous()
        self.ends = [min(period.last_day, today).toordinal() for period in self.periods]
        self.counts: list[list[int]] = [[0] * (OTHER_RAG + 1) for _ in self.periods]
        self.history = history

    def add(self, node: TreeNode) -> None:
        found = self.history.get(_number(node.key))
        if found is None:
            return
        days, rags = found
        for quarter, end in enumerate(self.ends):
            position = bisect.bisect_right(days, end)
            if position:
                self.counts[quarter][rags[position - 1]] += 1

    def mix(self) -> tuple[QuarterMix, ...]:
        return tuple(QuarterMix(str(period), {rag.value: tally[code] for code, rag in enumerate(SHOWN_RAGS)})
                     for period, tally in zip(self.periods, self.counts, strict=True))
