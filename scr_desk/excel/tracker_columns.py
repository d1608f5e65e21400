"""Each column's role, weighed from what its heading says (tracker_vocab) and what its values hold
(tracker_profile): a heading never seen before gets its role from its values and its neighbours, and
values that contradict a heading outweigh it ('Rec' over a column of sentences holds the
recommendations, not their numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from scr_desk.excel.tracker_profile import ColumnProfile
from scr_desk.excel.tracker_vocab import REPEATABLE, ROLES, heading_scores

# roles whose values have no signature of their own: the heading alone may give them
HEADING_ONLY = {"evidence", "success_measure", "raised", "author", "completion", "revised_target_date", "theme",
                "update_date", "row_id", "rec_or_action"}
TEXT_ROLES = {"rec_text", "action_text", "rec_or_action", "update", "evidence", "success_measure"}
LEAST = 1.6  # below this a column is kept as text: no role is sure enough


@dataclass(frozen=True)
class Choice:
    role: str  # a key of ROLES, or "text" (kept as text)
    score: float
    source: str  # "heading", "values", "heading and values"


def value_scores(p: ColumnProfile, rows: int) -> dict[str, float]:
    """Role -> how well the column's values fit it (0-3.5)."""
    if p.filled == 0:
        return {"rag": 3.0} if p.fills >= max(2, rows // 3) else {}
    f = p.frac
    scores: dict[str, float] = {}
    long_text = f("long", "dated_log")
    short = p.avg_words <= 4
    rag_words = f("rag")
    scores["rag"] = 3.0 * rag_words * (1.0 if short else 0.3) + (1.5 if p.fills >= max(2, p.filled // 2) else 0.0)
    numbers = f("number")
    if numbers >= 0.8 and p.distinct <= 6 and short and not f("date"):
        scores["rag"] = max(scores["rag"], 1.8)  # a numeric scale (1-4), read by its key
    scores["status"] = 3.0 * f("status") * (1.0 if short else 0.3) + 1.0 * f("tick")  # 'Yes' under 'Done?'
    if rag_words > f("status") + 0.2:
        scores["status"] *= 0.5
    scores["percent"] = 3.2 * f("percent")
    dates = f("date", "month", "period", "notdate")
    scores["target_date"] = 3.0 * dates * (0.4 if f("datetime") > 0.5 else 1.0)
    scores["update_date"] = 2.0 * f("date")
    scores["raised"] = 1.0 * f("date")
    scores["completion"] = 1.0 * f("date", "long")
    scores["revised_target_date"] = 1.5 * dates
    refs = sum(1 for found in p.cells if found & {"ref", "opaque_ref"} and "rag" not in found) / p.filled
    # One opaque code on every row ('PLN-0042') names the plan they come from, not each item.
    plan_code = p.distinct == 1 and p.filled >= 3 and f("opaque_ref") >= 0.8
    if p.avg_words <= 3 and not plan_code:
        scores["rec_number"] = 3.0 * refs + (0.3 if p.group_level else 0.0)
        scores["action_number"] = 2.8 * refs
    few = p.group_level or p.distinct <= max(2, p.filled // 2)
    names = sum(1 for found in p.cells if found & {"short", "review", "agency", "person"}) / p.filled
    scores["review"] = 3.0 * f("review") * (1.0 if few else 0.6) + (1.0 * names if few and short else 0.0)
    scores["lead_agency"] = 3.0 * f("agency") - 1.5 * f("person")
    scores["owner"] = 3.0 * f("person") + 0.5 * f("agency")
    scores["scope"] = 3.5 * f("scope")
    modal = p.modal / p.filled
    progress = p.progress / p.filled
    text = 1.0 * words_share(p) + 1.0 * long_text
    sentences = min(1.0, p.avg_words / 5)  # an item is a sentence, not a word or two
    scores["rec_text"] = (text + 1.2 * modal + (0.6 if p.group_level else 0.0)) * sentences
    scores["action_text"] = (text + 0.4 * (1.0 - modal) - 0.6 * progress) * sentences
    scores["update"] = text + 1.0 * progress + 1.2 * f("dated_log") - 0.8 * modal
    scores["evidence"] = 0.6 * text
    scores["success_measure"] = 0.5 * text
    scores["rec_or_action"] = text * sentences
    if p.distinct == p.filled and numbers == 1.0 and not p.group_level:
        scores["row_id"] = 1.0
    scores["theme"] = 0.8 * words_share(p) if short else 0.0
    return {role: max(0.0, score) for role, score in scores.items()}


NOT_WORDS = frozenset({"date", "datetime", "month", "period", "number", "percent", "ref", "opaque_ref", "tick", "url",
                       "key", "nothing"})


def words_share(p: ColumnProfile) -> float:
    """The share of cells that are words (not dates, numbers, percentages or bare references)."""
    if not p.filled:
        return 0.0
    return sum(1 for found in p.cells if found - NOT_WORDS) / p.filled


def _verdicts(p: ColumnProfile) -> bool:
    """A column of a few short status or verdict words ('Not started', 'Met', 'Partially met'): a
    status, whatever its heading says ('Progress', 'Assurance'), never anyone's words of progress."""
    return p.filled >= 2 and p.frac("status") >= 0.6 and p.frac("long") <= 0.25


def choices(heading: str, profile: ColumnProfile, rows: int) -> list[Choice]:
    """Every role the column could have, best first. A heading the values agree with (or do not
    contradict) counts for more than either alone; one they contradict counts for little."""
    said = heading_scores(heading)
    held = value_scores(profile, rows)
    if heading.strip() and _verdicts(profile):  # a totals line under the verdicts makes them no sentences
        held["status"] = max(held.get("status", 0.0), 3.0 * profile.frac("status"))
        held.update({role: 0.3 * held[role] for role in TEXT_ROLES if role in held})
    found = []
    for role in ROLES:
        h, v = said.get(role, 0.0), held.get(role, 0.0)
        if role in TEXT_ROLES or role in ("review", "theme", "author"):
            contradicted = bool(profile.filled) and (words_share(profile) < 0.5 or _verdicts(profile))
        elif role in ("raised", "update_date", "revised_target_date"):
            contradicted = bool(profile.filled) and profile.frac("date", "datetime", "month", "period", "notdate") < 0.5
        elif role == "percent":  # '30' under '% complete' is a percentage
            contradicted = bool(profile.filled) and profile.frac("percent", "number") < 0.6
        elif role == "row_id":
            contradicted = bool(profile.filled) and profile.frac("number") < 0.8
        else:
            contradicted = bool(profile.filled) and role not in HEADING_ONLY and v < 0.6
        if h and contradicted:
            h *= 0.35  # 'Rec' over a column of sentences is not a column of numbers
        elif h >= 1.5:
            h += 1.0
        if role in HEADING_ONLY and not h:
            v *= 0.5
        if not h and profile.filled < 2 and role in ("rec_number", "action_number", "review", "rec_text"):
            v *= 0.3  # one value under no heading is too little to tell an item's identity by
        score = h + v
        if score > 0:
            source = "heading and values" if h >= 1 and v >= 1 else "heading" if h >= v else "values"
            found.append(Choice(role, round(score, 3), source))
    found.sort(key=lambda c: -c.score)
    return found


def assign_roles(headings: dict[int, str], profiles: dict[int, ColumnProfile], rows: int,
                 hidden: set[int] | None = None) -> dict[int, Choice]:
    """Column -> its role: the strongest claims first, each role once (updates and themes may
    repeat); a hidden column never wins over a visible one; columns no role is sure of are kept
    as text."""
    hidden = hidden or set()
    columns = sorted(set(headings) | {c for c, p in profiles.items() if p.filled or p.fills})
    claims = []
    for column in columns:
        for choice in choices(headings.get(column, ""), profiles.get(column) or ColumnProfile(column), rows):
            weight = choice.score - (0.5 if column in hidden else 0.0)
            claims.append((weight, -column, column, choice))
    claims.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen: dict[int, Choice] = {}
    taken: set[str] = set()
    outbid: dict[int, Choice] = {}  # a column whose heading's role another column holds
    for weight, _, column, choice in claims:
        if column in chosen or weight < LEAST:
            continue
        if choice.role in taken and choice.role not in REPEATABLE:
            if choice.source != "values":
                outbid.setdefault(column, choice)
            continue
        if column in outbid and choice.source == "values":
            continue  # a second 'RAG' column is not a column of numbers: it is kept as text
        chosen[column] = choice
        taken.add(choice.role)
    for column in columns:
        if column not in chosen and ((profiles.get(column) and profiles[column].filled) or headings.get(column)):
            chosen[column] = Choice("text", 0.0, "kept as text")
    return dict(sorted(chosen.items()))
