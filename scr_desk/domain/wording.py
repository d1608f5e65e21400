"""Counts in plain English: "1 review", "2 reviews", "0 of 1 action complete". One helper for
every count the window, the reports and the command line show."""

from __future__ import annotations

__all__ = [
    "FIELD_WORDS", "count", "days_overdue", "field_words", "join_words", "of_total", "plural_of", "possessive",
    "the_columns", "with_article", "words",
]


# Words whose plural is not the word with an "s".
_IRREGULAR = {"agency": "agencies", "entry": "entries", "day": "days", "this": "these", "is": "are", "was": "were",
              "has": "have", "it": "they", "child": "children", "person": "people", "workbook": "workbooks",
              "summary": "summaries", "query": "queries", "policy": "policies", "return": "returns"}


def plural_of(word: str) -> str:
    """The plural of a (possibly multi-word) noun phrase: the last word changes."""
    head, _, last = word.rpartition(" ")
    if last in _IRREGULAR:
        plural = _IRREGULAR[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def count(number: int, word: str, plural: str | None = None) -> str:
    """"1 review", "2 reviews", "0 reviews"; `word` may be a phrase ("overdue item")."""
    return f"{number:,} {word if number == 1 else (plural or plural_of(word))}"


def words(number: int, word: str, plural: str | None = None) -> str:
    """The word alone, agreeing with the number ("is"/"are", "action"/"actions")."""
    return word if number == 1 else (plural or plural_of(word))


def days_overdue(days: int) -> str:
    return f"{count(days, 'day')} overdue"


def of_total(done: int, total: int, word: str, state: str = "complete") -> str:
    """"0 of 1 action complete", "3 of 5 recommendations complete"."""
    return f"{done:,} of {count(total, word)} {state}"


FIELD_WORDS = {
    "rag": "RAG", "status": "status", "target_date": "target date", "revised_target_date": "revised target",
    "target_note": "target note", "lead_agency_id": "lead agency", "owner_agency_id": "owner agency",
    "contributor_ids": "contributing agencies", "contributors": "contributing agencies", "owner_name": "named owner",
    "success_measure": "success measure", "review_type": "review type", "commissioned_on": "commissioned date",
    "endorsed_on": "endorsed date", "published_on": "published date", "narrative": "update text",
    "as_at": "update date", "agency_id": "reporting agency", "report_url": "learning report link",
    "response_url": "partnership response link",
}


def the_columns(headers: list[str]) -> str:
    """"the column 'Key' is" / "the columns 'Key' and 'RAG' are": columns named in a sentence."""
    quoted = [repr(header) for header in headers]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return f"the {words(len(quoted), 'column')} {listed} {words(len(quoted), 'is')}"


def join_words(names: list[str]) -> str:
    """"Jo", "Jo and Sam", "Jo, Sam and Ali": names listed in a sentence."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def possessive(name: str) -> str:
    """'Hampshire Constabulary's', but 'Children's Services'' (a name ending in a plural s), as
    partnership letters write them."""
    if name.endswith(("'s", "s'")):
        return name  # "St Mary's": already possessive
    return f"{name}'" if name.endswith("s") and not name.endswith("ss") else f"{name}'s"


def with_article(noun: str) -> str:
    """"an update", "a recommendation": the indefinite article by the noun's first letter."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def field_words(field: str) -> str:
    """A record's field as the interface names it: "rag" -> "RAG", "lead_agency_id" -> "lead agency"."""
    return FIELD_WORDS.get(field, field.replace("_id", "").replace("_", " "))
