"""Column types that read whatever a file holds without crashing, and show it for what it is.

SQLite stores any value in any column. A file written by a newer version (a status this version
does not know), edited by another tool (a date typed as "01/02/2020"), or made to hurt (bytes in
a text field) must still open, dump, export and show. So:

- an enum value this version does not know becomes an *unknown member*: an instance of the enum
  whose value is the stored text, marked `unknown`, equal to no known member (never closed, never
  done), and shown as "<text> (unknown)";
- a date that is not an ISO date reads as no date (`check` lists it with its stored text);
- bytes or a number in a text column read as text, bytes marked "(bytes)".

Values the app writes are always the proper types, so these only widen what is read.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.types import TypeDecorator

__all__ = [
    "BYTES_MARK", "CleanName", "TolerantDate", "TolerantDateTime", "TolerantEnum", "TolerantString", "TolerantText",
    "UNKNOWN_MARK", "unknown_member",
]


UNKNOWN_MARK = "(unknown)"
BYTES_MARK = "(bytes) "


def unknown_member(kind: type[Enum], raw: str) -> Any:
    """A stand-in member of `kind` for a stored value it does not define."""
    # A str enum's member, made by hand for a value the enum does not define.
    member: Any = str.__new__(kind, raw)  # type: ignore[type-var]
    member._value_ = raw
    member._name_ = "UNKNOWN"
    member.unknown = True
    return member


def _text(value: Any) -> Any:
    if value is None or type(value) is str:
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return BYTES_MARK + bytes(value).decode("utf-8", errors="backslashreplace")
    return str(value)


class TolerantEnum(TypeDecorator[Any]):
    """An enum stored by its value as text (VARCHAR(60)), read tolerantly."""

    impl = String(60)
    cache_ok = True

    def __init__(self, kind: type[Enum]) -> None:
        super().__init__()
        self.kind = kind
        self.enum_class = kind  # what SQLAlchemy's Enum calls it, for code that looks

    @property
    def python_type(self) -> type:
        return self.kind

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, str):
            member = self.kind._value2member_map_.get(value)
            return member.value if member is not None else value
        raise TypeError(f"{value!r} is not a {self.kind.__name__}")

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        text = _text(value)
        member = self.kind._value2member_map_.get(text)
        return member if member is not None else unknown_member(self.kind, text)


class _TolerantParsed(TypeDecorator[Any]):
    """Stored as ISO text and parsed by SQLAlchemy; a value that does not parse reads as None."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        parse = self.impl_instance.result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            if value is None:
                return None
            try:
                return parse(value) if parse else value
            except (ValueError, TypeError):
                return None
        return process


class TolerantDate(_TolerantParsed):
    """A date stored as ISO text; anything else reads as no date."""

    python_type = date  # imports choose their coercion by it
    impl = Date
    cache_ok = True


class TolerantDateTime(_TolerantParsed):
    """A timestamp stored as ISO text; anything else reads as none."""

    python_type = datetime
    impl = DateTime
    cache_ok = True


class _TolerantTextBase(TypeDecorator[Any]):
    """Text read tolerantly: bytes or undecodable text come back marked, never as a failed query."""

    python_type = str  # imports choose their coercion by it
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        return _text


class TolerantString(_TolerantTextBase):
    impl = String
    cache_ok = True


class TolerantText(_TolerantTextBase):
    impl = Text
    cache_ok = True


class CleanName(_TolerantTextBase):
    """A name, cleaned on every way in (ORM or plain insert): no control, format or unwritable
    characters, single spaces (see scr_desk.domain.names)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        from scr_desk.domain.names import clean_name
        return clean_name(value) if isinstance(value, str) else value
