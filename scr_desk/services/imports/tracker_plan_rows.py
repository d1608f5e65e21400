"""A tracker's plan row by row: every row of the file once, with its role, its words and its
reason when it is not an item; an item's row with what importing it does (a new item, new updates, a
field filled, or fields that differ from the database, shown for the lead to choose); and the count
of every non-empty cell (mapped, kept as text, skipped with its reason)."""

from __future__ import annotations

from scr_desk.domain.enums import ItemKind
from scr_desk.excel.tracker_model import TrackerReading
from scr_desk.services.imports.plan import ConflictChoice, FieldChange, ImportPlan, Issue, Outcome, PlannedRow
from scr_desk.services.imports.tracker_match import LABELS, ItemTarget, shown
from scr_desk.services.imports.tracker_settle import Settled


def plan_rows(plan: ImportPlan, reading: TrackerReading, settled: Settled,
              rows_out: list[tuple[PlannedRow, list[ItemTarget]]]) -> None:
    reported: dict[str, int] = {}  # item key -> the row that reports it
    new_reviews: set[str] = set()
    mapped = kept = skipped = 0
    for account in reading.accounts:
        planned = PlannedRow(account.grid, account.row, Outcome.SKIPPED)
        planned.reading = {"sheet": account.grid, "row": account.row, "role": account.role, "id": account.id}
        skipped += account.skipped
        kept += account.kept
        mapped += max(0, account.cells - account.skipped - account.kept)
        target = settled.targets.get(account.item) if account.item else None
        if target is not None and account.role == "item" and account.item not in reported:
            targets = []
            if target.parent is not None and target.parent.item.key not in reported:
                targets.append(target.parent)
                reported[target.parent.item.key] = account.row
            targets.append(target)
            reported[account.item] = account.row
            _outcome(planned, targets, new_reviews)
            planned.reading.update(item=target.label, outcome=str(planned.outcome))
            if planned.sides:
                planned.reading["differs"] = [{"field": label, "now": now, "file": file}
                                              for label, _, now, file in planned.sides]
            rows_out.append((planned, targets))
        elif target is not None:
            first = reported.get(account.item, account.row)
            planned.message = account.reason if account.role == "continuation" else \
                f"the same {target.kind.value} as row {first}: its words are added to it"
            planned.shown = {"Row": account.text[:140]}
            planned.reading.update(item=target.label, reason=planned.message, text=account.text)
        else:
            planned.message = f"not an item: {account.reason}"
            planned.shown = {"Row": account.text[:140]}
            planned.reading.update(reason=account.reason, text=account.text)
        planned.reading["outcome"] = str(planned.outcome)
        plan.rows.append(planned)
    plan.cells = {"mapped": mapped, "kept_as_text": kept, "skipped": skipped}
    targets = list(settled.targets.values())
    new = [t for t in targets if t.existing is None]
    plan.created = {"reviews": len({t.review.key for t in targets if t.review.existing is None}),
                    "recommendations": sum(1 for t in new if t.kind == ItemKind.RECOMMENDATION),
                    "actions": sum(1 for t in new if t.kind == ItemKind.ACTION)}
    registry = settled.registry
    plan.new_agencies = sorted((name for name, _ in registry.new_agencies.values()), key=str.casefold) \
        if registry is not None else []
    if plan.new_agencies:
        count = len(plan.new_agencies)
        plan.notes.append(Issue(None, None, f"{count} new {'agency' if count == 1 else 'agencies'}: "
                                + ", ".join(plan.new_agencies)))


def _outcome(planned: PlannedRow, targets: list[ItemTarget], new_reviews: set[str]) -> None:
    main = targets[-1]
    created = []
    for target in targets:
        if target.review.existing is None and target.review.key not in new_reviews:
            new_reviews.add(target.review.key)
            created.append(f"review {target.review.name} ({target.review.code})")
        if target.existing is None:
            words = f" {target.item.text[:40]!r}" if target.kind == ItemKind.ACTION else ""
            created.append(f"{target.kind.value} {target.number}{words}")
    differs = [d for t in targets for d in t.differs]
    filled = [FieldChange(n, LABELS.get(n, n), "—", shown(v)) for t in targets for n, v in t.fill.items()]
    filled += [FieldChange(n, "Status" if n == "status" else "RAG", shown(getattr(t.existing, n, None)), shown(v))
               for t in targets for n, v in t.moves.items()]
    updates = sum(len(t.updates) for t in targets)
    planned.reference = main.label
    planned.changes = tuple(filled + differs)
    planned.always = tuple(filled)
    planned.adds_update = updates > 0
    planned.updates = updates
    planned.shown = _shown(main)
    if differs:
        planned.outcome = Outcome.CONFLICT
        planned.choice = ConflictChoice.DATABASE
        planned.sides = tuple((d.label, "", d.before, d.after) for d in differs)
        planned.message = "the file differs from the database: " + "; ".join(
            f"{d.label.lower()} {_short(d.before)} now, {_short(d.after)} in the file" for d in differs)
    elif created:
        planned.outcome, planned.message = Outcome.NEW_ITEM, "new " + ", ".join(created)
    elif filled:
        planned.outcome = Outcome.CHANGED
    elif updates:
        planned.outcome = Outcome.NEW_UPDATE
    else:
        planned.outcome, planned.message = Outcome.UNCHANGED, "already in the database"
    if updates > 1:
        periods = ", ".join(dict.fromkeys(u["period"] for t in targets for u in t.updates))
        planned.message = "; ".join(x for x in (planned.message, f"{updates} updates ({periods})") if x)
    notes = [n for t in targets for n in t.item.notes]
    if notes:
        planned.message = "; ".join([planned.message, *notes]).strip("; ")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _shown(target: ItemTarget) -> dict[str, str]:
    """What the row says, for the preview: its newest update first, then its fields."""
    found: dict[str, str] = {}
    if target.item.updates:
        found["Update"] = target.item.updates[-1].narrative[:500]
    found["Text"] = target.item.text[:300]
    for name, value in target.item.values.items():
        label = LABELS.get(name) or {"status": "Status", "rag": "RAG", "lead_agency": "Lead agency"}.get(name)
        if label and value not in (None, ""):
            found[label] = shown(value)
    return found
