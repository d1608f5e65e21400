"""A whole tracker file read as a person reads it: each grid for what it is (a tracker, a summary of
counts, a key, a cover), each tracker grid's tables and rows, what names each grid's review, the
partnership, the tracker's own date, then its items (tracker_build). Pure: corrections and answers
come in as plain data, and nothing here touches a database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scr_desk.domain.dates import DateError, parse_uk_date
from scr_desk.excel.tracker_asks import Questions
from scr_desk.excel.tracker_header import build_layout, find_header, headings_at
from scr_desk.excel.tracker_history import HISTORY_REASON, History, account_other_grid, is_history
from scr_desk.excel.tracker_linked import parent_linked
from scr_desk.excel.tracker_model import GridSummary, TrackerReading
from scr_desk.excel.tracker_naming import AGENCY_WORDS, guess_review_type, is_generic_sheet, looks_like_agency
from scr_desk.excel.tracker_readings import fiscal_year_in, heading_period, read_status, read_target
from scr_desk.excel.tracker_rows import GridRows, read_rows, segment
from scr_desk.excel.tracker_source import Grid, TrackerBook
from scr_desk.excel.tracker_titles import Named, name_from_file, partnership_in, review_from_line
from scr_desk.excel.values import as_text

NOT_NAMES = re.compile(r"^(archive|archived|closed|completed|complete|open|current|live|done|old|history|previous|"
                       r"returns?|responses?|submissions?|register|log|master|input|output|export|report|"
                       r"cover|contents|instructions|guidance|key|legend|lookups?|lists?|data|summary|overview|notes|"
                       r"dashboard|charts?|front sheet|read me|readme|version control|change log)\b", re.IGNORECASE)


@dataclass
class Corrections:
    """The lead's corrections of a reading, by grid (sheet or table) name."""

    header: dict[str, int] = field(default_factory=dict)  # 0: the grid is not a tracker
    columns: dict[str, dict[int, str]] = field(default_factory=dict)  # column -> role ("text": kept as text)
    rows: dict[str, dict[int, str]] = field(default_factory=dict)  # row -> role
    review_of: dict[str, str] = field(default_factory=dict)  # grid -> the review it belongs to
    duplicates: dict[str, str] = field(default_factory=dict)  # 'duplicate:<grid>:<row>' -> "separate" / "same"


@dataclass
class GridContext:
    """What names a tracker grid's review, and the period a grid named by a period reports."""

    named: Named | None
    source: str
    where: str
    review_type: str
    period: Any = None
    agency: str = ""  # a sheet named after an agency holds that agency's part of the plan


def read_tracker(book: TrackerBook, *, today: date, asks: Questions, corrections: Corrections | None = None,
                 fiscal_hint: int | None = None) -> TrackerReading:
    from scr_desk.excel.tracker_build import build_items
    corrections = corrections or Corrections()
    reading = TrackerReading(losses=list(book.losses))
    fiscal_hint = fiscal_hint or fiscal_year_in(book.path.stem) or next(
        (y for p in book.opening if (y := fiscal_year_in(p.text))), None)
    trackers: list[GridRows] = []
    histories: list[History] = []
    for grid in book.grids:
        summary, rows = read_grid(grid, corrections, fiscal_hint)
        reading.grids.append(summary)
        if rows is not None:
            trackers.append(rows)
            reading.legend.merge(rows.legend)
            continue
        if summary.role == "history":
            histories.append(History(grid, summary.layouts[0]))
            continue
        if summary.role == "legend":
            _legend_grid(grid, reading)
        account_other_grid(reading, grid, summary)
    reading.partnership = _partnership(book, reading.grids)
    reading.as_at = tracker_date(book, trackers, today)
    contexts = naming_contexts(book, [t.grid for t in trackers], reading, _lookups(book, reading))
    build_items(reading, book, trackers, contexts, asks, corrections, today, histories)
    return reading


