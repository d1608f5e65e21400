"""Coercers that turn what a user typed or a file held into a validated field value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from scr_desk.db.models import Agency
from scr_desk.domain.dates import DateError, UnusualDateError, check_sane, coerce_date
from scr_desk.domain.enums import LabelledEnum, Rag
from scr_desk.services.errors import ValidationError

__all__ = [
    "UnusualDateValue", "agency_id", "as_ids", "as_int", "enum_value", "free_value", "optional_date",
    "required_date", "split_themes", "text", "themes",
]


E = TypeVar("E", bound=Enum)
_SURROGATE = re.compile("[\ud800-\udfff]")


def text(name: str, *, required: bool = False, max_length: int | None = None
         ) -> Callable[[Session, Any], str]:
    def coerce(_session: Session, value: Any) -> str:
        result = "" if value is None else str(value).strip()
        if _SURROGATE.search(result):
            raise ValidationError(name, "contains a broken character (a lone UTF-16 surrogate) that cannot be stored")
        if required and not result:
            raise ValidationError(name, "must not be empty")
        if max_length and len(result) > max_length:
            raise ValidationError(name, f"is longer than {max_length} characters")
        return result
    return coerce


class UnusualDateValue(ValidationError):
    """A real date outside 2000–2100: the window may keep it once the lead says it is meant."""

    def __init__(self, field: str, value: date, message: str) -> None:
        super().__init__(field, message)
        self.value = value


def optional_date(name: str) -> Callable[[Session, Any], date | None]:
    def coerce(_session: Session, value: Any) -> date | None:
        try:
            return check_sane(coerce_date(value))
        except UnusualDateError as exc:
            raise UnusualDateValue(name, exc.value, str(exc)) from None
        except DateError as exc:
            raise ValidationError(name, str(exc)) from None
    return coerce


def required_date(name: str) -> Callable[[Session, Any], date]:
    optional = optional_date(name)

    def coerce(session: Session, value: Any) -> date:
        result = optional(session, value)
        if result is None:
            raise ValidationError(name, "a date is needed")
        return result
    return coerce


def enum_value(name: str, kind: type[LabelledEnum], *, optional: bool = False
               ) -> Callable[[Session, Any], Any]:
    def coerce(_session: Session, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if optional:
                return None
            raise ValidationError(name, "must be chosen")
        if isinstance(value, kind):
            return value
        try:
            if kind is Rag:
                return Rag.parse(str(value))
            return kind.from_text(str(value))
        except ValueError as exc:
            raise ValidationError(name, str(exc)) from None
    return coerce


def agency_id(name: str) -> Callable[[Session, Any], int | None]:
    def coerce(session: Session, value: Any) -> int | None:
        if value is None or value == "":
            return None
        if session.get(Agency, int(value)) is None:
            raise ValidationError(name, f"there is no agency with id {value}")
        return int(value)
    return coerce


def themes(_session: Session, value: Any) -> str:
    """Theme tags, stored as one '; '-separated string in a stable, de-duplicated order."""
    if value is None:
        return ""
    parts: Iterable[str] = value.split(";") if isinstance(value, str) else value
    seen: dict[str, str] = {}
    for part in parts:
        tag = " ".join(str(part).split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return "; ".join(seen.values())


def split_themes(stored: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in stored.split(";") if t.strip())


def free_value(session: Session, column: Any, wanted: str) -> str:
    """`wanted`, or `wanted2`, `wanted3`…: the first not yet used in a unique column (codes)."""
    from sqlalchemy import select
    value, n = wanted, 1
    while session.scalar(select(column).where(column == value).limit(1)) is not None:
        n += 1
        value = f"{wanted}{n}"
    return value


def as_int(name: str, value: object) -> int:
    """A whole number given by a caller (a position, an id), or a ValidationError."""
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise ValidationError(name, f"{value!r} is not a whole number")
    try:
        return int(value)
    except ValueError:
        raise ValidationError(name, f"{value!r} is not a whole number") from None


def as_ids(name: str, value: object) -> list[int]:
    """Record ids given by a caller (contributing agencies, say)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(name, "expected a list of ids")
    return [as_int(name, v) for v in value]
