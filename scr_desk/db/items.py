"""From an ItemKey to the rows that hold it: the one place that knows a recommendation and an
action live in two tables, and that an update or a decision points at either by two columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import InstrumentedAttribute, Session

from scr_desk.db.models import Action, Recommendation, Update
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind

__all__ = ["get_item", "pointing_at", "update_column"]


def get_item(session: Session, key: ItemKey) -> Recommendation | Action | None:
    if key.kind == ItemKind.RECOMMENDATION:
        return session.get(Recommendation, key.id)
    return session.get(Action, key.id)


def update_column(kind: ItemKind) -> InstrumentedAttribute[int | None]:
    """The column of an update (and, by the same names, of a decision) that points at this kind."""
    return Update.recommendation_id if kind == ItemKind.RECOMMENDATION else Update.action_id


def pointing_at(key: ItemKey) -> dict[str, Any]:
    """The recommendation_id/action_id pair of an update or a decision about this item."""
    return {"recommendation_id": key.id if key.kind == ItemKind.RECOMMENDATION else None,
            "action_id": key.id if key.kind == ItemKind.ACTION else None}
