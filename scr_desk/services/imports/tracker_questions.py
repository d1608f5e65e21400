"""The questions a hand-made tracker raises, each with a safe default, and the answers given to
them (in the preview, or with `scr-desk import --answers FILE.json`), remembered for the
partnership so that next quarter's copy of the tracker is read the same way."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scr_desk.db.models import AppMeta
from scr_desk.domain.enums import ReviewType
from scr_desk.domain.errors import ScrDeskError
from scr_desk.excel.tracker_asks import (  # noqa: F401 - the names callers know them by
    KEEP_AS_TEXT,
    NO_RATING,
    RAG_CHOICES,
    REVIEW_TYPES,
    STATUS_CHOICES,
    Question,
    Questions,
    rag_answer,
    status_answer,
    value_id,
)

ANSWERS_KEY = "tracker_answers"


class AnswersError(ScrDeskError):
    """An answers file that cannot be used; the message is one sentence."""


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
    """Answers as `--json` prints them: its whole output (questions and rows, each given an
    "answer"), a list of questions with an "answer" each, or a plain object {id: answer}."""
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
    entries: list[Any] | None = None
    if isinstance(data, dict) and any(isinstance(data.get(k), list) for k in ("questions", "row_readings")):
        entries = [*(data.get("questions") or []), *(data.get("row_readings") or [])]
    elif isinstance(data, list):
        entries = data
    if entries is not None:
        found = {}
        for entry in entries:
            if not isinstance(entry, dict) or "id" not in entry:
                raise AnswersError(f"{path}: each answer must be an object with an \"id\" and an \"answer\"")
            if "answer" in entry:
                found[str(entry["id"])[:200]] = entry["answer"]
        return found
    if isinstance(data, dict):
        return {str(k)[:200]: v for k, v in data.items()}
    raise AnswersError(f"{path}: the answers file must hold a list of questions with answers, or an object")


def check_answers(answers: dict[str, Any], questions: list[dict[str, Any]], *, rows: set[str] | None = None,
                  sheets: set[str] | None = None) -> None:
    """Refuse answers given for questions the files do not raise, or that are not one of their
    question's choices: a typing slip must not be taken silently (and remembered) as "keep as text".
    A correction of a row, column, header or sheet the files have is an answer too."""
    from scr_desk.services.imports.tracker_corrections import is_structural, problem
    asked = {str(q["id"]): q for q in questions}
    problems = []
    for question_id, answer in answers.items():
        question = asked.get(question_id)
        if question is None and is_structural(question_id) and answer is not None:
            if (found := problem(question_id, answer, sheets or set(), rows or set())) is not None:
                problems.append(f"{shown(question_id)}: {found}")
        elif question is None:
            problems.append(f"no file asks a question with the id {shown(question_id)}")
        elif answer is not None and (found := _answer_problem(question, answer)):
            problems.append(f"{shown(question_id)}: {found}")
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
        if not isinstance(answer, dict) or not set(answer) <= {"name", "code", "type", "partnership"}:
            return 'the answer must be an object with a "name", a "code", a "type" and a "partnership"'
        if answer.get("type"):
            try:
                ReviewType.from_text(str(answer["type"]))
            except ValueError:
                return f"{shown(answer['type'])} is not a review type; the types are: {', '.join(REVIEW_TYPES)}"
        return None
    text = str(answer).strip()
    if kind in ("header", "column", "review_of", "duplicate", "row"):
        from scr_desk.services.imports.tracker_corrections import problem
        return problem(question["id"], answer, {_sheet_of(question["id"])}, {question["id"]})
    if kind == "agencies":
        return None if text else "name the agencies, separated by ';'"
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


def _sheet_of(question_id: str) -> str:
    kind, _, rest = question_id.partition(":")
    return rest.rpartition(":")[0] if kind in ("column", "row", "duplicate") else rest


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


def plain_id(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())
