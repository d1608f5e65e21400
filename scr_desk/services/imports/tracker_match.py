"""A tracker's reading matched to the database, every number, code, name and position settled in
the plan before anything is written (a plan that would break a constraint is a planner bug).

A tracker never silently rewrites an existing item: what defines it (its text, number, lead, target,
owner…) is filled where the database has nothing, and where the two differ each field's value now and
in the file is shown and taken only by the lead's choice (`--on-conflict file`, or the preview). Its
progress lands as dated updates, which move the item's status and RAG only forward in time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scr_desk.db.models import NAME_LENGTH, Action, Agency, AgencyAlias, Recommendation, Review, Update
from scr_desk.domain.contacts import suggest_code
from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, ReviewType, Scope, Status
from scr_desk.domain.names import clean_name, name_key
from scr_desk.domain.rules import natural_key, next_number, review_code
from scr_desk.excel.tracker_model import ReadItem, ReadReview
from scr_desk.services.imports.plan import FieldChange

LABELS = {"text": "Text", "number": "Number", "lead_agency": "Lead agency", "owner_agency": "Owner agency",
          "target_date": "Target date", "revised_target_date": "Revised target date", "target_note": "Target note",
          "owner_name": "Named owner", "scope": "Scope", "success_measure": "Success measure"}
LIMITS = {"number": 20, "owner_name": 200, "target_note": 500, "author": 200}


@lru_cache(maxsize=8192)
def clean(text: str, limit: int | None = None) -> str:
    """A name or short text as stored: nothing invisible or unwritable, spaces folded (as every name
    is cleaned on its way in: domain/names); cut at a word only where a field has a limit (the whole
    words are kept in the update)."""
    text = clean_name(str(text))
    if limit and len(text) > limit:
        text = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def same(one: Any, other: Any) -> bool:
    if isinstance(one, str) or isinstance(other, str):
        return " ".join(str(one or "").casefold().split()) == " ".join(str(other or "").casefold().split())
    return bool(one == other)


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_uk(value)
    return str(getattr(value, "value", value))


@dataclass
class ReviewTarget:
    key: str
    name: str
    code: str
    review_type: ReviewType
    partnership: str
    existing: Review | None = None
    summary: str = ""  # the whole title, where the name had to be shortened


@dataclass
class ItemTarget:
    item: ReadItem
    kind: ItemKind
    review: ReviewTarget
    parent: ItemTarget | None = None
    existing: Recommendation | Action | None = None
    number: str = ""
    position: int = 0
    create: dict[str, Any] = field(default_factory=dict)  # a new item's fields
    fill: dict[str, Any] = field(default_factory=dict)  # fields the database has empty
    take: dict[str, Any] = field(default_factory=dict)  # fields that differ: the file's, taken by choice
    differs: list[FieldChange] = field(default_factory=list)
    moves: dict[str, Any] = field(default_factory=dict)  # status, RAG moved by the newest update
    updates: list[dict[str, Any]] = field(default_factory=list)
    lead: str = ""  # agency names, settled against the database
    contributors: list[str] = field(default_factory=list)
    db_id: int = 0  # set as it is written

    @property
    def label(self) -> str:
        if self.kind == ItemKind.ACTION and self.parent is not None:
            return f"{self.review.name} R{self.parent.number} action {self.number}"
        return f"{self.review.name} R{self.number}"


class Registry:
    """What the database holds for the reviews and agencies a tracker names, read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.reviews = list(session.scalars(select(Review)))
        self.codes = {r.code.casefold() for r in self.reviews}
        self.agencies: dict[str, Agency] = {}  # by name key (NFKC, case folded): name, code, old names
        for agency in session.scalars(select(Agency)):
            self.agencies.setdefault(name_key(agency.name), agency)
            self.agencies.setdefault(name_key(agency.code), agency)
        for alias in session.scalars(select(AgencyAlias)):  # a name merged away finds what it became
            merged = session.get(Agency, alias.agency_id)
            if merged is not None:
                self.agencies.setdefault(name_key(alias.name), merged)
        self.agency_codes = {name_key(a.code) for a in self.agencies.values()}
        self.new_agencies: dict[str, tuple[str, str]] = {}  # name key -> (name, code)
        self.recs: dict[int, list[Recommendation]] = {}
        self.actions: dict[int, list[Action]] = {}
        self.newest: dict[ItemKey, date] = {}
        self.seen: dict[ItemKey, set[tuple[str, str]]] = {}
        self.latest_words: dict[ItemKey, str] = {}

    def load(self, review_ids: list[int]) -> None:
        recs = list(self.session.scalars(select(Recommendation).where(Recommendation.review_id.in_(review_ids))))
        for rec in recs:
            self.recs.setdefault(rec.review_id, []).append(rec)
        rec_ids = [r.id for r in recs]
        actions = list(self.session.scalars(select(Action).where(Action.recommendation_id.in_(rec_ids))))
        for action in actions:
            self.actions.setdefault(action.recommendation_id, []).append(action)
        action_ids = [a.id for a in actions]
        rows = self.session.execute(
            select(Update.recommendation_id, Update.action_id, Update.period, Update.narrative, Update.as_at)
            .where(Update.recommendation_id.in_(rec_ids) | Update.action_id.in_(action_ids))
            .order_by(Update.as_at, Update.created_at))
        for rec_id, action_id, period, narrative, as_at in rows:
            key = ItemKey.pointed_at(rec_id, action_id)
            self.seen.setdefault(key, set()).add((period, words(narrative)))
            self.latest_words[key] = words(narrative)
            if as_at is not None:
                self.newest[key] = max(self.newest.get(key, as_at), as_at)

    def agency(self, name: str) -> str:
        """The stored name of the agency `name` names, settling a new one's unique name and code."""
        name = clean(name, NAME_LENGTH)
        key = name_key(name)
        if key in self.agencies:
            return self.agencies[key].name
        if key not in self.new_agencies:
            code = suggest_code(name)
            wanted, n = code, 1
            while name_key(code) in self.agency_codes:
                n += 1
                code = f"{wanted[:28]}{n}"
            self.agency_codes.add(name_key(code))
            self.new_agencies[key] = (name, code)
        return self.new_agencies[key][0]

    def free_code(self, name: str, wanted: str = "") -> str:
        base = re.sub(r"[^A-Za-z0-9]+", "", (wanted or review_code(name)).upper())[:12] or "REVIEW"
        code, n = base, 1
        while code.casefold() in self.codes:
            n += 1
            code = f"{base[:12 - len(str(n))]}{n}"
        self.codes.add(code.casefold())
        return code


