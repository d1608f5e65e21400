"""A flat export whose rows are linked by a parent reference (a performance system's 'Code | Parent
Code', a project list's 'ID | Parent ID'): the hierarchy is in the links, not in the row order or a
column of review names. A column whose values are other rows' codes points each row at its parent;
a row with no parent is the top of a tree. Three levels deep, the tops are the reviews (their
titles name them), their children the recommendations and the grandchildren the actions; two levels
deep, the tops are the recommendations. A column the level alone decides ('Plan', 'Recommendation',
'Action') says what each level is called, and is not read as a value. The export is re-laid as the
table a person would have kept (a review column, then a recommendation's and an action's number and
words, then the export's other columns as they are), with those columns' roles settled. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as copied

from scr_desk.excel.tracker_source import Grid
from scr_desk.excel.values import as_text

MIN_LINKED = 3  # rows pointing at another row's code before the links are taken as the hierarchy


@dataclass
class Linked:
    """The export re-laid, and the roles its re-laid columns have (column -> role)."""

    grid: Grid
    roles: dict[int, str]
    reviews: dict[int, str]  # a review's own row -> its title, which names the review


def _first_text_row(grid: Grid) -> int:
    return next((n for n, row in enumerate(grid.rows, 1) if sum(1 for v in row if as_text(v)) >= 3), 0)


def _column(rows: list[list[str]], column: int) -> list[str]:
    return [row[column] if column < len(row) else "" for row in rows]


def _links(rows: list[list[str]], width: int) -> tuple[int, int] | None:
    """(code column, parent column): a column of distinct short codes, and another whose non-empty
    values are, nearly all, codes of other rows."""
    for code in range(width):
        codes = [v for v in _column(rows, code) if v]
        if len(codes) < MIN_LINKED + 1 or len(set(codes)) != len(codes) or any(len(v) > 40 or "\n" in v
                                                                                  for v in codes):
            continue
        known = set(codes)
        for parent in range(width):
            if parent == code:
                continue
            values = [(v, c) for v, c in zip(_column(rows, parent), _column(rows, code), strict=True) if v]
            pointing = [v for v, own in values if v in known and v != own]
            if len(pointing) >= MIN_LINKED and len(pointing) >= 0.8 * len(values) and len(values) < len(codes):
                return code, parent
    return None


def _depths(codes: list[str], parents: list[str]) -> list[int]:
    parent_of = {c: p for c, p in zip(codes, parents, strict=True) if c}
    depths = []
    for code in codes:
        depth, seen, at = 0, {code}, parent_of.get(code, "")
        while at in parent_of and at not in seen:  # a loop of links is cut where it closes
            seen.add(at)
            depth += 1
            at = parent_of.get(at, "")
        depths.append(depth)
    return depths


def _words_column(rows: list[list[str]], width: int, skip: set[int]) -> int | None:
    """The column of the items' words: the longest text on average among the rest."""
    scores = {c: sum(len(v) for v in _column(rows, c)) / max(1, len(rows)) for c in range(width) if c not in skip}
    scores = {c: s for c, s in scores.items() if s > 0}
    return max(scores, key=lambda c: scores[c]) if scores else None


def _level_column(rows: list[list[str]], width: int, depths: list[int], skip: set[int]) -> int | None:
    """A column whose value the level alone decides, different at each level ('Plan', 'Action')."""
    for column in range(width):
        if column in skip:
            continue
        by_depth: dict[int, set[str]] = {}
        for row, value, depth in zip(rows, _column(rows, column), depths, strict=True):
            if not any(row):
                continue
            by_depth.setdefault(depth, set()).add(value)
        if all(len(v) == 1 and "" not in v for v in by_depth.values()) and \
                len({next(iter(v)) for v in by_depth.values()}) == len(by_depth) >= 2:
            return column
    return None


def _short(code: str, parent: str) -> str:
    """A row's own part of its code: 'DHR-07-R01-A01' under 'DHR-07-R01' -> 'A01'."""
    if parent and code.startswith(parent) and len(code) > len(parent):
        return code[len(parent):].lstrip(" -_./:") or code
    return code


