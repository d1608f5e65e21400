"""The one base of every failure a user is told about in one sentence.

Each layer raises its own subclass (a database that cannot be opened, a use case that refused, a
workbook that cannot be read); the window and the command line catch this base alone and show
its message. Raising one means nothing was written.
"""

from __future__ import annotations

__all__ = ["ScrDeskError"]


class ScrDeskError(Exception):
    """A problem with what the user gave or asked for: one sentence, and nothing was written."""
