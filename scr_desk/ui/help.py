"""Help > Keyboard shortcuts (read from the window's own actions, so it never goes stale) and
Help > Quick guide: a quarter's work in six steps."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from scr_desk.ui.main_window import MainWindow

__all__ = ["DEDICATED_KEYS", "GUIDE", "STEADY_NAMES", "WIDGET_KEYS", "shortcuts_html", "show_guide", "show_shortcuts"]


# Keys that belong to a widget rather than an action, so the list can't read them from one.
WIDGET_KEYS = (
    ("Ctrl+Return", "Add the update (in the Add update form); save a long text field"),
    ("Tab / Shift+Tab", "Next / previous field; a field is saved when you leave it"),
    ("Enter or double-click", "Open the overdue item chosen on the dashboard"),
    ("Mouse wheel", "Scrolls the form; changes a drop-down or date only once you have clicked into it"),
)

GUIDE = """
<h3>A quarter with SCR Desk</h3>
<ol>
<li><b>Record the reviews.</b> Edit &gt; New review (Ctrl+Shift+R), then New recommendation or action (Ctrl+N)
with the review or recommendation selected. Every field saves as you leave it; Edit &gt; Undo (Ctrl+Z) takes
any change back.</li>
<li><b>Send the returns.</b> File &gt; Export returns (Ctrl+E) writes one workbook per partner agency with its
open items.</li>
<li><b>Bring the answers in.</b> File &gt; Import (Ctrl+I), or drop the workbooks on the window. The preview
shows what each row would change before anything is saved; a backup is made first, and Edit &gt; Undo
reverses the whole import.</li>
<li><b>Keep the record.</b> Select an item to see its timeline; Add update (Ctrl+U) writes this period's
progress. Status and RAG chosen in the form are dated entries in the timeline too.</li>
<li><b>See where things stand.</b> View &gt; Dashboard (Ctrl+D): RAG by review and by quarter, agencies,
overdue items and recurring themes, following the tree's filter. Ctrl+Shift+D gives it the whole window.</li>
<li><b>Report to the panel.</b> Reports &gt; Panel report (Ctrl+P) writes PDF or Word; then record the
meeting and its assurance decisions.</li>
</ol>
<p>Find anything with Ctrl+F: references, words, agencies, owners and the text of updates.</p>
"""


# Keys of their own on some keyboards (Undo, Redo, Help…), which Qt lists among a command's
# standard shortcuts: shown as keys, they read as words ("Redo"), so the list leaves them out.
DEDICATED_KEYS = frozenset({"Undo", "Redo", "Help", "Find", "Copy", "Cut", "Paste", "Open", "Save", "Print",
                            "Back", "Forward", "Refresh", "Stop", "Menu", "Close", "New"})
# Actions whose text changes with what they would do ("Undo change of RAG on CLARE-R4"): named
# here for what they are, not for the edit on the stack at the moment Help is opened.
STEADY_NAMES = {"undo": "Undo the last change", "redo": "Redo what was undone"}


def _key(action: QAction) -> str:
    keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    return ", ".join(k for k in keys if k and k not in DEDICATED_KEYS)


def _name(text: str) -> str:
    """A menu text as words: its mnemonic marks gone ("&&" is a real "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def shortcuts_html(window: MainWindow) -> str:
    rows = [(_key(action), STEADY_NAMES.get(name) or _name(action.text()))
            for name, action in window.menu_actions.items() if _key(action)]
    rows += list(WIDGET_KEYS)
    body = "".join(f"<tr><td><b>{html.escape(key)}</b></td><td>{html.escape(what)}</td></tr>" for key, what in rows)
    return f'<table cellpadding="4">{body}</table>'


def show_shortcuts(window: MainWindow) -> None:
    window.prompts.help_page("Keyboard shortcuts", shortcuts_html(window))


def show_guide(window: MainWindow) -> None:
    window.prompts.help_page("Quick guide", GUIDE)
