"""The questions reading a hand-made tracker raises, each with a safe default (kept as text, the
field left unset), and the answers given to them. Pure: the answers come in as a mapping (from the
preview, `--answers FILE.json`, or remembered by services.imports.tracker_questions)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import Any

from scr_desk.domain.enums import Rag, ReviewType, Status

KEEP_AS_TEXT = "Keep as text"
NO_RATING = "No rating"
RAG_CHOICES = [r.value for r in Rag] + [NO_RATING, KEEP_AS_TEXT]
STATUS_CHOICES = [s.value for s in Status if s is not Status.ASSURED] + [KEEP_AS_TEXT]
REVIEW_TYPES = [t.value for t in ReviewType]


@dataclass
class Question:
    id: str
    kind: str  # "value" (what a written value means), "review" (name, code, type), "period" (of a column)
    field: str  # rag, status, target_date; review; update
    text: str  # the question in words
    default: Any
    choices: list[str] = dataclass_field(default_factory=list)  # empty: free text
    asked: bool = False  # the importer could not place it: shown as a warning until answered
    count: int = 0
    where: str = ""  # the first sheet and row it came from
    answer: Any = None
    written: str = ""  # the value as the tracker writes it (the id holds it case-folded)

    @property
    def value(self) -> Any:
        return self.default if self.answer is None else self.answer

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "kind": self.kind, "field": self.field, "question": self.text,
                                 "default": self.default, "count": self.count, "where": self.where,
                                 "asked": self.asked}
        if self.written:
            found["written"] = self.written
        if self.choices:
            found["choices"] = list(self.choices)
        if self.answer is not None:
            found["answer"] = self.answer
        return found


class Questions:
    """Questions met while reading, in the order met; answers looked up by question id."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        self.answers = dict(answers or {})
        self.found: dict[str, Question] = {}

    def ask(self, question: Question) -> Question:
        known = self.found.get(question.id)
        if known is None:
            known = self.found[question.id] = question
            if question.id in self.answers:
                known.answer = self.answers[question.id]
        known.count += 1
        return known

    def as_json(self) -> list[dict[str, Any]]:
        return [q.as_json() for q in self.found.values()]

    def open_questions(self) -> list[Question]:
        """The questions still unanswered whose default is a guess the lead should check."""
        return [q for q in self.found.values() if q.asked and q.answer is None]


def value_id(field_name: str, value: str) -> str:
    return f"{field_name}:{' '.join(str(value).casefold().split())}"


def rag_answer(answer: Any) -> tuple[Rag | None, Status | None, bool]:
    """(RAG, status, kept as text) an answer to a RAG question means."""
    return _rag_answer(str(answer or "").strip())


@lru_cache(maxsize=1024)
def _rag_answer(answer: str) -> tuple[Rag | None, Status | None, bool]:
    """(RAG, status, kept as text) an answer to a RAG question means."""
    text = str(answer or "").strip()
    if not text or _means(text, KEEP_AS_TEXT):
        return None, None, True
    if _means(text, NO_RATING):
        return None, None, False
    try:
        rag = Rag.parse(text)
    except ValueError:
        return None, None, True
    return rag, Status.COMPLETE if rag is Rag.BLUE else None, False


def status_answer(answer: Any) -> tuple[Status | None, bool]:
    return _status_answer(str(answer or "").strip())


@lru_cache(maxsize=1024)
def _status_answer(answer: str) -> tuple[Status | None, bool]:
    text = str(answer or "").strip()
    if not text or _means(text, KEEP_AS_TEXT):
        return None, True
    try:
        status = Status.from_text(text)
    except ValueError:
        return None, True
    return (Status.COMPLETE if status is Status.ASSURED else status), False


def _means(text: str, choice: str) -> bool:
    return " ".join(text.split()).casefold() == choice.casefold()
