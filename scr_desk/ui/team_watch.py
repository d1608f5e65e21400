"""A window on a server database, among others: what they change shows here, and a lost
connection is ridden out.

- Every change on the server sends a notice (db.server). A socket notifier wakes the window when
  one arrives; it asks the audit trail what changed since the last change it saw
  (services.team) and refreshes only those reviews, keeping the selection and any edit in
  progress (detail_pane: the field being typed into keeps its text, and the version it was made
  from, so saving it is still checked against what the person saw).
- When the server cannot be reached (a save failed, or the notice connection dropped), the window
  says so in one sentence, keeps what is on screen read-only, and tries again every few seconds;
  once back it catches up on everything it missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from scr_desk.domain.wording import join_words
from scr_desk.services import team
from scr_desk.services.edits.base import Change
from scr_desk.services.team import ChangeListener, ConnectionLost

if TYPE_CHECKING:
    from scr_desk.services.database_files import Database

__all__ = ["LOST", "MOST_REVIEWS_ONE_BY_ONE", "RETRY_MS", "TeamWatch"]


log = logging.getLogger(__name__)

RETRY_MS = 3000
MOST_REVIEWS_ONE_BY_ONE = 5  # past this, one reload of the whole tree
LOST = ("The connection to the server was lost: what is on screen is kept, read-only, and SCR Desk is "
        "reconnecting. Nothing you saved is lost.")


class TeamWatch(QObject):
    """Watches one server database for the window (see the module's words)."""

    def __init__(self, database: Database, notify: Callable[[Change], None],
                 say: Callable[[str], None], set_offline: Callable[[str | None], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._notify = notify
        self._say = say
        self._set_offline = set_offline
        self.offline = False
        self.seen = 0
        self.listener: ChangeListener | None = None
        self.notifier: QSocketNotifier | None = None
        self.retry = QTimer(self)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self._reconnect)
        try:
            self.seen = team.newest_change(database.sessions)
            self._listen()
        except Exception as exc:  # noqa: BLE001 - the server went away between opening and now
            self.lost(exc)

    def _listen(self) -> None:
        self.listener = ChangeListener(self.database.engine)
        self.notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._arrived)

    def _stop_listening(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def close(self) -> None:
        self.retry.stop()
        self._stop_listening()

    # --- notices -----------------------------------------------------------------------------
    def _arrived(self, *_args: object) -> None:
        if self.listener is None:
            return
        try:
            notices = self.listener.read()
        except ConnectionLost as exc:
            self.lost(exc)
            return
        if not notices:
            return
        if all(by == self.database.token for by, _upto in notices):
            # Our own changes, already shown; notices come in the order changes landed.
            self.seen = max(self.seen, *(upto for _by, upto in notices))
            return
        self.catch_up()

    def catch_up(self) -> None:
        """Refresh what changed since the last change seen (someone else's, or while offline)."""
        try:
            changes = team.changes_since(self.database.sessions, self.seen)
        except Exception as exc:  # noqa: BLE001 - the connection went while asking
            self.lost(exc)
            return
        self.seen = changes.upto
        if not changes.any:
            return
        if changes.structural or changes.everything or len(changes.reviews) > MOST_REVIEWS_ONE_BY_ONE:
            self._notify(Change(structural=True, agencies=changes.agencies))
        elif not changes.reviews:
            self._notify(Change(agencies=changes.agencies))
        else:
            for number, review_id in enumerate(sorted(changes.reviews)):
                self._notify(Change(review_id=review_id, agencies=changes.agencies and number == 0))
        others = [name for name in changes.by if name != self.database.author]
        if others:
            self._say(f"Shown as changed just now by {join_words(others)}.")

    # --- a lost connection ---------------------------------------------------------------------
    def lost(self, error: BaseException | None = None) -> None:
        """The server cannot be reached: read-only until it can, trying again meanwhile."""
        if self.offline:
            return
        log.info("Lost the connection to %s: %s", self.database.shown_as, error)
        self.offline = True
        self._stop_listening()
        self._set_offline(LOST)
        self.retry.start()

    def _reconnect(self) -> None:
        try:
            self.database.engine.dispose()  # connections the server dropped are not handed out again
            with self.database.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            self._listen()
        except Exception:  # noqa: BLE001 - still away: try again at the next tick
            self._stop_listening()
            return
        self.retry.stop()
        self.offline = False
        self._set_offline(None)
        self._say("Reconnected to the server; everything changed meanwhile is shown.")
        self.catch_up()
