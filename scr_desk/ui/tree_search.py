"""The find box and the filters ask the database on a thread of their own, one question at a time:
a newer question interrupts the one being answered, and only the newest answer is shown.

(A pool of its own, so a question never waits behind the dashboard's figures or an import on the
window's workers.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool

from scr_desk.domain.search import FilterCriteria, SearchResult
from scr_desk.ui.tree_model import Children
from scr_desk.ui.workers import Task

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

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