def words(text: str | None) -> str:
    return " ".join(str(text or "").split()).casefold()


def review_target(registry: Registry, review: ReadReview, chosen: dict[str, str]) -> ReviewTarget:
    """The review as the lead confirmed it (name, code, type, partnership), matched by name to one
    the database holds when the types agree."""
    name = clean(chosen.get("name") or review.name)
    summary = ""
    if len(name) > 200:
        summary, name = name, clean(name, 200)
    try:
        review_type = ReviewType.from_text(chosen.get("type") or review.review_type)
    except ValueError:
        review_type = ReviewType.OTHER
    existing = next((r for r in registry.reviews if r.name.casefold() == name.casefold()
                     and (r.review_type == review_type or ReviewType.OTHER in (r.review_type, review_type))), None)
    if existing is None and any(r.name.casefold() == name.casefold() for r in registry.reviews):
        name = f"{name} ({review_type.short})"  # a review of this name and another type is another review
        existing = next((r for r in registry.reviews if r.name.casefold() == name.casefold()), None)
    if existing is not None:
        return ReviewTarget(review.key, existing.name, existing.code, existing.review_type, existing.partnership,
                            existing)
    wanted = chosen.get("code", "")
    code = registry.free_code(name, wanted)
    partnership = clean(chosen.get("partnership") or review.partnership, 200)
    return ReviewTarget(review.key, name, code, review_type, partnership, None, summary)


def settle_number(wanted: str, taken: set[str]) -> str:
    """`wanted` when free among `taken` (case-folded) and short enough, else the next free number."""
    if wanted and len(wanted) <= LIMITS["number"] and wanted.casefold() not in taken:
        return wanted
    return next_number(taken)


def taken_numbers(items: list[Any]) -> set[str]:
    return {str(i.number).casefold() for i in items}


def sorted_numbers(numbers: set[str]) -> list[str]:
    return sorted(numbers, key=natural_key)


def item_fields(item: ReadItem, kind: ItemKind) -> dict[str, Any]:
    """The fields the file gives the item, as stored (names and notes within their limits)."""
    values = item.values
    found: dict[str, Any] = {"text": item.text}
    for name in ("target_date", "revised_target_date"):
        if values.get(name) is not None:
            found[name] = values[name]
    if values.get("target_note"):
        found["target_note"] = clean(values["target_note"], LIMITS["target_note"])
    if kind == ItemKind.ACTION:
        if values.get("owner_name"):
            found["owner_name"] = clean(values["owner_name"], LIMITS["owner_name"])
        if values.get("success_measure"):
            found["success_measure"] = values["success_measure"]
    else:
        scope = values.get("scope")
        if isinstance(scope, Scope):
            found["scope"] = scope
        if item.themes or values.get("themes"):
            found["themes"] = "; ".join(dict.fromkeys([*item.themes, *values.get("themes", [])]))
    return {k: v for k, v in found.items() if v not in (None, "")}


def newest_day(updates: list[dict[str, Any]]) -> date | None:
    return max((u["as_at"] for u in updates if u.get("as_at")), default=None)


def status_of(item: ReadItem, has_updates: bool) -> Status | None:
    status = item.values.get("status")
    if status is None and has_updates:
        return Status.IN_PROGRESS  # an item that arrives with progress has begun
    return status if isinstance(status, Status) else None


def count_of(model: Any, column: Any, where: Any, session: Session) -> int:
    return int(session.scalar(select(func.max(column)).where(where)) or 0)
