"""Settling a tracker's reading against the database, item by item: which review, recommendation
and action each is (by number within its own review, else by its words), the number and place a new
one gets, which of its fields fill what the database has empty and which differ (a choice), which of
its updates are new, and whether its newest update moves its status and RAG."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.rules import natural_key, period_of
from scr_desk.excel.tracker_model import ReadItem, TrackerReading
from scr_desk.services.imports.plan import FieldChange
from scr_desk.services.imports.tracker_match import (
    LABELS,
    LIMITS,
    ItemTarget,
    Registry,
    ReviewTarget,
    clean,
    item_fields,
    review_target,
    same,
    settle_number,
    shown,
    status_of,
    taken_numbers,
    words,
)

HELD_BY_PANEL = {Status.ASSURED, Status.EMBEDDED}  # a tracker never moves what the panel decided
# What defines an item: never changed by a tracker unless the lead chooses the file's, even where the
# database has nothing (a two-line file must not give another agency's item a target, say)
DEFINING = {"text", "number", "lead_agency", "owner_agency", "target_date", "revised_target_date", "target_note"}


@dataclass
class Settled:
    reviews: dict[str, ReviewTarget] = field(default_factory=dict)
    targets: dict[str, ItemTarget] = field(default_factory=dict)  # by the reading's item key
    registry: Registry | None = None


def settle(session: Session, reading: TrackerReading, chosen: dict[str, dict[str, str]]) -> Settled:
    _INDEXES.clear()
    registry = Registry(session)
    result = Settled(registry=registry)
    for key, review in reading.reviews.items():
        result.reviews[key] = review_target(registry, review, chosen.get(key, {}))
    registry.load([r.existing.id for r in result.reviews.values() if r.existing is not None])
    taken: dict[str, set[str]] = {}
    positions: dict[str, int] = {}
    used: set[int] = set()
    for key, settled_review in result.reviews.items():
        recs = registry.recs.get(settled_review.existing.id, []) if settled_review.existing else []
        taken[key] = taken_numbers(recs)
        positions[key] = max((r.position for r in recs), default=0)
    # The file's own numbers are settled first: an item the file leaves unnumbered takes a number
    # none of them wants ('Total' took 1 from the row numbered '1', which then came anew each import).
    made: dict[str, ItemTarget] = {}
    recommendations = [i for i in reading.items.values() if i.level == "recommendation"]
    for item in sorted(recommendations, key=lambda i: not i.number):
        home = result.reviews[item.review]
        recs = registry.recs.get(home.existing.id, []) if home.existing else []
        existing = _match(recs, item, used)
        target = ItemTarget(item, ItemKind.RECOMMENDATION, home, existing=existing)
        if existing is None:
            target.number = settle_number(item.number, taken[item.review])
            taken[item.review].add(target.number.casefold())
        else:
            target.number = existing.number
        made[item.key] = target
    result.targets.update((i.key, made[i.key]) for i in recommendations)  # in the file's order, for places
    action_taken: dict[str, set[str]] = {}
    actions_read = [i for i in reading.items.values() if i.level == "action"]
    for item in sorted(actions_read, key=lambda i: not i.number):
        owner = result.targets[item.parent]
        actions = registry.actions.get(owner.existing.id, []) if owner.existing is not None else []
        existing = _match(actions, item, used)
        target = ItemTarget(item, ItemKind.ACTION, owner.review, owner, existing)
        if existing is None:
            numbers = action_taken.setdefault(item.parent, taken_numbers(actions))
            target.number = settle_number(item.number, numbers)
            numbers.add(target.number.casefold())
            positions.setdefault(item.parent, max((a.position for a in actions), default=0))
        else:
            target.number = existing.number
        made[item.key] = target
    result.targets.update((i.key, made[i.key]) for i in actions_read)
    _places(result, positions)
    for target in result.targets.values():
        _fields(target, registry)
        _updates(target, registry, reading.as_at or date.today())
    for child in result.targets.values():  # a new recommendation whose actions arrive with progress has begun
        parent = child.parent  # (unless the file gives the recommendation's own status on its own row)
        if parent is not None and parent.existing is None and child.updates \
                and not isinstance(parent.item.values.get("status"), Status) \
                and parent.create.get("status") in (None, Status.NOT_STARTED):
            parent.create["status"] = Status.IN_PROGRESS
    return result


class _Index:
    """The records one review (or recommendation) holds, by number and by words, for matching."""

    def __init__(self, records: list[Any]) -> None:
        self.by_number: dict[str, Any] = {}
        self.by_words: dict[str, list[Any]] = {}
        for record in records:
            self.by_number.setdefault(record.number.casefold(), record)
            self.by_words.setdefault(words(record.text), []).append(record)


_INDEXES: dict[int, _Index] = {}


def _places(result: Settled, after: dict[str, int]) -> None:
    """New items' places among their siblings, after those the database holds: in the order of their
    numbers where the file numbers them all (an archive sheet's closed actions first), else as read."""
    groups: dict[str, list[ItemTarget]] = {}
    for target in result.targets.values():
        if target.existing is None:
            groups.setdefault(target.item.parent or target.item.review, []).append(target)
    for key, group in groups.items():
        if all(t.item.number[:1].isdigit() for t in group):  # numbers of one kind: in their order
            group = sorted(group, key=lambda t: natural_key(t.number))
        for offset, target in enumerate(group, 1):
            target.position = after.get(key, 0) + offset


def _match(candidates: list[Any], item: ReadItem, used: set[int]) -> Any:
    """The item the database holds for `item`: by its number, else by its words; never one already taken."""
    if not candidates:
        return None
    index = _INDEXES.get(id(candidates))
    if index is None:
        index = _INDEXES[id(candidates)] = _Index(candidates)
    found = None
    if item.number and not item.duplicate_of:
        found = index.by_number.get(item.number.casefold())
        found = None if found is not None and id(found) in used else found
    if found is None and item.text:
        found = next((c for c in index.by_words.get(words(item.text), []) if id(c) not in used), None)
    if found is None and not item.text and not item.number:  # no number, no words: the wordless one it made
        found = next((c for c in candidates if not (c.text or "").strip() and id(c) not in used), None)
    if found is not None:
        used.add(id(found))
    return found


def _fields(target: ItemTarget, registry: Registry) -> None:
    item = target.item
    given = item_fields(item, target.kind)
    agencies = [registry.agency(a) for a in dict.fromkeys(item.agencies) if clean(a)]
    lead_name = item.values.get("lead_agency")
    if lead_name and clean(lead_name) and registry.agency(lead_name) not in agencies:
        agencies.insert(0, registry.agency(lead_name))
    target.lead = agencies[0] if agencies else ""
    target.contributors = agencies[1:]
    if target.kind == ItemKind.ACTION and target.parent is not None and target.contributors:
        target.parent.contributors += [a for a in target.contributors if a not in target.parent.contributors]
    lead_field = "owner_agency" if target.kind == ItemKind.ACTION else "lead_agency"
    if target.existing is None:
        target.create = dict(given)
        if target.lead:
            target.create[lead_field] = target.lead
        return
    existing = target.existing
    if target.lead:
        current = getattr(existing, lead_field)
        if current is None or current.name.casefold() != target.lead.casefold():
            target.take[lead_field] = target.lead
            target.differs.append(FieldChange(lead_field, LABELS[lead_field], current.name if current else "—",
                                              target.lead))
    if item.number and not same(existing.number, item.number) and not item.duplicate_of:
        target.differs.append(FieldChange("number", LABELS["number"], existing.number, item.number))
    for name, value in given.items():
        if name == "themes":
            continue
        current = getattr(existing, name)
        if current in (None, "") and name not in DEFINING:
            target.fill[name] = value
        elif not same(current, value):
            target.take[name] = value
            target.differs.append(FieldChange(name, LABELS.get(name, name), shown(current), shown(value)))


def _updates(target: ItemTarget, registry: Registry, as_at: date) -> None:
    item = target.item
    found = []
    for update in item.updates:
        narrative = update.narrative
        if not (narrative or update.evidence or update.status or update.rag):
            continue
        found.append({"as_at": update.as_at or as_at, "period": str(update.period or period_of(update.as_at or as_at)),
                      "narrative": narrative, "evidence": update.evidence, "status": update.status, "rag": update.rag,
                      "author": clean(update.author, LIMITS["author"]), "agency": registry.agency(update.agency)
                      if clean(update.agency) else "", "dated": update.dated})
    if item.kept and not found:
        found.append({"as_at": as_at, "period": str(period_of(as_at)), "narrative": "\n".join(item.kept),
                      "evidence": "", "status": None, "rag": None, "author": "", "agency": "", "dated": False})
    status = status_of(item, bool(found))
    rag = item.values.get("rag") if isinstance(item.values.get("rag"), Rag) else None
    if target.existing is None:
        target.updates = _fresh(found, set(), "")
        if status is not None:
            target.create["status"] = status
        if rag is not None:
            target.create["rag"] = rag
        return
    key = ItemKey(target.kind, target.existing.id)
    target.updates = _fresh(found, registry.seen.get(key, set()), registry.latest_words.get(key, ""))
    newest_db = registry.newest.get(key)
    newest_file = max([u["as_at"] for u in target.updates] or [as_at])
    if newest_db is not None and newest_file < newest_db:
        return  # older than the item's newest update: it moves nothing
    existing = target.existing
    if status is not None and status != existing.status and existing.status not in HELD_BY_PANEL \
            and item.values.get("status") is not None:
        target.moves["status"] = status
    if rag is not None and rag != existing.rag and existing.status not in HELD_BY_PANEL:
        target.moves["rag"] = rag
    if target.moves and not target.updates:  # the state moved with no new words: a dated update records it
        target.updates = [{"as_at": as_at, "period": str(period_of(as_at)), "narrative": "", "evidence": "",
                           "status": target.moves.get("status"), "rag": target.moves.get("rag"), "author": "",
                           "agency": "", "dated": True}]


def _fresh(updates: list[dict[str, Any]], seen: set[tuple[str, str]], latest: str) -> list[dict[str, Any]]:
    """The updates not already held (the same words in the same period), nor next quarter's copy of a
    one-column tracker saying the same words again in a period the file does not name."""
    fresh = []
    marks = set(seen)
    held = {said for _, said in seen if said}  # words the item holds already, in whatever period
    for update in updates:
        mark = (update["period"], words(update["narrative"]))
        if mark in marks and (update["narrative"] or update["evidence"]) or mark[1] in held:
            continue
        if not update["dated"] and words(update["narrative"]) == latest and latest:
            continue
        marks.add(mark)
        fresh.append(update)
    return fresh