def parent_linked(grid: Grid) -> Linked | None:
    header = _first_text_row(grid)
    if not header:
        return None
    headings = [" ".join(as_text(v).split()) for v in grid.rows[header - 1]]
    data = [[" ".join(as_text(v).split()) if not isinstance(v, str) else v.strip() for v in row]
            for row in grid.rows[header:]]
    width = max([len(headings), *(len(r) for r in data)], default=0)
    found = _links(data, width)
    if found is None:
        return None
    code, parent = found
    codes, parents = _column(data, code), _column(data, parent)
    depths = _depths(codes, parents)
    deepest = max(depths)
    if deepest not in (1, 2):
        return None
    words = _words_column(data, width, {code, parent})
    if words is None:
        return None
    level = _level_column(data, width, depths, {code, parent, words})
    names = {d: v for v, d in zip(_column(data, level), depths, strict=True) if v} if level is not None else {}
    by_code = {c: i for i, c in enumerate(codes) if c}
    rest = [c for c in range(width) if c not in {code, parent, words, level}]
    top = 0 if deepest == 2 else -1  # the depth that names reviews (none when two levels deep)
    rec_depth = top + 1
    word_heading = headings[words] if words < len(headings) else ""
    code_heading = headings[code] if code < len(headings) else ""
    new_headings = [names.get(top, "Review") if top == 0 else "",
                    f"{names.get(rec_depth, 'Recommendation')} {code_heading}".strip(),
                    names.get(rec_depth, "Recommendation") + (f" {word_heading}" if level is None else ""),
                    f"{names.get(rec_depth + 1, 'Action')} {code_heading}".strip(),
                    names.get(rec_depth + 1, "Action") + (f" {word_heading}" if level is None else ""),
                    *(headings[c] if c < len(headings) else "" for c in rest)]
    rows: list[list[object]] = [list(row) for row in grid.rows[:header - 1]]
    rows.append(list(new_headings))
    moved = {words + 1: (3, 5)} | {c + 1: (6 + n, 6 + n) for n, c in enumerate(rest)}  # old -> (on a rec, an action)
    place: dict[int, int] = {}
    reviews: dict[int, str] = {}  # new row -> depth, to move what sits beside the values
    for index, row in enumerate(data):
        if not any(row):
            rows.append([])
            continue
        chain = [index]  # the row and its ancestors, the top last
        while (up := by_code.get(parents[chain[-1]])) is not None and up not in chain:
            chain.append(up)
        ancestors = list(reversed(chain))
        review = data[ancestors[0]][words] if top == 0 and words < len(data[ancestors[0]]) else ""
        depth = depths[index]
        rec_index = ancestors[rec_depth] if len(ancestors) > rec_depth else None
        rec_code = _short(codes[rec_index], parents[rec_index]) if rec_index is not None else ""
        own_words = row[words] if words < len(row) else ""
        if depth == top:  # a review's own row: its title names the review
            cells: list[object] = [own_words, "", "", "", ""]
            reviews[len(rows) + 1] = own_words
        elif depth == rec_depth:
            cells = [review, rec_code, own_words, "", ""]
        else:
            cells = [review, rec_code, "", _short(codes[index], parents[index]), own_words]
        cells += [row[c] if c < len(row) else "" for c in rest]
        rows.append([v or None for v in cells])
        place[len(rows)] = depth
    def move(found: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
        kept = {}
        for (r, c), value in found.items():
            if r <= header:
                kept[(r, c)] = value
            elif c in moved and r in place:
                kept[(r, moved[c][0] if place[r] <= rec_depth else moved[c][1])] = value
        return kept
    bold = set(move({cell: "" for cell in grid.bold}))
    roles = {1: "review", 2: "rec_number", 3: "rec_text", 4: "action_number", 5: "action_text"}
    if top != 0:
        roles.pop(1)
    return Linked(copied(grid, rows=rows, merged=[], fills=move(grid.fills), links=move(grid.links),
                         comments=move(grid.comments), bold=bold, hidden_rows=set(grid.hidden_rows),
                         hidden_columns=set()), roles, reviews)
