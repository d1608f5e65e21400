"""Counts of what a database holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scr_desk.db.models import Action, Agency, Meeting, Recommendation, Review, Update

__all__ = ["record_counts"]


def record_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return {name: session.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (("agencies", Agency), ("reviews", Review),
                                    ("recommendations", Recommendation), ("actions", Action),
                                    ("updates", Update), ("meetings", Meeting))}
