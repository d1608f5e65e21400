"""One tracker row's meaning: which review and item it is about, its values and its updates. A row
of a table with recommendation and action columns is an action (or, with no action, its
recommendation's own row); in one 'Recommendation / action' column, or a column of recommendations,
the reference's shape decides (1 then 1.1, 1a, 2 (i)); a table of actions alone hangs under the
recommendation above it, else its rows are the items."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from scr_desk.excel.tracker_header import Layout
from scr_desk.excel.tracker_model import Account, ReadItem, ReadUpdate
from scr_desk.excel.tracker_read import GridContext
from scr_desk.excel.tracker_refs import Ref, leading_ref, parse_ref, sub_number
from scr_desk.excel.tracker_rows import GridRows, RowReading
from scr_desk.excel.tracker_titles import Named, review_from_line
from scr_desk.excel.tracker_values import Cell, State, ValueContext
from scr_desk.excel.values import as_text

if TYPE_CHECKING:
    from scr_desk.excel.tracker_build import Builder

IDENTITY = {"rec_number", "rec_text", "action_number", "action_text", "rec_or_action", "review"}
LINKED = {"rec_text", "action_text", "rec_or_action", "evidence", "success_measure", "text", "raised", "completion"}


class RowInterpreter:
    def __init__(self, builder: Builder, rows: GridRows, context: GridContext, values: ValueContext) -> None:
        self.b, self.rows, self.grid, self.context, self.values = builder, rows, rows.grid, context, values
        self.review_key = ""  # the grid's own review, made when its first item needs it
        self.section_review = ""
        self.rec = ""  # the recommendation the rows below belong to
        self.heading_rec = ""  # one named above a table of actions, or across it ('Recommendation 2: …')
        self.rec_review = ""
        self.last = ""  # the item a continuation row adds to
        self.group_agency = ""
        self.theme = ""
        self.modes: dict[int, tuple[str, bool]] = {}
        self.three: dict[int, bool] = {}  # a layout's id -> whether it numbers three levels in one column
        self.context_tried = False
        self.plan_owner = self._plan_owner()  # an organisation's own plan: its title names who leads it
        from scr_desk.excel.tracker_row_values import struck_means_done
        self.struck_done = struck_means_done(self.grid)  # the sheet's own note: struck through is done
        self.cell_cache: dict[int, dict[str, list[Cell]]] = {}
        self.above_words: tuple[str, list[int]] | None = None  # a recommendation's words read above the table

    # --- context rows ----------------------------------------------------------------------
    def grid_review(self) -> str:
        if not self.review_key:
            assert self.context.named is not None
            self.review_key = self.b.review(self.context.named, self.context.source, self.context.where,
                                            self.context.review_type)
            self.b.reading.reviews[self.review_key].grids.append(self.grid.name)
        return self.review_key

    def _plan_owner(self) -> str:
        from scr_desk.excel.tracker_rows import names_agency
        from scr_desk.excel.tracker_titles import partnership_in
        lines = _title_lines(self.grid.rows[:self.rows.layouts[0].first_header - 1]) + [p.text for p in self.grid.above]
        heads = [re.split(r"\s[–—-]\s|:\s", t, maxsplit=1)[0] for t in lines]  # 'Southmoor Council – … plan'
        return next((t for t in [*lines, *heads] if names_agency(t) and not partnership_in(t)), "")

    def section(self, line: RowReading, account: Account) -> None:
        named = review_from_line(line.text) or Named(line.text, "Other")
        self.section_review = self.b.review(named, "section", f"sheet {self.grid.name!r}, row {line.row}",
                                            self.context.review_type, line.text)
        self.rec, self.last, self.group_agency, self.theme, self.heading_rec = "", "", "", "", ""
        account.reason = f"a section naming the review {self.b.reading.reviews[self.section_review].name!r}"

    def group(self, line: RowReading, account: Account) -> None:
        text = " ".join(line.text.split())
        if line.reason.startswith("a heading naming an agency"):
            from scr_desk.excel.tracker_rows import labelled_agency
            self.group_agency = labelled_agency(text) or text  # 'Agency: Mereside Police': the police
        else:
            self.theme, self.rec = text, ""

    def continuation(self, line: RowReading, account: Account) -> None:
        item = self.b.reading.items.get(self.last)
        if item is None:
            account.role, account.reason, account.skipped = "note", "no recommendation or action on this row", \
                line.filled
            return
        cells = self.cells(line)
        for role in ("rec_text", "action_text", "rec_or_action"):
            for cell in cells.get(role, []):
                if cell.own and as_text(cell.value) not in item.text:
                    item.text = f"{item.text} {as_text(cell.value)}".strip()  # a wrapped cell's words run on
        state, updates = self.read(line, cells)
        for update in updates:  # a wrapped cell's words run on in the update its column gave last
            same = next((u for u in reversed(item.updates) if u.column == update.column), None)
            if same is not None:
                same.narrative = "\n".join(x for x in (same.narrative, update.narrative) if x)
                same.evidence = "\n".join(x for x in (same.evidence, update.evidence) if x)
                same.rag, same.status = same.rag or update.rag, same.status or update.status
            else:
                item.updates.append(update)
        for name, value in state.values.items():
            item.values.setdefault(name, value)
        item.kept += state.kept
        item.notes += state.notes
        item.rows.append((self.grid.name, line.row))
        account.item, account.skipped = item.key, state.skipped + len(line.beside)
        account.kept = len(state.kept) + _kept_cells(cells, line.layout)
        account.reason = f"continues row {item.rows[0][1]}: its words are added to that item"

    # --- items ------------------------------------------------------------------------------
    def mode(self, layout: Layout) -> tuple[str, bool]:
        if id(layout) in self.modes:
            return self.modes[id(layout)]
        roles = {c.role for c in layout.columns.values()}
        if "action_text" in roles and roles & {"rec_text", "rec_number", "rec_or_action"}:
            mode = "two"
        elif "action_text" in roles:
            mode = "actions"
        else:
            mode = "outline"
        refs = []
        for line in self.rows.rows:
            if line.layout is layout and line.role == "item":
                ref, _ = self._identity(self.cells(line), ("rec_or_action", "rec_number", "rec_text"))
                if ref is not None:
                    refs.append(ref)
        tops = {(r.prefix, r.parts[0]) for r in refs if r.depth == 1 and not r.letter_only and not r.opaque}
        nested = any(r.letter_only or r.action or r.depth >= 2 and (r.prefix, r.parts[0]) in tops for r in refs)
        column = layout.of("rec_number")
        names_recs = column is not None and bool(re.search(r"(?i)\brec", layout.columns[column].heading))
        read_before = any(i.level == "recommendation" for i in self.b.reading.items.values())
        if mode == "two" and not roles & {"rec_text", "rec_or_action"} and refs and not names_recs \
                and len({r.number for r in refs}) == len(refs) and all(r.depth == 1 for r in refs) \
                and not read_before:
            mode = "flat"  # its own reference on each row, no recommendation's words: each row is the item
        self.modes[id(layout)] = (mode, nested)
        return mode, nested

    def cells(self, line: RowReading) -> dict[str, list[Cell]]:
        known = self.cell_cache.get(id(line))
        if known is not None:
            return known
        found: dict[str, list[Cell]] = {}
        assert line.layout is not None
        for column, value in [*((c, (v, True)) for c, v in line.own.items()),
                              *((c, (v, False)) for c, v in line.inherited.items())]:
            role = line.layout.columns[column].role if column in line.layout.columns else "text"
            link = self.grid.links.get((line.row, column)) if value[1] else None
            if link and role in LINKED and link not in as_text(value[0]):  # a link keeps its address
                value = (f"{as_text(value[0])} ({link})", value[1])
            found.setdefault(role, []).append(self.b.cell(self.grid.name, line.row, column, role, value[0], value[1],
                                                          line.layout))
        self.cell_cache[id(line)] = found
        return found

    @staticmethod
    def _identity(cells: dict[str, list[Cell]], roles: tuple[str, ...],
                  own_only: bool = False) -> tuple[Ref | None, str]:
        from scr_desk.excel.tracker_build import split_ref
        ref, words = None, ""
        for role in roles:
            for cell in cells.get(role, []):
                if own_only and not cell.own:
                    continue
                found_ref, found_words = split_ref(cell.value)
                ref = ref or found_ref
                words = words or found_words
        return ref, words

    def row_review(self, cells: dict[str, list[Cell]], line: RowReading) -> str:
        if self.context.source == "chosen":  # the lead named the sheet's review: it holds every row
            return self.grid_review()
        column = cells.get("review", [])
        if column:
            value = " ".join(as_text(column[0].value).split())
            named = review_from_line(value) or Named(value, "Other")
            key = self.b.review(named, "column", f"sheet {self.grid.name!r}, row {line.row}", self.context.review_type,
                                value)
            if self.grid.name not in self.b.reading.reviews[key].grids:
                self.b.reading.reviews[key].grids.append(self.grid.name)
            return key
        if not self.section_review and self.context.source in ("file", "document"):
            ref, _ = self._identity(cells, ("rec_number", "action_number", "rec_or_action"))
            if ref is not None and ref.review:  # 'DHR7-R1': the review the reference names
                typed = review_from_line(ref.review)
                return self.b.review(Named(ref.review, typed.review_type if typed else "Other"), "reference",
                                     f"sheet {self.grid.name!r}, row {line.row}", self.context.review_type)
        return self.section_review or self.grid_review()

    def _context_rec(self, review: str) -> None:
        """A table of actions under a paragraph or title naming its recommendation ('Recommendation
        2: Carers are offered support'): its rows are that recommendation's actions."""
        from scr_desk.excel.tracker_refs import leading_ref
        lines = [p.text for p in self.grid.above] + [" ".join(as_text(v).split()) for r in self.grid.rows[
            :self.rows.layouts[0].first_header - 1] for v in r if as_text(v)]
        for text in reversed(lines):
            found = leading_ref(text) or (_heading_ref(text) if self.grid.above else None)
            if found is not None and found[0].depth == 1 and not found[0].action:
                ref, words = found[0], found[1] or self._words_above(found[0])
                line = RowReading(self.rows.layouts[0].first_header, "item")
                self.heading_rec = self._rec(self._rec_key(review, ref, words, line), review, ref, words, line).key
                return
            if review_from_line(text) is not None:
                return

    def _words_above(self, ref: Ref) -> str:
        """A Word table's recommendation in the paragraphs above it: a 'Recommendation 2' heading, and
        the paragraphs between it and the table are its words."""
        above = self.grid.above
        for at in range(len(above) - 1, -1, -1):
            found = _heading_ref(above[at].text)
            if found is not None and found[0].depth == 1 and found[0].number.casefold() == ref.number.casefold():
                used = [at] if found[1] else [i for i in range(at + 1, len(above)) if not above[i].heading]
                words = found[1] or " ".join(above[i].text for i in used)
                self.above_words = (words, used)  # counted as the recommendation's words once it is made
                return words
        return ""

    def item(self, line: RowReading, account: Account) -> None:
        assert line.layout is not None
        mode, nested = self.mode(line.layout)
        cells = self.cells(line)
        across = not cells.keys() & (IDENTITY - {"review"}) and len(line.own) == 1
        if across:
            only = next(iter(line.own.values()))  # 'Recommendation 2: …' merged across the table
            cells = {**cells, "rec_or_action": [Cell("rec_or_action", min(line.own), only, True, "", "")]}
        review = self.row_review(cells, line)
        if review != self.rec_review:
            self.rec, self.rec_review, self.heading_rec = "", review, ""
        rec_ref, rec_words = self._identity(cells, ("rec_number", "rec_text"))
        act_ref, act_words = self._identity(cells, ("action_number", "action_text"), own_only=True)
        both_ref, both_words = self._identity(cells, ("rec_or_action",), own_only=True)
        parent_ref: Ref | None = None
        level = "recommendation"
        if mode == "two":
            if act_words or act_ref is not None and any(c.own for c in cells.get("action_number", [])):
                level = "action"
                if rec_ref is not None and rec_ref.depth >= 2 and act_ref is None:
                    act_ref, parent_ref = rec_ref, _top(rec_ref)
                else:
                    parent_ref = rec_ref if rec_ref is not None and rec_ref.depth == 1 else (
                        _top(act_ref) if act_ref is not None and act_ref.depth >= 2 else None)
            else:
                rec_ref, rec_words = rec_ref or both_ref, rec_words or both_words
        elif mode == "outline":
            ref, words = both_ref or rec_ref, both_words or rec_words
            if ref is not None and self._three_levels(line.layout):
                ref = self._outline_of_three(ref, words, line, account)
                if ref is None:
                    return
                if ref.depth >= 2:
                    level, act_ref, act_words, rec_words = "action", ref, words, ""
                    parent_ref = _top(ref)
                else:
                    rec_ref, rec_words = ref, words
            elif ref is not None and nested and (ref.depth >= 2 or ref.letter_only or ref.action) and (
                    self.rec or ref.depth >= 2):
                level, act_ref, act_words, rec_words = "action", ref, words, ""  # the words are the action's
                parent_ref = _top(ref) if ref.depth >= 2 else None
            else:
                rec_ref, rec_words = ref, words
        elif mode == "flat":
            rec_ref, rec_words = rec_ref or act_ref, act_words or rec_words
        else:  # a table of actions alone
            words = act_words or both_words or rec_words
            if not self.heading_rec and not self.context_tried:
                self.context_tried = True
                self._context_rec(review)
            if self.heading_rec and not across:  # actions under the recommendation named above them
                self.rec = self.heading_rec
                level, act_words = "action", words
            else:
                rec_ref, rec_words = act_ref or both_ref or rec_ref, words
        if level == "action" and parent_ref is not None and not rec_words and self.grid.above:
            rec_words = self._words_above(parent_ref)  # 'Recommendation 1' and its words above the table
        if level == "action" and not (parent_ref or rec_ref or rec_words or self.rec):
            level, rec_ref, rec_words = "recommendation", act_ref, act_words  # no recommendation to hang under
        if not (rec_ref or rec_words or act_ref or act_words or parent_ref or self.rec):
            account.role, account.reason = "note", "no reference or words to tell a recommendation or action by"
            account.skipped = line.filled
            return
        if level == "action":
            rec_key = self._rec_key(review, parent_ref, rec_words if parent_ref is not None or rec_words else "", line)
            rec = self._rec(rec_key, review, parent_ref, rec_words, line)
            target = self._action(rec, act_ref, act_words, line)
        else:
            target = self._rec(self._rec_key(review, rec_ref, rec_words, line), review, rec_ref, rec_words, line)
            if across and mode == "actions":
                self.heading_rec = target.key
        self._values(line, cells, target, account)

    def _three_levels(self, layout: Layout) -> bool:
        """Whether the table numbers three levels ('1', '1.1', '1.1.1') in one column and every top-level
        row is a heading, holding only its number and its words ('1 | Priority 1: Recognising…', often
        merged across): the top is then a theme over its recommendations. Where a top-level row has a
        lead, a date or a rating of its own, it is the recommendation and the levels below its actions."""
        if id(layout) not in self.three:
            depths, headings = set(), True
            for line in self.rows.rows:
                if line.layout is layout and line.role == "item":
                    cells = self.cells(line)
                    ref, _ = self._identity(cells, ("rec_or_action", "rec_number", "rec_text"))
                    if ref is None or ref.opaque:
                        continue
                    depths.add(ref.depth)
                    if ref.depth == 1 and _holds_more_than_words(cells):
                        headings = False
            self.three[id(layout)] = {1, 2, 3} <= depths and headings
        return self.three[id(layout)]

    def _outline_of_three(self, ref: Ref, words: str, line: RowReading, account: Account) -> Ref | None:
        """In a table numbered on three levels under headings (see _three_levels), a top-level row is
        the theme of the rows under it: None, and the row is accounted for as that heading. The middle
        level is the recommendation ('1.1', kept whole as its number), the deepest its action."""
        if ref.depth == 1:
            self.theme, self.rec = words or ref.written, ""
            account.role = "group"
            account.reason = f"a heading numbered above its recommendations, read as their theme: {self.theme!r}"
            return None
        joined = ".".join(ref.parts[:2])
        return Ref(ref.written, ref.prefix, (joined, *ref.parts[2:]), ref.review, ref.action, ref.opaque)

    def _rec_key(self, review: str, ref: Ref | None, words: str, line: RowReading) -> str:
        from scr_desk.excel.tracker_build import norm
        if ref is not None and ref.number:
            return f"{review}|R|{ref.number.casefold()}"
        if words:
            return f"{review}|T|{norm(words)}"
        return self.rec or f"{review}|R|?{self.grid.name}:{line.row}"

    def _rec(self, key: str, review: str, ref: Ref | None, words: str, line: RowReading) -> ReadItem:
        key = self.b.claim(key, words, self.grid.name, line.row, ref, "recommendation")
        number = ref.number if ref is not None else ""
        item = self.b.item_for(key, review, "recommendation", ref, number, words)
        if self.above_words is not None and words and words == self.above_words[0]:
            for index in self.above_words[1]:
                self.b.paragraph_items.setdefault((self.grid.name, index), item.key)
            self.above_words = None
        if self.theme and self.theme not in item.themes:
            item.themes.append(self.theme)
        self.rec = key
        return item

    def _action(self, rec: ReadItem, ref: Ref | None, words: str, line: RowReading) -> ReadItem:
        from scr_desk.excel.tracker_build import norm
        if ref is None or not ref.parts:
            sub = ""
        elif ref.depth >= 2:
            sub = ref.sub
        else:  # 'a', '(ii)', 'A3', or an action column's own '2'
            sub = sub_number(ref.parts[0])
        key = f"{rec.key}|A|{sub}" if sub else f"{rec.key}|AT|{norm(words)}"
        key = self.b.claim(key, words, self.grid.name, line.row, ref, "action")
        return self.b.item_for(key, rec.review, "action", ref, sub, words, rec.key)

    # --- values and updates ------------------------------------------------------------------
    def read(self, line: RowReading, cells: dict[str, list[Cell]]) -> tuple[State, list[ReadUpdate]]:
        from scr_desk.excel.tracker_row_values import read_row
        return read_row(self, line, cells)

    def _values(self, line: RowReading, cells: dict[str, list[Cell]], item: ReadItem, account: Account) -> None:
        state, updates = self.read(line, cells)
        default = self.group_agency or self.context.agency or self.plan_owner
        if not state.agencies and default:  # the agency its heading or its plan's title names
            state.agencies.append(default)
            state.set("lead_agency", default, True)
        parent = self.b.reading.items.get(item.parent) if item.parent else None
        for name, value in state.values.items():
            if parent is not None and name in state.inherited:
                parent.values.setdefault(name, value)  # merged over its actions: the recommendation's
            elif name in state.inherited and item.values.get(name) not in (None, ""):
                continue
            else:
                item.values[name] = value
        if parent is not None:
            parent.values.update(state.parent)  # its recommendation's words struck through: complete
        if parent is not None and "lead_agency" in state.values:
            lead = parent.values.setdefault("lead_agency", state.values["lead_agency"])
            if self.context.agency and lead not in (None, state.values["lead_agency"]):
                parent.values["lead_agency"] = None  # acted on from two agencies' tabs: no one agency leads it
        for agency in state.agencies:
            if agency not in item.agencies:
                item.agencies.append(agency)
        item.updates += updates
        item.kept += state.kept
        item.notes += state.notes
        item.rows.append((self.grid.name, line.row))
        self.b.hold_state(item, state, updates, line)
        self.last = item.key
        account.item, account.skipped = item.key, state.skipped + len(line.beside)
        account.kept = len(state.kept) + _kept_cells(cells, line.layout)


def _holds_more_than_words(cells: dict[str, list[Cell]]) -> bool:
    """Whether a row has a value of its own beyond its reference and words (a lead, a date, a rating)."""
    return any(c.own for role, found in cells.items() if role not in IDENTITY for c in found)


def _title_lines(rows: list[list[Any]]) -> list[str]:
    """The rows above the table as lines that may name who leads the plan. Keys beside their values
    ('Plan ID | q3X9…', 'Date of export | 02/12/2026': two or more such rows, or a key ending in a
    colon) are a document's details: a key names no one, and its value names the plan's lead only
    when its key says so ('Lead agency: | …')."""
    from scr_desk.excel.tracker_vocab import heading_field
    cells = [[" ".join(as_text(v).split()) for v in row if as_text(v)] for row in rows]
    keyed = [len(c) == 2 and len(c[0].split()) <= 4 and not c[0].endswith((".", "?")) for c in cells]
    lines: list[str] = []
    for index, found in enumerate(cells):
        run = keyed[index] and (found[0].endswith(":") or any(keyed[max(0, index - 1):index])
                                or any(keyed[index + 1:index + 2]))
        if not run:
            lines += found
        elif heading_field(found[0].rstrip(":")) in ("lead_agency", "owner"):
            lines.append(found[1])
    return lines


def _top(ref: Ref) -> Ref:
    """The recommendation an action's reference names ('1.2' -> '1', 'R3.1' -> 'R3')."""
    return Ref(ref.written, ref.prefix, ref.parts[:1], ref.review)


def _heading_ref(text: str) -> tuple[Ref, str] | None:
    """'Recommendation 2: Carers…' -> (2, 'Carers…'); a heading that is a reference alone
    ('Recommendation 2', 'R2') -> (2, '')."""
    if found := leading_ref(text):
        return found
    text = " ".join(text.split())
    ref = parse_ref(text) if len(text) <= 24 else None
    return (ref, "") if ref is not None and not ref.opaque else None


def _kept_cells(cells: dict[str, list[Cell]], layout: Layout | None) -> int:
    """A row's own cells kept as text, less a system's ids and stamps (skipped, not kept)."""
    from scr_desk.excel.tracker_stamps import SYSTEM_FIELD
    columns = layout.columns if layout is not None else {}
    return sum(1 for role in ("text", "raised") for c in cells.get(role, []) if c.own and not (
        c.column in columns and columns[c.column].source == SYSTEM_FIELD))