def read_grid(grid: Grid, corrections: Corrections, fiscal_hint: int | None) -> tuple[GridSummary, GridRows | None]:
    chosen = corrections.header.get(grid.name)
    if not chosen and (sideways := on_its_side(grid)) is not None:
        grid = sideways
    linked = parent_linked(grid)  # rows linked by a parent code: re-laid by their links
    linked_roles: dict[int, str] = {}
    if linked is not None:
        grid, linked_roles = linked.grid, linked.roles
    if chosen == 0:
        return GridSummary(grid.name, "cover", "not a tracker (as corrected)"), None
    if chosen:
        headings, two_rows = headings_at(grid, chosen)
        found: tuple[int, dict[int, str], bool] | None = (chosen, headings, two_rows)
    else:
        found = find_header(grid)
    if found is None:
        if _looks_like_legend(grid, 1):
            return GridSummary(grid.name, "legend", "a key to the ratings (its meanings are used)"), None
        return GridSummary(grid.name, "cover", "no table of recommendations or actions"), None
    row, headings, two_rows = found
    chosen_roles = {**linked_roles, **corrections.columns.get(grid.name, {})} or None
    layout = build_layout(grid, row, headings, two_rows, len(grid.rows), fiscal_hint, chosen_roles)
    if not layout.has_items:
        if _looks_like_legend(grid, row):
            return GridSummary(grid.name, "legend", "a key to the ratings (its meanings are used)", [layout]), None
        if is_history(layout):
            return GridSummary(grid.name, "history", HISTORY_REASON, [layout]), None
        counts = sum(1 for c in layout.columns.values() if c.role in ("rec_number", "action_number", "text"))
        if counts >= 3:
            return GridSummary(grid.name, "summary", "a summary of counts, not items", [layout]), None
        return GridSummary(grid.name, "cover", "no column of recommendations or actions", [layout]), None
    layouts = segment(grid, layout, fiscal_hint)
    rows = read_rows(grid, layouts, corrections.rows.get(grid.name))
    if linked is not None:
        _linked_reviews(rows, linked.reviews)
    if not any(r.role == "item" for r in rows.rows):
        return GridSummary(grid.name, "cover", "no recommendation or action in it", layouts), None
    return GridSummary(grid.name, "tracker", "a tracker", layouts), rows


def _linked_reviews(rows: GridRows, reviews: dict[int, str]) -> None:
    """A linked export's top rows are its reviews' own: each names the review the rows below it
    in its tree belong to (the cells beside its title are the plan's, not an item's: skipped)."""
    for line in rows.rows:
        if line.row in reviews and not line.corrected and line.role in ("item", "continuation", "note"):
            line.role, line.text = "section", reviews[line.row]
            line.reason = "a plan's own row: its title names the review"


def on_its_side(grid: Grid) -> Grid | None:
    """A table laid on its side ('Action | …', 'Lead | …', 'Timescale | …' down its first column): the
    same table the right way up, a record per run of headings (a heading met again starts the next).
    A label carrying the item's number ('Recommendation 2') is the same field as 'Recommendation 1' for
    the next item, its number kept in a column of its own; lines above the first labelled value are
    the title, and lines after the last that are no label are notes below the table."""
    from dataclasses import replace as copied

    from scr_desk.excel.tracker_vocab import heading_scores
    pairs = [[as_text(v) for v in row] for row in grid.rows if any(as_text(v) for v in row)]
    if len(pairs) < 3 or any(len([v for v in row if v]) > 2 or not row or not row[0] for row in pairs):
        return None
    named = [t[0] for t in pairs if (s := heading_scores(_label_field(t[0])[0])) and max(s.values()) >= 2]
    if len(named) < 0.6 * len(pairs) or len(named) < 3:
        return None
    rated = [t[0] for t in pairs if (r := read_status(t[0])).known and (r.status or r.rag) and not r.partial]
    if len(rated) >= len(pairs) / 2:
        return None  # labels that are ratings or statuses ('Not started', 'Complete'), each explained: a key
    valued = [i for i, row in enumerate(pairs) if len(row) > 1 and any(row[1:])]
    titles = pairs[:valued[0]] if valued else []
    labels: list[str] = []
    records: list[dict[str, str]] = [{}]
    notes: list[list[str]] = []
    for row in pairs[len(titles):]:
        label, number = _label_field(row[0])
        value = next((v for v in row[1:] if v), "")
        if notes or (not value and label not in labels and valued and pairs.index(row) > valued[-1]):
            notes.append([row[0]])  # past the last block: a key or a note under the table
            continue
        if label in records[-1]:
            records.append({})
        records[-1][label] = value
        fields = [label] if number is None else [f"{label} no.", label]
        if number is not None:
            records[-1][f"{label} no."] = number
        labels += [f for f in fields if f not in labels]
    lines: list[object] = [line[0] for line in titles]
    rows: list[list[object]] = [[line] for line in lines] + [list(labels)]
    rows += [[record.get(label) or None for label in labels] for record in records]
    below: list[object] = [line[0] for line in notes]
    rows += [[], *([line] for line in below)] if notes else []
    return copied(grid, rows=rows, merged=[], fills={}, links={}, comments={}, bold=set(), hidden_rows=set(),
                  hidden_columns=set())


