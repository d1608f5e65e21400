"""An exception nobody caught on the GUI thread (in a slot, a timer, an event handler) reaches
sys.excepthook: by default a traceback on a stderr the GUI entry point hides, and the user sees
nothing happen. Installed here, it writes the traceback to the log (scr_desk/logs.py) and tells
the user in one plain sentence, with where the details are; never a traceback on screen."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from scr_desk import APP_TITLE
from scr_desk.logs import log_unexpected
from scr_desk.ui.prompts import Prompts

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def unexpected_sentence(logged: Path | None) -> str:
    where = f"the details are in {logged}" if logged else "the details could not be written to the log"
    return f"Something unexpected went wrong, and what you were doing may not have finished; {where}."


def install_excepthook(prompts: Prompts) -> ExceptHook:
    """Send uncaught exceptions to the log and `prompts`; returns the hook it replaced."""
    previous = sys.excepthook
    reporting = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal reporting
        if issubclass(kind, KeyboardInterrupt) or reporting:  # Ctrl+C in a terminal; a failing report
            sys.__excepthook__(kind, error, trace)
            return
        reporting = True
        try:
            logged = log_unexpected(error.with_traceback(trace), "in the window")
            prompts.error(APP_TITLE, unexpected_sentence(logged))
        finally:
            reporting = False
    sys.excepthook = hook
    return previous
