"""A tracker's rows as reviews, recommendations and actions. Which review a row belongs to comes
from its review column, the section it sits in, or what names its grid; whether it is a
recommendation or an action from its columns and its reference's shape (1, 1.1, 1a, 2 (i)); which
item it is from its reference, an identity kept with its kind ('R1' is not 'AFI1'), else its words.
Two rows claiming one reference with different words are never merged silently: a question."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from scr_desk.domain.enums import ReviewType
from scr_desk.excel.tracker_asks import Question, Questions
from scr_desk.excel.tracker_header import Layout
from scr_desk.excel.tracker_history import History, account_paragraphs, join_history
from scr_desk.excel.tracker_model import Account, ReadItem, ReadReview, TrackerReading
from scr_desk.excel.tracker_read import Corrections, GridContext
from scr_desk.excel.tracker_refs import Ref, leading_ref, parse_ref
from scr_desk.excel.tracker_rows import GridRows
from scr_desk.excel.tracker_source import TrackerBook
from scr_desk.excel.tracker_titles import Named, partnership_in, review_from_line
from scr_desk.excel.tracker_values import Cell, ValueContext
from scr_desk.excel.values import as_text, cell_name

SKIPPED_ROLES = ("title", "header", "heading", "spacer", "note", "legend", "totals")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.casefold()).split())


def split_ref(value: Any) -> tuple[Ref | None, str]:
    """A cell's reference and words: '1.1' -> (1.1, ''); '1.1 Refresh the…' -> (1.1, 'Refresh the…')."""
    text = " ".join(as_text(value).split()) if not isinstance(value, str) else value.strip()
    if not text:
        return None, ""
    if len(text) <= 24 and (ref := parse_ref(value)) is not None:
        return ref, ""
    if found := leading_ref(text):
        return found
    return None, text