_NUMBERED_LABEL = re.compile(r"^(?P<field>.*[^\W\d].*?)\s+(?:no\.?\s*)?"
                             r"(?P<number>\d{1,3}(?:\.\d{1,2})*[a-h]?|[ivx]{1,4})$", re.IGNORECASE)


def _label_field(label: str) -> tuple[str, str | None]:
    """A label's field and the item number it carries: 'Recommendation 2' -> ('Recommendation', '2');
    'Lead agency:' -> ('Lead agency', None). The label's own colon is no part of the field."""
    text = " ".join(label.split()).rstrip(":").strip()
    match = _NUMBERED_LABEL.match(text)
    if match is None:
        return text, None
    return match["field"].rstrip(":").strip(), match["number"]


def _looks_like_legend(grid: Grid, first: int) -> bool:
    """A short table of codes and their meanings ('Status | Meaning', 'Blue | Complete – …')."""
    rows = [[as_text(v) for v in r if as_text(v)] for r in grid.rows[first - 1:first + 14]]
    rows = [r for r in rows if r]
    if not 2 <= len(rows) <= 15 or len(grid.rows) > 20:
        return False
    pairs = [r for r in rows if len(r) == 2 and len(r[0].split()) <= 4]
    return len(pairs) >= 0.7 * len(rows)


def _legend_grid(grid: Grid, reading: TrackerReading) -> None:
    from scr_desk.excel.fills import classify
    for number, row in enumerate(grid.rows, 1):
        cells = [(c, as_text(v)) for c, v in enumerate(row, 1) if as_text(v)]
        if len(cells) >= 2:
            reading.legend.add(cells[0][1], " ".join(t for _, t in cells[1:]))
        fill = grid.fills.get((number, cells[0][0])) if cells else None
        if fill and (rag := classify(fill)) is not None and len(cells) >= 2:  # a coloured cell beside its meaning
            reading.legend.add(rag.value, cells[1][1])


def _titles(grid: Grid, before: int) -> list[str]:
    return [" ".join(as_text(v).split()) for r in grid.rows[:max(0, before - 1)] for v in r if as_text(v)]


def _partnership(book: TrackerBook, summaries: list[GridSummary]) -> str:
    """The partnership a title names: the document's opening lines, the lines above each table (never
    a table's own cells: an agency column may name the partnership's business unit)."""
    above = {s.grid: s.layouts[0].first_header if s.layouts else 12 for s in summaries}
    lines = [p.text for p in book.opening] + [t for g in book.grids for t in _titles(g, above.get(g.name, 12))]
    lines.append(book.path.stem.replace("_", " "))
    return next((name for line in lines if (name := partnership_in(line))), "")


DAY = re.compile(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9},? \d{4})\b")
DATE_WORDS = re.compile(r"\b(?:as at|updated|update|position at|position as at|position to|progress to|at|for|"
                        r"end of|dated|version\s*\d+(?:\.\d+)*\s*[,:–-]?|v\d+(?:\.\d+)*\s*[,:–-]?)\s*:?\s*",
                        re.IGNORECASE)


INTRODUCED = re.compile(f"(?:{DATE_WORDS.pattern})$", re.IGNORECASE)


def _date_in(text: str, today: date, introduced: bool) -> date | None:
    """The first date in `text` up to today (only one its words introduce as the tracker's date,
    if `introduced`); a month ('Updated: October 2026') counts only after such words."""
    for match in re.finditer(DAY, text):
        if introduced and not INTRODUCED.search(text[:match.start()][-30:]):
            continue
        try:
            found = parse_uk_date(match[1].replace(",", ""))
        except DateError:
            continue
        if found <= today:
            return found
    for match in re.finditer(r"\b([A-Za-z]{3,9}\.?\s+\d{4})\b", text):
        if DATE_WORDS.search(text[:match.start()][-30:]):
            found_month = read_target(match[1], date1904=False, fiscal_year=None).when
            if found_month is not None:
                return min(found_month, today)
    return None


