"""The one way files are imported, by the command line and the window alike.

Its first half is the preview (`importer.plan_import`): each file read and planned against the
database, nothing written. Its second half (`import_files`) holds the writer lock and one write
transaction throughout: each plan is made, or checked, under the lock, after everything written
before it, so all the files land or none does, and the same return given twice (in one command,
or by two processes at once) lands once. A plan made earlier for the preview is used as the lead
saw it only if nothing has been recorded since; otherwise it is made again under the lock and
must come out the same, or nothing is imported and the lead is asked to look again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from scr_desk.db.engine import Database
from scr_desk.db.errors import describe_storage_error
from scr_desk.domain.enums import ImportKind
from scr_desk.excel.guard import WorkbookError
from scr_desk.services.audit import newest_audit_id
from scr_desk.services.imports.apply import ApplyResult, ImportRefused, Progress, refuse_unless_applicable, write_plan
from scr_desk.services.imports.importer import ReadFile, file_hash, plan_read, read_file
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, Issue, Outcome
from scr_desk.services.imports.tracker_questions import AnswersError, check_answers

__all__ = ["Choices", "Imported", "apply_plan", "import_files", "read_files", "unreadable"]


@dataclass(frozen=True)
class Choices:
    """What to do where the lead would be asked in the preview."""

    on_conflict: ConflictChoice | None = None  # None: each kind's default (a return's left out, a tracker's
    # progress added with the database's values kept)
    proposals: ConflictChoice = ConflictChoice.DATABASE  # a contributor's proposal: record only


@dataclass(frozen=True)
class Imported:
    """What an import did: each file's plan (as carried out), whether anything was written, and
    each plan's batch and counts when it was."""

    plans: list[ImportPlan]
    applied: bool
    results: list[ApplyResult]


class _NothingToKeep(Exception):
    """Raised inside the transaction to roll it back (a dry run, or a file with errors)."""


def unreadable(path: Path, error: WorkbookError) -> ImportPlan:
    """The plan of a file that could not be read at all: one error, nothing to do."""
    plan = ImportPlan(Path(path), "", None)
    plan.file_errors.append(Issue(error.sheet, error.row, error.reason))
    return plan


def read_files(paths: Sequence[Path]) -> list[ReadFile | ImportPlan]:
    """Each file read and recognised (no database needed), or the plan of one that cannot be."""
    reads: list[ReadFile | ImportPlan] = []
    for path in paths:
        try:
            reads.append(read_file(path))
        except WorkbookError as exc:
            reads.append(unreadable(path, exc))
    return reads


def apply_plan(database: Database, plan: ImportPlan, progress: Progress | None = None) -> ApplyResult:
    """Carry out one plan the lead has previewed, with the choices made there (the window's Apply).
    A plan with errors is refused, saying the first."""
    refuse_unless_applicable(plan)
    done = import_files(database, [plan], choices=None, progress=progress)
    return done.results[0] if done.results else ApplyResult(0, plan.counts(), None)


