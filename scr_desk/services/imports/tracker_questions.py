"""The questions a hand-made tracker raises, each with a safe default, and the answers given to
them (in the preview, or with `scr-desk import --answers FILE.json`), remembered for the
partnership so that next quarter's copy of the tracker is read the same way."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import AppMeta
from scr_desk.domain.enums import Rag, ReviewType, Status
from scr_desk.domain.errors import ScrDeskError

ANSWERS_KEY = "tracker_answers"
KEEP_AS_TEXT = "Keep as text"
NO_RATING = "No rating"
RAG_CHOICES = [r.value for r in Rag] + [NO_RATING, KEEP_AS_TEXT]
STATUS_CHOICES = [s.value for s in Status if s is not Status.ASSURED] + [KEEP_AS_TEXT]
REVIEW_TYPES = [t.value for t in ReviewType]


class AnswersError(ScrDeskError):
    """An answers file that cannot be used; the message is one sentence."""


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


# An answers file is what `--json` printed, edited: kilobytes, a few levels deep. Beyond these it
# is not one (a 114 MB file once made a 47 MB error line; deep nesting crashed the reader).
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_ANSWERS_DEPTH = 8
MAX_ANSWERS = 10_000
QUOTED_CHARS = 60  # of a value quoted back in a message
LISTED_PROBLEMS = 10


def shown(value: object) -> str:
    """A value from the answers file, quoted in a message: never more than a few words of it."""
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value if isinstance(value, str) else str(value))
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS - 1] + "…"


def _depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in `value`, counting no further than `limit` + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > limit:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def read_answers_file(path: Path) -> dict[str, Any]:
    """Answers as `--json` prints its questions: a list of questions with an "answer" each, an
    object {"questions": [...]}, or a plain object {question id: answer}."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_ANSWERS_BYTES:
            raise AnswersError(f"{path}: the answers file is {size / 1_048_576:.1f} MB; an answers file is what "
                               "--json printed, a few kilobytes, so it was not read")
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AnswersError(f"{path}: the answers file does not exist") from None
    except RecursionError:
        raise AnswersError(f"{path}: the answers file nests its lists and objects far more deeply than the "
                           "answers --json prints") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise AnswersError(f"{path}: the answers file is not JSON ({detail[:120]})") from None
    if _depth(data, MAX_ANSWERS_DEPTH) > MAX_ANSWERS_DEPTH:
        raise AnswersError(f"{path}: the answers file nests its lists and objects more than {MAX_ANSWERS_DEPTH} deep; "
                           "the answers --json prints go no deeper than 4")
    if isinstance(data, dict | list) and len(data) > MAX_ANSWERS:
        raise AnswersError(f"{path}: the answers file holds {len(data):,} entries; no tracker asks that many questions")
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        data = data["questions"]
    if isinstance(data, list):
        found = {}
        for entry in data:
            if not isinstance(entry, dict) or "id" not in entry:
                raise AnswersError(f"{path}: each answer must be an object with an \"id\" and an \"answer\"")
            if "answer" in entry:
                found[str(entry["id"])] = entry["answer"]
        return found
    if isinstance(data, dict):
        return {str(k): v for k, v in data.items()}
    raise AnswersError(f"{path}: the answers file must hold a list of questions with answers, or an object")


def check_answers(answers: dict[str, Any], questions: list[dict[str, Any]]) -> None:
    """Refuse answers given for questions the files do not raise, or that are not one of their
    question's choices: a typing slip must not be taken silently (and remembered) as "keep as text"."""
    asked = {str(q["id"]): q for q in questions}
    problems = []
    for question_id, answer in answers.items():
        question = asked.get(question_id)
        if question is None:
            problems.append(f"no file asks a question with the id {shown(question_id)}")
        elif answer is not None and (problem := _answer_problem(question, answer)):
            problems.append(f"{shown(question_id)}: {problem}")
    if problems:
        more = len(problems) - LISTED_PROBLEMS
        raise AnswersError("; ".join(problems[:LISTED_PROBLEMS])
                           + (f"; and {more:,} more" if more > 0 else "") + ". Nothing was imported.")


def _answer_problem(question: dict[str, Any], answer: Any) -> str | None:
    """Why `answer` cannot answer `question`, or None when it can."""
    from scr_desk.domain.dates import parse_uk_date
    from scr_desk.domain.rules import parse_period
    kind, field_name, choices = question["kind"], question["field"], list(question.get("choices") or [])
    if kind == "review":
        if not isinstance(answer, dict) or not set(answer) <= {"name", "code", "type"}:
            return 'the answer must be an object with a "name", a "code" and a "type"'
        if answer.get("type"):
            try:
                ReviewType.from_text(str(answer["type"]))
            except ValueError:
                return f"{shown(answer['type'])} is not a review type; the types are: {', '.join(REVIEW_TYPES)}"
        return None
    text = str(answer).strip()
    if kind == "period":
        try:
            parse_period(text)
        except ValueError:
            return f"{shown(text)} is not a reporting period like 2025-26 Q3"
        return None
    if field_name == "target_date":
        if _is_choice(text, [KEEP_AS_TEXT]):
            return None
        try:
            parse_uk_date(text)
        except ValueError:
            return f"{shown(text)} is neither a date (dd/mm/yyyy) nor {KEEP_AS_TEXT!r}"
        return None
    if choices and not _is_choice(text, choices):
        return f"{shown(text)} is not one of its choices: {', '.join(choices)}"
    return None


def _is_choice(text: str, choices: list[str]) -> bool:
    return " ".join(text.split()).casefold() in {choice.casefold() for choice in choices}


def _means(text: str, choice: str) -> bool:
    return " ".join(text.split()).casefold() == choice.casefold()


def remembered_answers(session: Session) -> dict[str, Any]:
    stored = session.scalar(select(AppMeta.value).where(AppMeta.key == ANSWERS_KEY))
    try:
        found = json.loads(stored) if stored else {}
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def remember_answers(session: Session, answers: dict[str, Any]) -> None:
    """Keep the lead's answers for this partnership's next import (one app_meta entry, as the
    column corrections are kept under legacy_mapping:)."""
    if not answers:
        return
    row = session.get(AppMeta, ANSWERS_KEY)
    merged = {**remembered_answers(session), **answers}
    if row is None:
        session.add(AppMeta(key=ANSWERS_KEY, value=json.dumps(merged, ensure_ascii=False)))
    else:
        row.value = json.dumps(merged, ensure_ascii=False)


def rag_answer(answer: Any) -> tuple[Rag | None, Status | None, bool]:
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
    text = str(answer or "").strip()
    if not text or _means(text, KEEP_AS_TEXT):
        return None, True
    try:
        status = Status.from_text(text)
    except ValueError:
        return None, True
    return (Status.COMPLETE if status is Status.ASSURED else status), False


def plain_id(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())
