"""One log for the whole app, configured once: a rotating file in the data folder's private logs
folder, owner-only. It holds what went wrong unexpectedly (tracebacks) and nothing routine, so
case text reaches it only inside an error's own message.

Used by the command line and the window alike; no Qt here.
"""

from __future__ import annotations

import logging
import os
import sys
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

__all__ = ["KEEP", "LOG_NAME", "MAX_BYTES", "configure_logging", "log_path", "log_unexpected", "log_unraisable"]


LOG_NAME = "scr_desk-errors.log"
MAX_BYTES = 1_000_000
KEEP = 3
log = logging.getLogger("scr_desk")
_handler: logging.Handler | None = None


def log_path() -> Path | None:
    """The log file, made owner-only before the first line goes in; None where it cannot be."""
    from scr_desk.db.private import FILE_MODE, private_logs_dir
    try:
        path = private_logs_dir() / LOG_NAME
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, FILE_MODE))
        os.chmod(path, FILE_MODE)  # a log written by an older version may be readable by others
        return path
    except OSError:
        return None


class _PrivateLog(RotatingFileHandler):
    """A rotating file made (owner-only) when the first line is written, not before: a run with
    nothing to report leaves nothing behind."""

    def __init__(self) -> None:
        from scr_desk.paths import user_data_dir
        super().__init__(user_data_dir() / "logs" / LOG_NAME, maxBytes=MAX_BYTES, backupCount=KEEP,
                         encoding="utf-8", delay=True)

    def _open(self) -> TextIOWrapper:
        log_path()
        return super()._open()


def configure_logging() -> None:
    """Send the app's warnings and errors to the log file (once per process)."""
    global _handler
    wanted = _PrivateLog()
    if _handler is not None:
        if getattr(_handler, "baseFilename", None) == wanted.baseFilename:
            return
        log.removeHandler(_handler)  # the data folder moved (SCR_DESK_DATA_DIR changed): follow it
        _handler.close()
    _handler = wanted
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _handler.setLevel(logging.WARNING)
    log.addHandler(_handler)
    log.setLevel(logging.WARNING)
    sys.unraisablehook = log_unraisable


def log_unexpected(error: BaseException, doing: str = "") -> Path | None:
    """Write `error` with its traceback to the log; returns where, to tell the user."""
    configure_logging()
    trace: tuple[type[BaseException], BaseException, TracebackType | None] = (type(error), error, error.__traceback__)
    log.error("Unexpected error%s", f" while {doing}" if doing else "", exc_info=trace)
    if _handler is None:
        return None
    _handler.flush()
    name = getattr(_handler, "baseFilename", "")
    return Path(name) if name and Path(name).exists() else None


def log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Errors raised while Python cleans up abandoned objects (openpyxl's half-written sheet
    streams after a full disk, say) go to the log, never onto the user's screen: the error that
    mattered has already been reported in one sentence."""
    log.warning("Unraisable in %r: %r", unraisable.object, unraisable.exc_value)