def import_files(database: Database, items: Sequence[Path | ReadFile | ImportPlan], *, dry_run: bool = False,
                 choices: Choices | None = Choices(), today: date | None = None,
                 answers: dict[str, Any] | None = None, settle_home: bool = False,
                 progress: Progress | None = None) -> Imported:
    """Import `items` (files, files already read, or plans previewed) together. `choices` None keeps
    the choices made in each previewed plan; `answers` answer hand-made trackers' questions.
    `settle_home`: the database was opened without settling which file it is (a dry run): do it
    first, inside the transaction. Raises ImportRefused when a previewed plan no longer holds."""
    reads = [read_files([item])[0] if isinstance(item, Path) else item for item in items]
    plans: list[ImportPlan] = []
    results: list[ApplyResult] = []
    try:
        with database.writer_lock("an import"), database.write_transaction() as session:
            if settle_home:
                from scr_desk.db.home import settle_home as settle
                settle(session, database.path)  # (the caller asks only for a file)
            backup: Path | None = None
            backed_up = False
            for read in reads:
                plan = _current_plan(session, read, today, answers, progress)
                if choices is not None:
                    _choose(plan, choices)
                plans.append(plan)
                if not all(p.can_apply for p in plans) or not plan.has_changes:
                    continue
                if not dry_run and not backed_up:  # the state before any of these files, taken once
                    backup, backed_up = database.backup("before-import"), True
                # Written even in a dry run (and rolled back at the end), so that each file is planned
                # with the earlier ones' changes in view: a dry run predicts the real run exactly.
                results.append(write_plan(session, plan, backup, progress))
                session.flush()
            if answers:  # before anything is kept (or remembered): a wrong answer is an error, not a default
                check_answers(answers, [q for p in plans for q in p.questions],
                              rows={r.reading["id"] for p in plans for r in p.rows if r.reading.get("id")},
                              sheets={s["sheet"] for p in plans for s in p.details.get("sheets", [])})
            if dry_run or not all(p.can_apply for p in plans) or not any(p.has_changes for p in plans):
                raise _NothingToKeep
    except _NothingToKeep:
        return Imported(plans, False, [])
    except (ImportRefused, AnswersError):
        raise
    except Exception as exc:  # the transaction has rolled back: say why in the user's terms
        meaning = describe_storage_error(exc, database.file)
        if meaning is None:
            raise
        named = reads[0].path.name if len(reads) == 1 else database.name
        raise ImportRefused(f"{named}: {meaning}.") from exc
    database.checkpoint()  # idle means whole: the .sqlite alone now holds the import
    return Imported(plans, True, results)


def _current_plan(session: Session, read: ReadFile | ImportPlan, today: date | None,
                  answers: dict[str, Any] | None, progress: Progress | None) -> ImportPlan:
    if isinstance(read, ReadFile):
        return _plan(session, read, today, answers, progress)
    if read.source is None or read.seen_change == newest_audit_id(session):
        return read  # unreadable, or previewed with nothing recorded since: as the lead saw it
    return _planned_again(session, read, progress)


def _planned_again(session: Session, previewed: ImportPlan, progress: Progress | None) -> ImportPlan:
    """Something was recorded after the preview (another import, an edit in another window): plan
    the file again under the lock, with the same corrections, and carry out the lead's choices only
    if it comes out as they saw it."""
    assert previewed.source is not None
    name = previewed.path.name
    try:
        unchanged = file_hash(previewed.path) == previewed.file_hash
    except OSError:
        unchanged = False
    if not unchanged:
        raise ImportRefused(f"{name} was changed, moved or deleted after the preview; nothing was imported. "
                            "Preview the file again.")
    source = previewed.source
    plan = plan_read(session, read_file(previewed.path), today=source.today, mapping=source.mapping,
                     answers=source.answers, progress=progress)
    if _shape(plan) != _shape(previewed):
        raise ImportRefused(f"{name}: the database changed after the preview was made (another import or an "
                            "edit), and the file would now import differently; nothing was imported. "
                            "Preview the file again.")
    for now, seen in zip(plan.rows, previewed.rows, strict=True):
        now.choice = seen.choice
    return plan


def _shape(plan: ImportPlan) -> tuple[Any, ...]:
    """What the lead judged in the preview: each row's outcome and the changes it brings."""
    return (plan.counts(), [(r.sheet, r.row, r.outcome, r.reference, r.changes, r.proposal) for r in plan.rows])


def _choose(plan: ImportPlan, choices: Choices) -> None:
    for row in plan.rows:
        if row.outcome is Outcome.CONFLICT and choices.on_conflict is not None:
            row.choice = choices.on_conflict
        elif row.outcome is Outcome.CONFLICT and plan.kind != ImportKind.LEGACY:
            row.choice = ConflictChoice.SKIP
        elif row.proposal:
            row.choice = choices.proposals


def _plan(session: Session, read: ReadFile, today: date | None, answers: dict[str, Any] | None,
          progress: Progress | None) -> ImportPlan:
    """A file whose layout turns out to be broken (a column deleted, say) gets a plan with that one
    error, so every other file is still planned and reported."""
    try:
        return plan_read(session, read, today=today, answers=answers, progress=progress)
    except WorkbookError as exc:
        plan = unreadable(read.path, exc)
        plan.kind = read.kind
        return plan
