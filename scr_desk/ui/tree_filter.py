"""Filtering the tree: the database answers (services/search.py) on a thread of its own, one
question at a time (a newer question interrupts the one being answered, and only the newest answer
is shown; a pool of its own, so a question never waits behind the dashboard's figures or an import
on the window's workers), and the proxy then only looks each row up in the answer's sets, which
keeps showing a filter fast on a large database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, QThreadPool

from scr_desk.domain.search import FilterCriteria, ItemIds, SearchResult
from scr_desk.ui.tree_model import Children, ReviewTreeModel
from scr_desk.ui.workers import Task

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["FilterCriteria", "TreeFilterProxy", "TreeSearch"]


class TreeFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._result: SearchResult | None = None
        self.setDynamicSortFilter(False)

    @property
    def result(self) -> SearchResult | None:
        return self._result

    @property
    def criteria(self) -> FilterCriteria:
        """The filter the tree shows (the one asked for may still be on its way)."""
        return self._result.criteria if self._result is not None else FilterCriteria()

    @property
    def to_open(self) -> ItemIds:
        return self._result.to_open if self._result is not None else ItemIds()

    def set_result(self, result: SearchResult | None) -> None:
        """Show `result` (None: everything)."""
        # A reset, not Qt's incremental filter update: narrowing a large expanded tree removes
        # thousands of scattered rows one range at a time, which took 25 s on the benchmark's
        # database; rebuilding the mapping takes milliseconds.
        self.beginResetModel()
        self._result = result
        source = self.sourceModel()
        if isinstance(source, ReviewTreeModel):
            source.set_search(result)
        self.endResetModel()

    @property
    def visible(self) -> ItemIds | None:
        """What the filter keeps (None when no filter is set)."""
        return self._result.shown if self._result is not None else None

    def shown_count(self) -> int | None:
        """How many items the filter keeps (None when no filter is set)."""
        return len(self._result.shown) if self._result is not None else None

    def match_count(self) -> int | None:
        """How many items match the filter themselves, not counting the reviews and recommendations
        kept above them for context (None when no filter is set)."""
        return len(self._result.matches) if self._result is not None else None

    def history_only_count(self) -> int:
        """How many matches hold the words only in their update history."""
        return len(self._result.history_only) if self._result is not None else 0

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._result is None:
            return True
        source = self.sourceModel()
        assert isinstance(source, ReviewTreeModel)
        # Called for every row while the view lays out: look the key up without a round trip
        # through QModelIndex and data().
        return source.key_at(source_row, source_parent) in self._result.shown


Answer = tuple[SearchResult, dict[int, Children]]


class TreeSearch(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._asked = 0
        self._running: set[Task] = set()
        self._current: Task | None = None

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def ask(self, sessions: sessionmaker[Session], criteria: FilterCriteria, loaded: set[int], read_below: int,
            answer: Callable[[Answer], None], failed: Callable[[BaseException], None]) -> None:
        """Find what `criteria` shows; read the children of the reviews it shows (those not in
        `loaded`) when it shows no more than `read_below` items, so they can be opened at once."""
        if self._current is not None:
            self._current.cancel()  # its answer is no longer wanted: stop it where it is
        self._asked += 1
        asked, today = self._asked, date.today()

        def work(_progress: object, cancelled: Callable[[], bool]) -> Answer:
            from scr_desk.services.search import find
            from scr_desk.services.tree import load_subtrees
            result = find(sessions, criteria, today, cancelled=cancelled)
            wanted = set(result.shown.reviews) - loaded if len(result.shown) <= read_below else set()
            return result, load_subtrees(sessions, wanted, today) if wanted else {}

        task = Task(work)
        self._current = task
        task.signals.done.connect(lambda value: self._finish(task, asked, answer, value))
        task.signals.failed.connect(lambda error: self._finish(task, asked, failed, error, error=True))
        self._running.add(task)
        self.pool.start(task)

    def forget(self) -> None:
        """No answer is wanted any more (the filter was cleared)."""
        if self._current is not None:
            self._current.cancel()
        self._asked += 1

    def _finish(self, task: Task, asked: int, callback: Callable[..., None], value: object, *,
                error: bool = False) -> None:
        self._running.discard(task)
        if self._current is task:
            self._current = None
        if asked != self._asked or task.is_cancelled():
            return  # a newer question was asked meanwhile: this answer (or its interruption) is stale
        callback(value)

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)