class Builder:
    def __init__(self, reading: TrackerReading, book: TrackerBook, asks: Questions, corrections: Corrections,
                 today: date) -> None:
        self.reading, self.book, self.asks, self.corrections, self.today = reading, book, asks, corrections, today
        self.by_name: dict[str, list[str]] = {}  # a name's casefold -> the keys of reviews of that name
        self.first_row: dict[str, tuple[str, int, str]] = {}  # item key -> (grid, row, words) that first claimed it
        self.first_ref: dict[str, str] = {}  # item key -> the reference as its first row wrote it ('3a')
        self.held: dict[str, list[tuple[int, list[Any], Any, Any]]] = {}  # item key -> each row's (order, updates,
        # status, rag): the item's state is its latest row's, once every update is dated
        self.order = 0
        self.paragraph_items: dict[tuple[str, int], str] = {}  # (table, paragraph above it) -> the item it words

    # --- reviews ---------------------------------------------------------------------------
    def review(self, named: Named, source: str, where: str, fallback_type: str, named_in: str = "") -> str:
        """The review's key, made the first time it is named. `named_in` is the cell or section line
        that named it: a partnership it names ('SAR Joan (Southdale SAB)') is that review's, before
        the one the tracker's title names."""
        review_type = named.review_type if named.review_type != "Other" else fallback_type
        name = named.name
        partnership = partnership_in(named_in) if named_in else ""
        keys = self.by_name.setdefault(name.casefold(), [])
        for key in keys:
            found = self.reading.reviews[key]
            if found.review_type == review_type or "Other" in (found.review_type, review_type):
                if partnership and not found.partnership:
                    found.partnership = partnership
                return key
        if keys:  # 'LCSPR – Child A' and 'Rapid Review – Child A' are two reviews
            name = f"{name} ({ReviewType(review_type).short})"
        key = f"{name.casefold()}|{len(self.reading.reviews)}"
        keys.append(key)
        self.reading.reviews[key] = ReadReview(key, name, review_type, source, where,
                                              partnership or self.reading.partnership)
        return key

    # --- grids -----------------------------------------------------------------------------
    def grid(self, rows: GridRows, context: GridContext) -> None:
        from scr_desk.excel.tracker_interpret import RowInterpreter
        grid = rows.grid
        chosen = self.corrections.review_of.get(grid.name)
        if chosen:
            named = review_from_line(chosen) or Named(chosen, context.review_type)
            context = GridContext(named, "chosen", "as corrected", context.review_type, context.period,
                                  context.agency)
        interpreter = RowInterpreter(self, rows, context, ValueContext(
            grid.name, self.asks, self.book.date1904, rows.layouts[0].fiscal_year, self.reading.legend,
            self.reading.read_as))
        for line in rows.rows:
            account = Account(grid.name, line.row, line.role, line.reason, line.text, cells=line.filled)
            self.reading.accounts.append(account)
            if line.role in SKIPPED_ROLES:
                account.skipped = line.filled
            elif line.role == "section":
                interpreter.section(line, account)
                account.skipped = max(0, len(line.own) - 1)  # the cells beside the line naming the review
            elif line.role == "group":
                interpreter.group(line, account)
            elif line.role == "continuation":
                interpreter.continuation(line, account)
            else:
                interpreter.item(line, account)

    # --- items ------------------------------------------------------------------------------
    def claim(self, key: str, words: str, grid: str, row: int, ref: Ref | None, what: str) -> str:
        """The item a row is about: `key`, unless another row claimed the same reference with other
        words, which is a question (default: two items, the second numbered anew)."""
        first = self.first_row.get(key)
        if first is None or not words or not first[2] or norm(first[2]) == norm(words) or ref is None:
            if first is None:
                self.first_row[key] = (grid, row, words)
                self.first_ref[key] = ref.written if ref is not None else ""
            elif words and not first[2]:
                self.first_row[key] = (first[0], first[1], words)
            return key
        question_id = f"duplicate:{grid}:{row}"
        answer = self.corrections.duplicates.get(question_id)
        earlier = self.first_ref.get(key) or ref.written
        claims = f"both claim the {what} {ref.written!r}" if norm(earlier) == norm(ref.written) else \
            f"claim the {what} {earlier!r} and {ref.written!r}, both read as {what} {ref.number!r},"
        question = self.asks.ask(Question(
            question_id, "duplicate", "reference",
            f"Rows {first[1]} ({first[0]}) and {row} ({grid}) {claims} with different "
            f"words: {first[2][:80]!r} and {words[:80]!r}. Are they one {what} or two?",
            "separate", ["separate", "same"], asked=answer is None, where=f"sheet {grid!r}, row {row}",
            written=words[:200]))
        if answer is not None:
            question.answer = answer
        if str(question.value).casefold() == "same":
            return key
        return f"{key}#{grid}:{row}"

    def item_for(self, key: str, review: str, level: str, ref: Ref | None, number: str, text: str,
                 parent: str = "") -> ReadItem:
        item = self.reading.items.get(key)
        if item is None:
            item = ReadItem(key, review, level, ref, number, text, parent)
            if "#" in key:  # the second of two rows claiming one reference: numbered anew in the plan
                item.duplicate_of, item.number = key.split("#")[0], ""
            self.reading.items[key] = item
        elif text and not item.text:
            item.text = text
        return item

    def hold_state(self, item: ReadItem, state: Any, updates: list[Any], line: Any) -> None:
        self.order += 1
        status, rag = state.values.get("status"), state.values.get("rag")
        if status is not None or rag is not None:
            self.held.setdefault(item.key, []).append((self.order, updates, status, rag))

    def cell(self, grid: str, row: int, column: int, role: str, value: Any, own: bool, layout: Layout) -> Cell:
        heading = layout.columns[column].heading if column in layout.columns else ""
        return Cell(role, column, value, own, f"sheet {grid!r}, {cell_name(row, column)}", heading)


def build_items(reading: TrackerReading, book: TrackerBook, trackers: list[GridRows], contexts: dict[str, GridContext],
                asks: Questions, corrections: Corrections, today: date, histories: list[History]) -> None:
    from scr_desk.excel.tracker_finish import finish
    builder = Builder(reading, book, asks, corrections, today)
    for rows in trackers:
        builder.grid(rows, contexts[rows.grid.name])
    for history in histories:  # a log of dated updates joins the items it names, once they are all read
        join_history(reading, history, book.date1904)
    account_paragraphs(reading, book, builder.paragraph_items)
    finish(reading, builder, contexts, asks, today)