def tracker_date(book: TrackerBook, trackers: list[GridRows], today: date) -> date:
    """The tracker's own date: a footer ('Last updated 15/10/2026'), a title ('Position at
    30/09/2026', 'Updated: October 2026'), the document's opening lines, the latest date of update;
    else today."""
    texts = [f for t in trackers for f in t.footers]
    texts += [line for t in trackers for line in _titles(t.grid, t.layouts[0].first_header)]
    texts += [p.text for p in book.opening] + [book.path.stem]
    # A date the text says is the tracker's ('Progress as at 31 October 2026') before any other it
    # holds (the day a meeting was held, a report published): then the first date found.
    for introduced in (True, False):
        for text in texts:
            found = _date_in(text, today, introduced)
            if found is not None:
                return found
    dates = []
    for tracker in trackers:
        for layout in tracker.layouts:
            column = layout.of("update_date")
            if column is None:
                continue
            for line in tracker.rows:
                value = line.own.get(column) if line.layout is layout else None
                when = read_target(value, date1904=book.date1904, fiscal_year=None).when if value else None
                if when and when <= today:
                    dates.append(when)
    return max(dates) if dates else today


def _lookups(book: TrackerBook, reading: TrackerReading) -> dict[str, str]:
    """Codes and what they stand for, from the sheets that are not trackers ('SAR01 | SAR Adult H'):
    a lookup sheet is not a review, but it names the sheets its codes name."""
    trackers = {s.grid for s in reading.grids if s.role == "tracker"}
    found: dict[str, str] = {}
    for grid in book.grids:
        if grid.name in trackers:
            continue
        for row in grid.rows:
            cells = [" ".join(as_text(v).split()) for v in row if as_text(v)]
            if len(cells) == 2 and len(cells[0].split()) <= 2 and len(cells[0]) <= 31:
                found.setdefault(cells[0].casefold(), cells[1])
    return found


def naming_contexts(book: TrackerBook, grids: list[Grid], reading: TrackerReading,
                    lookups: dict[str, str] | None = None) -> dict[str, GridContext]:
    """What names each tracker grid's review (before any section or review column does)."""
    lookups = lookups or {}
    tracking = {g.name: g for g in grids}  # a table laid on its side is read the right way up
    contexts: dict[str, GridContext] = {}
    covers = {s.grid for s in reading.grids if s.role == "cover"}
    document = [p.text for p in book.opening] + [t for g in book.grids if g.name in covers and g.kind == "sheet"
                                                 for t in _titles(g, 16)]
    document_named = _first_named(document)
    fallback_type = guess_review_type(*document, book.path.stem.replace("_", " "))
    last_paragraph: Named | None = document_named
    for grid in book.grids:
        if grid.kind == "table":  # the paragraphs just above a Word table name it, not the tables after
            # a heading names before prose: an instruction above the table ('please update … before the
            # DHR Standing Panel') is read only when no heading names the review
            nearest = list(reversed(grid.above))
            own = _first_named([p.text for p in nearest if p.heading]) or _first_named(
                [p.text for p in nearest if not p.heading and len(p.text.split()) <= 16])
            if own is not None:
                last_paragraph = own
        if grid.name not in tracking:
            continue
        grid = tracking[grid.name]
        first_header = next((s.layouts[0].first_header for s in reading.grids if s.grid == grid.name and s.layouts), 1)
        titles = _titles(grid, first_header)
        period = _named_period(grid.name)
        sheet_type = guess_review_type(grid.name, *titles, *document, book.path.stem.replace("_", " "))
        context: GridContext | None = None
        looked_up = lookups.get(grid.name.casefold())
        agency = _agency_sheet(grid) if not looked_up else ""
        if agency and (by_title := _first_named(titles) or document_named) is not None:
            # one tab per agency, titled with the review: the title names the review, the tab the agency
            context = GridContext(by_title, "title", f"the title of {grid.name}", sheet_type)
        elif looked_up and (named := review_from_line(looked_up) or Named(looked_up, guess_review_type(looked_up))):
            context = GridContext(named, "lookup", f"the lookup of {grid.name!r}", sheet_type)
        elif grid.kind == "table" and last_paragraph is not None:
            context = GridContext(last_paragraph, "paragraph", f"the paragraphs above {grid.name}", sheet_type)
        elif grid.kind == "sheet" and not agency and (by_sheet := _sheet_name(grid.name)) is not None \
                and period is None and not ((_abbreviation(grid.name) or _generic_half(grid.name))
                                            and _first_named(titles) is not None):
            context = GridContext(by_sheet, "sheet", f"the sheet's name {grid.name!r}", sheet_type)
        elif (by_title := _first_named(titles)) is not None:
            context = GridContext(by_title, "title", f"the title of {grid.name}", sheet_type)
        elif document_named is not None:
            context = GridContext(document_named, "document", "the document's title", sheet_type)
        if context is None:
            named_file = name_from_file(book.path.stem)
            context = GridContext(named_file, "file", f"the file name {book.path.name!r}", named_file.review_type
                                  if named_file.review_type != "Other" else fallback_type)
        context.period, context.agency = period, agency
        contexts[grid.name] = context
    files = [g for g, c in contexts.items() if c.source == "file"]
    others = [c for c in contexts.values() if c.source != "file"]
    one_named = len({c.named.name for c in others if c.named}) == 1 and others[0].named is not None
    if files and (one_named or len(files) > 1):
        for name, context in contexts.items():  # unnamed sheets join the one review the book names, else stay apart
            if context.source == "file":
                if one_named and others[0].named is not None:
                    contexts[name] = GridContext(others[0].named, others[0].source, others[0].where,
                                                 others[0].review_type, context.period, context.agency)
                elif context.period is None and not context.agency:  # an agency's tab is the file's review's
                    assert context.named is not None
                    contexts[name] = GridContext(Named(f"{context.named.name} – {name}", context.named.review_type),
                                                 "file", context.where, context.review_type)
    return contexts


