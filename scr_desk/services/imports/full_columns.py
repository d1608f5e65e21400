"""Typing a full workbook's cells, a column at a time, and what the database already holds that a
new record must not clash with. Both are worked out once per sheet or per import, never per row:
a large partnership's full workbook has more than a million records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from scr_desk.db.models import Action, Agency, Attendee, Decision, Meeting, Recommendation, Review, Update
from scr_desk.domain.dates import DateError
from scr_desk.domain.enums import AssuranceDecision, Rag, ReviewStatus, ReviewType, Scope, SourceKind, Status
from scr_desk.domain.names import name_key
from scr_desk.excel.values import as_date, as_text, cell_name

MODELS: dict[str, Any] = {"Agencies": Agency, "Reviews": Review, "Recommendations": Recommendation,
                          "Actions": Action, "Meetings": Meeting, "Attendees": Attendee, "Updates": Update,
                          "Decisions": Decision}
TABLES: dict[str, Table] = {sheet: cast(Table, model.__table__) for sheet, model in MODELS.items()}
ENUMS: dict[str, Any] = {"review_type": ReviewType, "status": None, "scope": Scope, "rag": Rag,
                         "source_kind": SourceKind, "decision": AssuranceDecision}
# Foreign keys given as uids in the workbook: column -> (id column, sheet the uid belongs to)
PARENTS = {"review_uid": ("review_id", "Reviews"), "recommendation_uid": ("recommendation_id", "Recommendations"),
           "action_uid": ("action_id", "Actions"), "lead_agency_uid": ("lead_agency_id", "Agencies"),
           "owner_agency_uid": ("owner_agency_id", "Agencies"), "agency_uid": ("agency_id", "Agencies"),
           "meeting_uid": ("meeting_id", "Meetings")}
PARENT_SHEETS = sorted({sheet for _, sheet in PARENTS.values()})
NOT_COMPARED = frozenset({"contributor_uids", "uid", "version", *PARENTS})

Reader = Callable[[Any], Any]


class Invalid(Exception):
    """A cell that is not what its column holds; `column` names it for the user."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class SheetColumns:
    """How one sheet's cells become a record's typed values: (key, 0-based column, reader)."""

    sheet: str
    readers: tuple[tuple[str, int, Reader], ...]  # in this order: the keys of every record's typed values
    compared: tuple[str, ...]  # the fields a record present in both is compared on, in table order
    uid_column: int  # 1-based, for naming the cell of a missing uid

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.readers)

    def convert(self, row: int, cells: list[Any]) -> dict[str, Any]:
        """Typed column values for the model, parents still as uids, from the row's cells (as the
        reader gave them, by 0-based column); raises Invalid."""
        out: dict[str, Any] = {}
        width = len(cells)
        for key, column, read in self.readers:
            try:
                out[key] = read(cells[column] if column < width else None)
            except (ValueError, DateError) as exc:
                raise Invalid(f"{key} ({cell_name(row, column + 1)})", str(exc)) from None
        if not out.get("uid"):
            raise Invalid(f"uid ({cell_name(row, self.uid_column)})", "every record needs its uid")
        return out


def sheet_columns(sheet: str, columns: dict[str, int], date1904: bool) -> SheetColumns:
    """The readers for the columns this sheet has (extras such as names and references are for
    people and are not read)."""
    table_columns = {c.key: c for c in TABLES[sheet].columns}
    readers: list[tuple[str, int, Reader]] = []
    for key, column in columns.items():
        if key in PARENTS or key == "contributor_uids":
            readers.append((key, column - 1, as_text))
        elif key in table_columns:
            readers.append((key, column - 1, _reader(key, table_columns[key], date1904, sheet)))
    compared = tuple(c.key for c in TABLES[sheet].columns if c.key in columns and c.key not in NOT_COMPARED)
    return SheetColumns(sheet, tuple(readers), compared, columns.get("uid", 1))


def _reader(key: str, column: Any, date1904: bool, sheet: str) -> Reader:
    python_type = column.type.python_type if hasattr(column.type, "python_type") else str
    nullable = bool(column.nullable)
    if key in ENUMS:
        return _enum_reader(ENUMS[key] or (ReviewStatus if sheet == "Reviews" else Status), nullable)
    if python_type is datetime:
        return lambda raw: datetime.fromisoformat(text) if (text := as_text(raw)) else None
    if python_type.__name__ == "date":
        # The full workbook restores what the database held, dates the lead kept outside
        # 2000–2100 included; partners' returns and trackers are held to that range.
        return lambda raw: as_date(raw, date1904=date1904, allow_any=True)
    if python_type is int:
        return _whole_number
    return lambda raw: _text_value(raw, nullable)


def _enum_reader(kind: Any, nullable: bool) -> Reader:
    parse = Rag.parse if kind is Rag else kind.from_text
    known: dict[str, Any] = {}  # a handful of distinct values among a million cells

    def read(raw: Any) -> Any:
        text = as_text(raw)
        if not text:
            if nullable:
                return None
            raise ValueError("a value is needed")
        if text not in known:
            member = parse(text)  # raises ValueError, naming the value
            if len(known) < 1000:
                known[text] = member
            return member
        return known[text]
    return read


def _whole_number(raw: Any) -> int | None:
    if raw.__class__ is int:
        return int(raw)
    text = as_text(raw)
    return int(float(text)) if text else None


def _text_value(raw: Any, nullable: bool) -> Any:
    if raw.__class__ is str and raw.strip():
        return raw  # kept as written: the full workbook restores text exactly
    text = as_text(raw)
    if not text and nullable:
        return None
    return raw if isinstance(raw, str) else text


class Taken:
    """Names, codes and numbers the database already uses, read once: a new record that takes
    one a different record holds is refused (they must be unique)."""

    def __init__(self, session: Session) -> None:
        agencies = session.execute(select(Agency.uid, Agency.name_key, Agency.code)).all()
        # Names are matched as the database keeps them unique: by their key (NFKC, case-folded).
        self.agency: dict[str, dict[Any, str]] = {"name": {key: uid for uid, key, _ in agencies},
                                                  "code": {code: uid for uid, _, code in agencies}}
        self.review_code: dict[Any, str] = dict(session.execute(select(Review.code, Review.uid)).all())
        self.rec_number = {(review_uid, number): uid for review_uid, number, uid in session.execute(
            select(Review.uid, Recommendation.number, Recommendation.uid).join_from(Recommendation, Review))}

    def clash(self, sheet: str, values: dict[str, Any], exists: bool) -> str:
        uid = values["uid"]
        if sheet == "Agencies":
            for column, wanted in (("name", name_key(str(values.get("name") or ""))), ("code", values.get("code"))):
                other = self.agency[column].get(wanted)
                if other and other != uid:
                    return f"another agency already has the {column} {values.get(column)!r}"
        elif sheet == "Reviews":
            other = self.review_code.get(values.get("code"))
            if other and other != uid:
                return f"another review already uses the code {values.get('code')!r}"
        elif sheet == "Recommendations" and not exists and (values.get("review_uid"), values.get("number")) \
                in self.rec_number:
            return f"the review already has a recommendation numbered {values.get('number')!r}"
        return ""
