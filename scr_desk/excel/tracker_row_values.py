"""Every cell of one tracker row accounted for: its values read (tracker_values), its update columns
as dated updates (tracker_updates), its evidence, completion, author and date of update on its latest
update, its words kept as text there too, and the cells that say nothing skipped with the reason."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.fills import classify
from scr_desk.excel.tracker_asks import Question
from scr_desk.excel.tracker_model import ReadUpdate
from scr_desk.excel.tracker_readings import read_target
from scr_desk.excel.tracker_rows import RowReading
from scr_desk.excel.tracker_source import Grid
from scr_desk.excel.tracker_stamps import SYSTEM_FIELD
from scr_desk.excel.tracker_updates import column_updates, order_updates
from scr_desk.excel.tracker_values import (
    Cell,
    State,
    completion_of,
    leading_rating,
    read_lead_cells,
    read_percent,
    read_rating,
    read_scope,
    read_state_word,
    read_target_cell,
)
from scr_desk.excel.tracker_vocab import ROLES, heading_field
from scr_desk.excel.values import as_text

if TYPE_CHECKING:
    from scr_desk.excel.tracker_interpret import RowInterpreter

def read_row(interp: RowInterpreter, line: RowReading, cells: dict[str, list[Cell]]) -> tuple[State, list[ReadUpdate]]:
    ctx, grid, layout = interp.values, interp.grid, line.layout
    assert layout is not None
    state = State()
    ratings: dict[int, tuple[Rag | None, Status | None]] = {}  # update column -> the rating beside it
    for cell in sorted(cells.get("rag", []) + cells.get("status", []), key=lambda c: c.column):
        column = layout.columns.get(cell.column)
        if column is not None and column.mark_of is not None and _marked(cell.value):
            state.set("rag", column.mark_of, cell.own)  # the X under 'A': Amber
            continue
        reader = read_rating if cell.role == "rag" else read_state_word
        reader(ctx, cell, state)
        if column is not None and column.rating_of:
            ratings[column.rating_of] = (state.values.get("rag"), state.values.get("status"))
    for cell in cells.get("text", []):
        column = layout.columns.get(cell.column)
        if column is not None and column.rating_of and cell.own:  # an earlier period's rating: its update's
            earlier = State()
            read_rating(ctx, cell, earlier)
            ratings[column.rating_of] = (earlier.values.get("rag"), earlier.values.get("status"))
            state.skipped -= earlier.skipped
    if "rag" not in state.values:
        rated = layout.of("rag") or layout.of("status")
        fill = grid.fills.get((line.row, rated)) if rated else None
        if fill and (rag := classify(fill)) is not None:  # RAG given only by the cell's colour
            state.set("rag", rag, True)
    for name in ("target_date", "revised_target_date"):
        for cell in cells.get(name, []):
            read_target_cell(ctx, cell, state, name)
    read_lead_cells(cells.get("lead_agency", []) + cells.get("owner", []), state,
                    lambda text, parts, asked, other=None: _split(interp, text, parts, line, asked, other))
    for cell in cells.get("scope", []):
        read_scope(cell, state)
    for cell in cells.get("percent", []):
        share = read_percent(cell.value)
        if share is not None and cell.own:
            state.kept.append(f"{cell.heading or ROLES['percent']}: {share:.0%}")
            if share >= 1:
                state.set("status", Status.COMPLETE, cell.own)
        elif cell.own:
            state.kept.append(f"{cell.heading or ROLES['percent']}: {as_text(cell.value)}")
    for cell in cells.get("success_measure", []):
        state.set("success_measure", " ".join(as_text(cell.value).split()), cell.own)
    for cell in cells.get("theme", []):
        state.values.setdefault("themes", []).append(" ".join(as_text(cell.value).split()))
    for cell in cells.get("row_id", []):
        if cell.own:
            state.skipped += 1
            state.notes.append(f"{cell.heading or 'ID'} {as_text(cell.value)!r} ({cell.where}) is the list's own "
                               "row number")
    if interp.struck_done:
        _struck_through(interp, line, cells, state)
    by_period: list[ReadUpdate] = []
    if (held := _row_holds(cells)) in ("rag", "status"):  # a rating row: each period's rating of its update
        by_period = _period_ratings(interp, line, cells, state, held)
        cells = {**cells, "update": []}
    updates = _updates(interp, line, cells, state, ratings, by_period)
    return state, updates


STRUCK = r"(?:struck|strike[- ]?through|strikethrough|crossed (?:out|through)|lined through)"
DONE = r"(?:complete|completed|done|closed|achieved|finished|met|signed off)"
STRUCK_IS_DONE = re.compile(rf"\b{STRUCK}\b.*\b{DONE}\b|\b{DONE}\b.*\b{STRUCK}\b", re.IGNORECASE)


def struck_means_done(grid: Grid) -> bool:
    """The sheet's own key or note says words struck through are done ('Completed actions are shown
    struck through'): strike-through then carries that value, as a fill's colour does."""
    if not grid.struck:
        return False
    return any(STRUCK_IS_DONE.search(" ".join(as_text(v).split())) for row in grid.rows for v in row if
               isinstance(v, str) and len(v) <= 400)


def _struck_through(interp: RowInterpreter, line: RowReading, cells: dict[str, list[Cell]], state: State) -> None:
    """An action whose words are struck through is complete; a recommendation struck through over
    its actions is complete too (said of the row's recommendation, not of its action)."""
    grid = interp.grid

    def struck(cell: Cell) -> bool:
        row = line.row if cell.own else next((r0 + 1 for r0, c0, r1, c1 in grid.merged
                                              if c0 + 1 <= cell.column <= c1 + 1 and r0 + 1 <= line.row <= r1 + 1),
                                             line.row)
        return (row, cell.column) in grid.struck
    actions = [c for c in cells.get("action_text", []) if c.own]
    recs = cells.get("rec_text", []) + cells.get("rec_or_action", [])
    if actions and any(struck(c) for c in actions):
        state.set("status", Status.COMPLETE, True)
    if actions and any(struck(c) for c in recs):
        state.parent["status"] = Status.COMPLETE
    elif not actions and any(struck(c) for c in recs if c.own):
        state.set("status", Status.COMPLETE, True)


def _marked(value: object) -> bool:
    from scr_desk.excel.tracker_header import MARKS
    return value is True or " ".join(as_text(value).split()).casefold() in MARKS


def _row_holds(cells: dict[str, list[Cell]]) -> str | None:
    """The field a row-label column says this row holds ('RAG' -> 'rag'), else None."""
    label = next((c for c in cells.get("row_label", []) if c.own), None)
    return heading_field(as_text(label.value)) if label is not None else None


def _period_ratings(interp: RowInterpreter, line: RowReading, cells: dict[str, list[Cell]], state: State,
                    held: str) -> list[ReadUpdate]:
    """A row labelled 'RAG' across period columns: each period's rating, as that period's update
    (the row labelled 'Commentary' gives its words); the latest period's rating is the item's."""
    layout = line.layout
    assert layout is not None
    found = []
    for cell in sorted(cells.get("update", []), key=lambda c: c.column):
        if not cell.own:
            continue
        column, read = layout.columns[cell.column], State()
        (read_rating if held == "rag" else read_state_word)(interp.values, cell, read)
        state.kept += read.kept
        state.skipped += read.skipped
        rag, status = read.values.get("rag"), read.values.get("status")
        if rag is None and status is None:
            continue
        found.append(ReadUpdate("", as_at=column.day, period=column.period, guessed=column.guessed,
                                column=column.heading, where=cell.where, grid=interp.grid.name, rag=rag,
                                status=status))
        state.set(held, rag if held == "rag" else status, True)
    return found


def _split(interp: RowInterpreter, text: str, parts: list[str], line: RowReading, asked: bool,
           other: list[str] | None = None) -> list[str]:
    """A cell naming several agencies: asked, the split read as the default. A cell read as one
    agency although it has separators: a question not asked (no warning), so that the lead can
    split it in the preview or with --answers."""
    default = "; ".join(parts)
    choices = list(dict.fromkeys([default, "; ".join(other) if other else " ".join(text.split())]))
    question = interp.values.asks.ask(Question(
        f"agencies:{' '.join(text.casefold().split())}", "agencies", "lead_agency",
        f"Which agencies does {text!r} name? (the first leads, the rest contribute)", default, choices,
        asked=asked, where=f"sheet {interp.grid.name!r}, row {line.row}", written=text))
    return [p.strip() for p in str(question.value).split(";") if p.strip()]


def _updates(interp: RowInterpreter, line: RowReading, cells: dict[str, list[Cell]], state: State,
             ratings: dict[int, tuple[Rag | None, Status | None]], rated: list[ReadUpdate]) -> list[ReadUpdate]:
    ctx, grid = interp.values, interp.grid
    found: list[ReadUpdate] = list(rated)
    layout = line.layout
    assert layout is not None
    for cell in sorted(cells.get("update", []), key=lambda c: c.column):
        if not cell.own:
            continue  # an update merged down over several rows is its first row's
        column = layout.columns[cell.column]
        made, why = column_updates(column, cell.value, cell.where, grid.name, ctx.date1904,
                                   grid.comments.get((line.row, cell.column), ""),
                                   grid.links.get((line.row, cell.column), ""))
        if why:
            state.notes.append(why)
            state.skipped += 1
        if made and cell.column in ratings:
            made[-1].rag, made[-1].status = ratings[cell.column]
        for update in made:  # 'Amber – policy in draft': the writer's rating leads the words
            update.rag = update.rag or leading_rating(update.narrative)
        found += made
    evidence = []
    for cell in cells.get("evidence", []):
        if cell.own:
            evidence.append(as_text(cell.value))
    kept = list(state.kept)
    stamps = [c for c in cells.get("text", []) if c.own and c.column in layout.columns
              and layout.columns[c.column].source == SYSTEM_FIELD]
    if stamps:  # a system's ids and stamps: not progress words, skipped with the reason
        state.skipped += len(stamps)
        state.notes.append(", ".join(c.heading or "a column" for c in stamps) + " skipped: " + SYSTEM_FIELD
                           + "s, not progress words")
    for role in ("text", "raised"):
        for cell in cells.get(role, []):
            beside = layout.columns.get(cell.column)
            if cell in stamps:
                continue
            if cell.own and not (beside and beside.rating_of):
                kept.append(f"{cell.heading or ROLES.get(role, 'Note')}: {' '.join(as_text(cell.value).split())}")
    for (row, place), comment in grid.comments.items():  # comments on the row's other cells
        if row == line.row and place not in {c.column for c in cells.get("update", [])}:
            heading = layout.columns[place].heading if place in layout.columns else "a cell"
            kept.append(f"Comment on {heading}: {comment}")
    done_on, outcome = None, ""
    for cell in cells.get("completion", []):
        if cell.own:
            done_on, outcome = completion_of(ctx, cell)
            if done_on or outcome:
                state.set("status", Status.COMPLETE, True)
    if done_on is not None or outcome:
        undated = [u for u in found if u.as_at is None]
        if undated:  # the row's progress, completed on that day: its outcome
            undated[-1].as_at = undated[-1].as_at or done_on
            undated[-1].status = Status.COMPLETE
            if outcome:
                undated[-1].narrative += f"\nOutcome: {outcome}"
        elif (joined := _reported_by(found, done_on)) is not None and not outcome:
            joined.status = Status.COMPLETE  # completed within the period its latest update reports
            joined.narrative = "\n".join(x for x in (joined.narrative, f"Completed {format_uk(done_on)}") if x)
        else:
            found.append(ReadUpdate(f"Outcome: {outcome}" if outcome else "Completed", as_at=done_on,
                                    column=ROLES["completion"], where=f"sheet {grid.name!r}, row {line.row}",
                                    grid=grid.name, status=Status.COMPLETE))
    if not found and not (evidence or kept):  # who touched a row with no words of progress: kept, not lost
        kept += [f"{c.heading or ROLES['author']}: {as_text(c.value)}" for c in cells.get("author", []) if c.own]
    if not found and (evidence or kept):  # named by the file's own heading of the words it keeps
        source = next((c.heading for role in ("evidence", "text", "raised", "author") for c in cells.get(role, [])
                       if c.own and c.heading and c not in stamps), "")
        found.append(ReadUpdate("", column=source, where=f"sheet {grid.name!r}, row {line.row}", grid=grid.name))
    if not found:
        return found
    ordered = order_updates(found)
    latest = ordered[-1]
    latest.narrative = "\n".join(x for x in [latest.narrative, *kept] if x)
    latest.evidence = "\n".join(x for x in [latest.evidence, *evidence] if x)
    latest.status = latest.status or state.values.get("status")
    latest.rag = latest.rag or state.values.get("rag")
    for cell in cells.get("update_date", []):
        when = read_target(cell.value, date1904=ctx.date1904, fiscal_year=None).when
        if when is not None and cell.own:
            latest.as_at = latest.as_at or when
        elif cell.own:
            latest.narrative += f"\n{cell.heading}: {as_text(cell.value)}"
    author = next((as_text(c.value) for c in cells.get("author", []) if c.own), "") or state.values.get(
        "owner_name", "")
    for update in found:
        update.author = update.author or author
        update.agency = state.values.get("lead_agency", "")
    return found  # as written (a wrapped row runs on in the cell's last words); the reading dates them


def _reported_by(found: list[ReadUpdate], done_on: date | None) -> ReadUpdate | None:
    """The latest dated update whose reach covers a completion day (on or before its own day, within
    its period), else None: completion after the last report is progress of its own."""
    if done_on is None:
        return None
    dated = [u for u in found if u.as_at is not None or u.period is not None]
    if not dated:
        return None
    latest = max(dated, key=lambda u: u.as_at or (u.period.last_day if u.period else date.min))
    end = latest.as_at or (latest.period.last_day if latest.period else None)
    earlier = [u.as_at for u in dated if u is not latest and u.as_at is not None]
    start = latest.period.first_day if latest.period else (max(earlier) if earlier else None)
    if end is None or done_on > end or (start is not None and done_on < start):
        return None
    return latest
