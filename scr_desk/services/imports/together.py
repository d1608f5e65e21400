"""Several files imported by one command: read first, then planned and applied together in one
transaction that holds the write lock throughout. All of them land or none does, and the same
return given twice (in one command, or by two processes at once) lands once: each plan is made
under the lock, after everything written before it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from scr_desk.db.engine import Database
from scr_desk.db.errors import describe_storage_error
from scr_desk.excel.guard import WorkbookError
from scr_desk.services.imports.apply import ImportRefused, write_plan
from scr_desk.services.imports.importer import ReadFile, plan_read, read_file
from scr_desk.services.imports.plan import ConflictChoice, ImportPlan, Issue, Outcome
from scr_desk.services.imports.tracker_questions import AnswersError, check_answers


@dataclass(frozen=True)
class Choices:
    """What to do where the lead would be asked in the preview."""

    on_conflict: ConflictChoice = ConflictChoice.SKIP
    proposals: ConflictChoice = ConflictChoice.DATABASE  # a contributor's proposal: record only


class _NothingToKeep(Exception):
    """Raised inside the transaction to roll it back (a dry run, or a file with errors)."""


def unreadable(path: Path, error: WorkbookError) -> ImportPlan:
    """The plan of a file that could not be read at all: one error, nothing to do."""
    plan = ImportPlan(Path(path), "", None)
    plan.file_errors.append(Issue(error.sheet, error.row, error.reason))
    return plan


def _choose(plan: ImportPlan, choices: Choices) -> None:
    for row in plan.rows:
        if row.outcome is Outcome.CONFLICT:
            row.choice = choices.on_conflict
        elif row.proposal:
            row.choice = choices.proposals


def _plan(session: Session, read: ReadFile, today: date | None, answers: dict[str, Any] | None = None) -> ImportPlan:
    """A file whose layout turns out to be broken (a column deleted, say) gets a plan with that one
    error, so every other file is still planned and reported."""
    try:
        return plan_read(session, read, today=today, answers=answers)
    except WorkbookError as exc:
        plan = unreadable(read.path, exc)
        plan.kind = read.kind
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


def import_together(database: Database, paths: Sequence[Path | ReadFile | ImportPlan], *, dry_run: bool = False,
                    choices: Choices = Choices(), today: date | None = None,
                    answers: dict[str, Any] | None = None,
                    settle_home: bool = False) -> tuple[list[ImportPlan], bool]:
    """(each file's plan, whether anything was written); `paths` may hold files already read
    (`read_files`); `answers` answer hand-made trackers' questions. `settle_home`: the database
    was opened without settling which file it is (a dry run): do it first, inside the transaction."""
    reads = [read_files([item])[0] if isinstance(item, Path) else item for item in paths]
    plans: list[ImportPlan] = []
    backup: Path | None = None
    backed_up = False
    try:
        with database.write_transaction() as session:
            if settle_home:
                from scr_desk.db.home import settle_home as settle
                settle(session, database.path)  # (the caller asks only for a file)
            for read in reads:
                plan = read if isinstance(read, ImportPlan) else _plan(session, read, today, answers)
                _choose(plan, choices)
                plans.append(plan)
                if not all(p.can_apply for p in plans) or not plan.has_changes:
                    continue
                if not dry_run and not backed_up:  # the state before any of these files, taken once
                    backup, backed_up = database.backup("before-import"), True
                # Written even in a dry run (and rolled back at the end), so that each file is planned
                # with the earlier ones' changes in view: a dry run predicts the real run exactly.
                write_plan(session, plan, backup)
                session.flush()
            if answers:  # before anything is kept (or remembered): a wrong answer is an error, not a default
                check_answers(answers, [q for p in plans for q in p.questions])
            if dry_run or not all(p.can_apply for p in plans) or not any(p.has_changes for p in plans):
                raise _NothingToKeep
    except _NothingToKeep:
        return plans, False
    except (ImportRefused, AnswersError):
        raise
    except Exception as exc:
        meaning = describe_storage_error(exc, database.file)
        if meaning is None:
            raise
        raise ImportRefused(f"{database.name}: {meaning}.") from exc
    return plans, True
