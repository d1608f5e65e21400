"""What a column holds, profiled from its values: dates, months and quarters, words in place of a
date, RAG words and fills, status words, ticks, percentages, references, agency and people's names,
review names, long text (and whether it reads as a recommendation, an action or progress), dated
logs. A column's role is weighed from this and its heading (tracker_columns)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from scr_desk.excel.tracker_naming import looks_like_agency, looks_like_person, looks_like_role, names_a_review
from scr_desk.excel.tracker_readings import (
    STATUS_WORDS,
    either_half,
    read_rag,
    read_status,
    read_target,
    status_in_phrase,
    words_of,
)
from scr_desk.excel.tracker_refs import parse_ref

PROFILE_ROWS = 400  # enough rows to know a column; a 3,000-row tracker is profiled as fast as a 40-row one
TICKS = {"✓", "✔", "☑", "✅", "✗", "✘", "☒", "x", "yes", "no", "y", "n", "tick", "ticked", "true", "false"}
MODAL = re.compile(r"\b(should|must|ought|need to|needs to|will need|is required to|are required to|ensure|"
                   r"consider|to be assured|seek assurance)\b", re.IGNORECASE)
PROGRESS = re.compile(r"\b(\w+ed|has|have|had|was|were|been|now|since|awaiting|underway|ongoing|delayed|planned|"
                      r"booked|due|complete|completed|in place|live|held|sent|issued|agreed|drafted|delivered|"
                      r"attended|received|postponed|not started|not yet)\b|\d|%", re.IGNORECASE)
DATED_LINE = re.compile(r"^\s*[•\-–*]?\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|"
                        r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9},? \d{4}|"
                        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4}|q[1-4]\b[^:–\-]{0,10})"
                        r"\s*[:–\-—)]", re.IGNORECASE)
INITIALS = re.compile(r"^[A-Z]{2,3}(\s*[/,&]\s*[A-Z]{2,3})+$")
KEY_ENTRY = re.compile(r"^\s*(?:[A-Za-z]{1,6}|\d{1,2}|[A-Za-z]{1,2}\d)\s*=\s*\S|^\s*[A-Z]\s*:\s*[A-Za-z]")
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
DATE_WORDS = re.compile(r"\b(months?|weeks?|years?|days?|quarter|quarterly|annual|annually|monthly|ongoing|on going|"
                        r"immediate|immediately|tbc|tba|tbd|confirmed|agreed|asap|continuous|rolling|publication|"
                        r"spring|summer|autumn|winter|end|start|n/?a|not applicable|complete|completed|date)\b")
SCOPE_WORDS = {"local", "regional", "national", "local and regional", "local/regional", "sub-regional", "pan-london"}


@lru_cache(maxsize=20000)
def text_kinds(text: str) -> frozenset[str]:
    """The kinds a text cell may be (a value can be several: 'Complete' is a RAG word and a status)."""
    found: set[str] = set()
    words = text.split()
    lowered = " ".join(re.sub(r"[^a-z0-9/% ]+", " ", text.casefold()).split())
    if URL.match(text):
        return frozenset({"url"})
    if KEY_ENTRY.match(text) and len(words) <= 10:  # 'G = on track' explains a code: it is no rating itself
        return frozenset({"key"})
    if re.fullmatch(r"\d{1,3}(\.\d+)?\s*%", text):
        return frozenset({"percent"})
    if re.fullmatch(r"\d+(\.\d+)?", text):  # a number typed as text (a CSV holds only text)
        found.add("number")
    if lowered in TICKS or text in TICKS:
        found.add("tick")
    if lowered in SCOPE_WORDS:
        found.add("scope")
    if len(words) <= 8 and (half := either_half(text, read_status)) is not None:  # 'Ar waith / In progress'
        found.update({"status"} | ({"rag"} if half.rag else set()))
    if len(words) <= 4:
        rag = read_rag(text)
        if rag.known and not rag.empty and (rag.rag or rag.status) and (not rag.partial or len(words) <= 3):
            found.add("rag")
        if lowered in STATUS_WORDS or _leading_status(lowered) or status_in_phrase(words_of(lowered))[1] > 0.5:
            found.add("status")
    if len(words) <= 7:
        target = read_target(text, date1904=False, fiscal_year=2000)
        if target.when and (not target.note or len(words) <= 4):
            found.add("month" if target.how == "month only" else "period" if target.how.startswith("end of")
                      else "date")
        elif target.known and target.note and not target.empty and DATE_WORDS.search(lowered):
            found.add("notdate")
        elif target.empty:
            found.add("nothing")
    if len(text) <= 24 and not found & {"date", "month", "period"} and (ref := parse_ref(text)) is not None:
        found.add("opaque_ref" if ref.opaque else "ref")
    if len(words) <= 12:
        if names_a_review(text):
            found.add("review")
        if INITIALS.match(text) or looks_like_person(text.split(",")[0]) or looks_like_role(text):
            found.add("person")
        elif len(words) <= 9 and looks_like_agency(text):
            found.add("agency")
    if any(DATED_LINE.match(line) for line in text.splitlines()[:1]) and len(words) >= 3:
        found.add("dated_log")
    if len(words) >= 6:
        found.add("long")
    elif not found:
        found.add("short")
    return frozenset(found)


def _leading_status(lowered: str) -> bool:
    head = re.split(r"\s[-–:]\s|[-–:(]", lowered, maxsplit=1)[0].strip()
    return head != lowered and head in STATUS_WORDS


def value_kinds(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, bool):
        return frozenset({"tick"})
    if isinstance(value, datetime):
        return frozenset({"date", "datetime"} if value.time() != time(0) else {"date"})
    if isinstance(value, date):
        return frozenset({"date"})
    if isinstance(value, float) and not value.is_integer():
        return frozenset({"percent", "number"} if 0 <= value <= 1 else {"number", "ref"})
    if isinstance(value, int | float):
        number = int(value)
        if 36000 <= number <= 55000:  # an Excel date serial typed as a number (1998-2050)
            return frozenset({"date", "number"})
        return frozenset({"number", "ref"} if 0 <= number < 1000 else {"number"})
    text = " ".join(str(value).split())
    return text_kinds(text) if text else frozenset()


@dataclass
class ColumnProfile:
    column: int
    filled: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    words: int = 0  # total words, for the average
    distinct: int = 0
    repeats: int = 0  # cells equal to the column's previous value, or merged down: a group's value
    modal: int = 0  # texts that read as recommendations ('should', 'must')
    progress: int = 0  # texts that read as progress (past tense, dates, numbers)
    fills: int = 0  # cells whose fill names a RAG
    multiline: int = 0
    first_words: Counter[str] = field(default_factory=Counter)

    cells: list[frozenset[str]] = field(default_factory=list)  # each filled cell's kinds

    def frac(self, *kinds: str) -> float:
        """The share of filled cells that are any of `kinds`."""
        if not self.filled:
            return 0.0
        wanted = set(kinds)
        return sum(1 for found in self.cells if found & wanted) / self.filled

    @property
    def avg_words(self) -> float:
        return self.words / self.filled if self.filled else 0.0

    @property
    def group_level(self) -> bool:
        """The column's values span several rows each (merged down or repeated): a parent's."""
        return self.filled >= 2 and self.repeats >= max(1, self.filled // 3)


def profile_columns(rows: list[list[Any]], first: int, columns: list[int], merged_down: dict[tuple[int, int], int],
                    fill_rag: dict[tuple[int, int], Any], across: set[int] | None = None) -> dict[int, ColumnProfile]:
    """Each column's profile over the table rows from `first` (1-based); `merged_down` maps a cell
    merged into the one above to that row, `fill_rag` the cells whose fill names a RAG, `across`
    the rows merged across the table (sections), which are not profiled."""
    across = across or set()
    profiles = {c: ColumnProfile(c) for c in columns}
    last = min(len(rows), first + PROFILE_ROWS - 1)
    seen: dict[int, set[str]] = {c: set() for c in columns}
    previous: dict[int, str] = {}
    for number in range(first, last + 1):
        row = rows[number - 1]
        own = sum(1 for v in row if v is not None and (not isinstance(v, str) or v.strip()))
        if own + sum(1 for c in columns if (number, c) in merged_down) < 2 or number in across:
            continue  # a title, section, note or spacer row: not one of the table's rows
        for column in columns:
            profile = profiles[column]
            if (number, column) in fill_rag:
                profile.fills += 1
            if (number, column) in merged_down:
                profile.repeats += 1
                continue
            value = row[column - 1] if column <= len(row) else None
            if value is None or isinstance(value, str) and not value.strip():
                continue
            text = " ".join(str(value).split())
            profile.filled += 1
            found = value_kinds(value)
            profile.kinds.update(found)
            profile.cells.append(found)
            words = text.split()
            profile.words += len(words)
            if words:
                profile.first_words[words[0].casefold()] += 1
            if text == previous.get(column):
                profile.repeats += 1
            previous[column] = text
            seen[column].add(text)
            if len(words) >= 2 and found - {"date", "datetime"}:  # a timestamp ('2026-11-20 14:02') is no progress
                profile.modal += bool(MODAL.search(text)) and len(words) >= 5
                profile.progress += len(PROGRESS.findall(text)) >= (1 if len(words) <= 6 else 2)
            if "\n" in str(value).strip():
                profile.multiline += 1
    for column, profile in profiles.items():
        profile.distinct = len(seen[column])
    return profiles
