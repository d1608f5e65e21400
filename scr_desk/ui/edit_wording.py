"""What an edit says about itself: the words for a field, whether a value really changed, and
the check that an undo still applies to the version of the item it changed."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from scr_desk.domain.wording import field_words as field_words  # re-exported: the edit controller's words
from scr_desk.services.errors import ServiceError

def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "; ".join(_plain(v) for v in value)
    return str(value).strip()


def same_value(before: Any, after: Any) -> bool:
    """Would storing `after` change nothing? (An empty date tabbed through, the same choice.)"""
    return _plain(before) == _plain(after)


class ChangedSince(ServiceError):
    """The item was changed (by an import or another edit) after the edit being undone."""


def guard_field(sessions: Any, getter: Any, item_id: int, field: str, expected: Any, reference: str) -> None:
    """Refuse to undo or redo over a change made since: the field must still hold what the edit
    being undone (or redone) left there. An import or another edit that changed it since wins,
    and the user is told so instead of having it silently overwritten."""
    now = getattr(getter(sessions, item_id), field)
    if not same_value(now, expected):
        raise ChangedSince(f"the {field_words(field)} of {reference} has changed since (by an import or another "
                           f"edit; it is now {_plain(now) or 'empty'}), so this was not undone and nothing was "
                           "changed")