def _abbreviation(name: str) -> bool:
    """A sheet named by initials ('WSoA', 'AP'): the kind of document it is, so a title above its table
    that names the review (the inspection, the case) names it first."""
    text = name.strip()
    return " " not in text and len(text) <= 8 and sum(1 for ch in text if ch.isupper()) >= 2


def _agency_sheet(grid: Grid) -> str:
    """A sheet's name when it names an agency ('Police', 'CSC', 'Health') rather than a review: a name
    that reads as a review ('Adult B', 'LCSPR Ellis') or a generic sheet's ('Tracker') never does."""
    text = " ".join(grid.name.replace("_", " ").split())
    if grid.kind != "sheet" or is_generic_sheet(text) or NOT_NAMES.match(text) or not looks_like_agency(text):
        return ""
    # 'Adult B' names a person as reviews do; 'Adult Social Care' ends in what a body is ('care')
    ends_as_a_body = bool(AGENCY_WORDS.fullmatch(text.split()[-1].strip("'’")))
    named = review_from_line(text)
    return text if named is None or ends_as_a_body and named.review_type == "Other" else ""


def _first_named(lines: list[str]) -> Named | None:
    return next((found for line in lines if (found := review_from_line(line)) is not None), None)


def _sheet_name(name: str) -> Named | None:
    """A sheet's name names its review when it reads as one ('LCSPR Ellis', 'Adult B', 'Jasper'),
    never when it is generic ('Sheet1', 'Tracker', 'Closed actions', 'Q2 2026-27')."""
    text = " ".join(name.replace("_", " ").split())
    if found := review_from_line(text):
        return found
    if is_generic_sheet(text) or NOT_NAMES.match(text) or _named_period(text) is not None:
        return None
    words = text.split()
    if len(words) <= 3 and all(w[0].isupper() or w[0].isdigit() for w in words):
        return Named(text, guess_review_type(text))
    return None


def _generic_half(name: str) -> bool:
    """A sheet named in two halves, one of them a generic document label ('Cynllun Gweithredu-Action
    Plan', 'Osian – Action plan'): the review its title names is a better name than the sheet's."""
    halves = [h for h in re.split(r"\s*[-–—/|]\s*", name.replace("_", " ")) if h.strip()]
    return len(halves) >= 2 and any(is_generic_sheet(h) for h in halves)


def _named_period(text: str) -> Any:
    """A sheet named by a period ('Q2 2026-27', 'Sept 2026', 'June update'): the period, else None."""
    period, _ = heading_period(text, fiscal_year_in(text))
    return period
