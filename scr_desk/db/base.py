"""Declarative base with deterministic constraint names (Alembic batch mode needs them)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from scr_desk.db.types import TolerantDate, TolerantDateTime

__all__ = ["Base", "NAMING_CONVENTION", "new_uid", "utc_now"]


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Dates and times read tolerantly: one stored as other text reads as none (`check` lists it).
    type_annotation_map = {date: TolerantDate(), datetime: TolerantDateTime()}


def new_uid() -> str:
    """A stable key that survives export, re-import and a move to another database."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
