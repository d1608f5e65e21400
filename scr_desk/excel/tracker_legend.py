"""A tracker's key or legend, and its meanings used: '1 Fully achieved' makes the rating 1 mean
Blue and complete, 'B / Complete – action completed' confirms B, 'Purple = not yet due' gives a
colour the importer does not know a meaning. Read from key lines under or beside a table, a key
sheet or a key table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scr_desk.domain.enums import Rag, Status
from scr_desk.excel.tracker_readings import RAG_WORDS, STATUS_WORDS, Reading, read_rag

ENTRY = re.compile(r"^\s*(?P<code>\d{1,2}|[A-Za-z][A-Za-z ]{0,20}?(?:\s*/\s*[A-Za-z][A-Za-z ]{0,20}?)?)\s*"
                   r"(?:=|:|–|—|-|\s{2,}|\t|\s(?=\d)|(?<=\d)\s)\s*(?P<meaning>[^=;]{2,200})$")
KEY_WORDS = re.compile(r"\b(key|legend|rag|brag|rating|ratings|categories|category|definitions?|status|scale|"
                       r"assessment|meaning)\b", re.IGNORECASE)
COMPLETE = re.compile(r"\b(fully achieved|achieved|complete|completed|done|delivered|implemented|closed|met)\b",
                      re.IGNORECASE)
PHRASES = [("not on track", Rag.RED), ("off track", Rag.RED), ("not progress", Rag.RED), ("no progress", Rag.RED),
           ("significant", Rag.RED), ("escalat", Rag.RED), ("behind", Rag.AMBER), ("slippage", Rag.AMBER),
           ("delay", Rag.AMBER), ("some progress", Rag.AMBER), ("risk", Rag.AMBER), ("concern", Rag.AMBER),
           ("on track", Rag.GREEN), ("on target", Rag.GREEN), ("good progress", Rag.GREEN)]


@dataclass
class Legend:
    """Code (case-folded) -> (RAG, status, the meaning as written)."""

    meanings: dict[str, tuple[Rag | None, Status | None, str]] = field(default_factory=dict)

    def reading(self, value: object) -> Reading | None:
        """What a rated value means by the legend, when the legend defines it."""
        key = _key(str(value))
        if key in self.meanings:
            rag, status, _ = self.meanings[key]
            if rag or status:
                return Reading(True, rag=rag, status=status)
        return None

    def add(self, code: str, meaning: str) -> bool:
        key = _key(code)
        if not key or len(key) > 24:
            return False
        rag, status = meaning_of(code, meaning)
        if rag is None and status is None:
            return False
        self.meanings.setdefault(key, (rag, status, meaning.strip()))
        parts = re.split(r"\s*/\s*", key)
        own = {read_rag(part).rag for part in parts} - {None}
        if len(parts) > 1 and len(own) <= 1:  # 'B / Complete' defines B and Complete; 'Amber/Green' only itself
            for part in parts:
                self.meanings.setdefault(part, (rag, status, meaning.strip()))
        return True

    def merge(self, other: Legend) -> None:
        for key, value in other.meanings.items():
            self.meanings.setdefault(key, value)


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split()).strip(" :.")


def meaning_of(code: str, meaning: str) -> tuple[Rag | None, Status | None]:
    """The RAG and status a legend line gives its code: the code's own when it is a RAG word, else
    what its meaning says ('Fully achieved' -> Blue and complete)."""
    own = read_rag(code.split("/")[0].strip())
    if own.known and own.rag is not None:
        return own.rag, own.status
    said = " ".join(re.findall(r"[a-z]+", code.casefold()))
    if said in STATUS_WORDS:  # a status word keeps its own meaning; the key only explains it
        own_status = STATUS_WORDS[said]
        return (Rag.BLUE if own_status is Status.COMPLETE else None), own_status
    text = " ".join(meaning.casefold().split()).strip(" .")
    words = re.findall(r"[a-z]+", text)
    for size in (4, 3, 2, 1):
        head = " ".join(words[:size])
        if head in RAG_WORDS and RAG_WORDS[head][0] is not None:
            rag, status = RAG_WORDS[head]
            return rag, status
        if head in STATUS_WORDS:
            meant = STATUS_WORDS[head]
            return (Rag.BLUE, meant) if meant is Status.COMPLETE else (None, meant)
    for phrase, rag in PHRASES:
        if phrase in text:
            return rag, None
    if COMPLETE.search(text) and not re.search(r"\bnot\b|\bpartial", text):
        return Rag.BLUE, Status.COMPLETE
    colours = {c for c in ("red", "amber", "green", "blue", "yellow") if re.search(rf"\b{c}\b", text)}
    if len(colours) == 1:
        found = read_rag(colours.pop())
        return found.rag, found.status
    return None, None


def entries(text: str) -> list[tuple[str, str]]:
    """(code, meaning) pairs a key line gives: 'G – on track', '1  Fully achieved', 'Key: Blue =
    complete; Green = on track', 'Status: Complete – achieved; Ongoing – continue monitoring'."""
    body = re.sub(r"^\s*(?:[A-Za-z ]{0,20}\b(?:key|legend|categories|ratings?|status|brag|rag)\b[^:]{0,30}:)\s*", "",
                  text, flags=re.IGNORECASE)
    found = []
    for part in re.split(r"\s*[;\n]\s*|\.\s+(?=[A-Z])", body):
        if match := ENTRY.match(part.strip()):
            found.append((match["code"].strip(), match["meaning"].strip()))
    return found


def is_key_heading(text: str) -> bool:
    """'RAG key:', 'Key', 'Assessment of progress categories:' start a key."""
    text = " ".join(text.split())
    return len(text.split()) <= 8 and bool(KEY_WORDS.search(text)) and (text.endswith(":") or len(text.split()) <= 3)
