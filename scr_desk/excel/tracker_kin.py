"""Columns read by how they sit beside their neighbours, once each column has a role of its own: a
column of short numbers whose values begin the references beside them numbers their parents (the
recommendation '1' over its actions '1a', '1.2'); a rating column in a group of columns repeated per
period is that period's rating, never an update of its own. Pure reading."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scr_desk.excel.tracker_columns import Choice, value_scores
from scr_desk.excel.tracker_profile import ColumnProfile
from scr_desk.excel.tracker_refs import Ref, parse_ref
from scr_desk.excel.tracker_vocab import ITEM_ROLES, heading_scores
from scr_desk.excel.values import as_text

if TYPE_CHECKING:
    from scr_desk.excel.tracker_header import Layout

NUMBERING = ("rec_number", "action_number", "text")
IDENTITY = ITEM_ROLES | {"rec_number", "action_number"}


def _column_refs(rows: list[list[Any]], first: int, column: int,
                 down: dict[tuple[int, int], int]) -> dict[int, Ref | None]:
    """Row -> the reference the column holds on that row (a value merged down over rows is each row's)."""
    found: dict[int, Ref | None] = {}
    for number in range(first, len(rows) + 1):
        source = down.get((number, column), number)
        row = rows[source - 1] if source <= len(rows) else []
        value = row[column - 1] if column <= len(row) else None
        if as_text(value):
            found[number] = parse_ref(value) if len(as_text(value)) <= 24 else None
    return found


def _is_parent(parent: dict[int, Ref | None], child: dict[int, Ref | None]) -> bool:
    """Every row the child column numbers carries the parent's number as its reference's first parts,
    one level deeper ('1' beside '1a', '2' beside '2.1'), and the children are more than the parents."""
    pairs = [(p, c) for row, c in child.items() if (p := parent.get(row)) is not None and c is not None]
    if len(pairs) < 2 or len(pairs) < len(child) or any(p.opaque or c.opaque for p, c in pairs):
        return False
    for p, c in pairs:
        if c.depth != p.depth + 1 or c.parts[:p.depth] != p.parts or (p.prefix and c.prefix and p.prefix != c.prefix):
            return False
    return len({c.written for _, c in pairs}) > len({p.written for p, _ in pairs})


def number_parents(roles: dict[int, Choice], rows: list[list[Any]], first: int,
                   down: dict[tuple[int, int], int]) -> None:
    """Beside a column of references, a column whose numbers begin them is their recommendation's
    number and the references are the actions' ('AFI 1' merged over '1a', '1b'; 'Rec 1' beside
    '1.1'), whatever the two headings were first taken for."""
    candidates = [c for c, choice in roles.items() if choice.role in NUMBERING]
    refs = {c: _column_refs(rows, first, c, down) for c in candidates}
    for child in candidates:
        if roles[child].role == "text":
            continue
        for parent in candidates:
            if parent == child or abs(parent - child) > 3 or not refs[parent]:
                continue
            if _is_parent(refs[parent], refs[child]):
                if roles[parent].role == "rec_number" and roles[child].role == "action_number":
                    return  # already read so
                for column, choice in roles.items():
                    if choice.role in ("rec_number", "action_number") and column not in (parent, child):
                        roles[column] = Choice("text", 0.0, "kept as text")
                roles[parent] = Choice("rec_number", roles[parent].score, "values (the numbers that begin the "
                                                                          "references beside them)")
                roles[child] = Choice("action_number", roles[child].score, "values (references under the "
                                                                            "numbers beside them)")
                return


def ratings_not_updates(roles: dict[int, Choice], headings: dict[int, str],
                        profiles: dict[int, ColumnProfile], rows: int) -> None:
    """A column its heading calls a rating ('Q4 2025/26 – RAG') and whose values are ratings is a
    rating, though another period's rating column took the role first: never an update of its own
    (the layout then gives each its period's update)."""
    for column, choice in roles.items():
        if choice.role != "update" or column not in profiles:
            continue
        said = heading_scores(headings.get(column, ""))
        kind = max(("rag", "status"), key=lambda k: said.get(k, 0.0))
        if said.get(kind, 0.0) < 1.5 or said.get(kind, 0.0) <= said.get("update", 0.0):
            continue
        profile = profiles[column]  # a rating is a word or two ('A', 'Amber'), never words of progress
        if profile.avg_words <= 2 and value_scores(profile, rows).get(kind, 0.0) >= 1.5:
            roles[column] = Choice(kind, choice.score, "heading and values (a period's rating)")


def _words_of(value: Any) -> set[str]:
    text = " ".join(as_text(value).casefold().split())
    parts = {text} | {p.strip() for p in re.split(r"\s*[/;,&+]\s*", text) if p.strip()}
    return parts | set(re.findall(r"[a-z0-9]+", text))


def column_blocks(columns: Iterable[int]) -> list[list[int]]:
    """A table's columns in runs of neighbours, split wherever an empty column lies between."""
    blocks: list[list[int]] = []
    for column in sorted(columns):
        if blocks and column <= blocks[-1][-1] + 1:
            blocks[-1].append(column)
        else:
            blocks.append([column])
    return blocks


def keys_beside(layout: Layout, rows: list[list[Any]], first: int) -> None:
    """Columns past an empty column whose first column lists codes the table's own cells use ('CSC',
    'Partially met') beside what they mean: a key to the table, not more of its columns; its meanings
    are used and its words never become an item's updates."""
    from dataclasses import replace
    blocks = column_blocks(layout.columns)
    if len(blocks) < 2:
        return
    main = max(blocks, key=len)
    used: set[str] = set()
    for row in rows[first - 1:]:
        for column in main:
            if column <= len(row) and as_text(row[column - 1]):
                used |= _words_of(row[column - 1])
    for block in blocks:
        if block is main or len(block) > 3 or block[0] < main[0]:
            continue
        if any(layout.columns[c].role in IDENTITY for c in block):
            continue
        codes = [" ".join(as_text(r[block[0] - 1]).casefold().split()) for r in rows[first - 1:]
                 if block[0] <= len(r) and as_text(r[block[0] - 1])]
        codes = [c for c in codes if len(c.split()) <= 4]
        if len(codes) < 3 or sum(1 for c in codes if c in used) < 0.5 * len(codes):
            continue
        for column in block:
            layout.columns[column] = replace(layout.columns[column], role="beside", source="a key beside the table")
