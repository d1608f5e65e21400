"""What a column's heading says, as evidence rather than a verdict: each role a heading may name,
with how strongly. The words are the domain's own (partnership trackers, NHS and council action
plans, inspectorate improvement plans, performance-system exports), never one file's; a heading
that names nothing known gives no evidence, and the column's values decide (tracker_columns)."""

from __future__ import annotations

import re
from functools import lru_cache

from scr_desk.domain.enums import Status
from scr_desk.excel.tracker_readings import status_in_phrase

ROLES: dict[str, str] = {
    "review": "Review", "rec_number": "Recommendation number", "rec_text": "Recommendation",
    "rec_or_action": "Recommendation / action", "action_number": "Action number", "action_text": "Action",
    "lead_agency": "Lead agency", "owner": "Lead officer / owner", "target_date": "Target date",
    "revised_target_date": "Revised target date", "rag": "RAG", "status": "Status", "update": "Progress update",
    "evidence": "Evidence", "update_date": "Date of update", "completion": "Date of completion and outcome",
    "percent": "% complete", "scope": "Scope", "success_measure": "Success measure", "author": "Written by",
    "raised": "Date raised or agreed", "theme": "Theme or area", "row_id": "Row number of a list",
    "row_label": "What each row holds",
}
# the mapping view's
FIELDS = {k: v for k, v in ROLES.items() if k not in ("author", "raised", "theme", "row_id", "row_label")}
REPEATABLE = {"update", "theme"}
ITEM_ROLES = {"rec_text", "action_text", "rec_or_action"}

# (words that must all be present, role, strength): the first rules are the most specific
PHRASES: list[tuple[str, str, float]] = [
    ("recommendation action", "rec_or_action", 3), ("recommendations actions", "rec_or_action", 3),
    ("recommendation and action", "rec_or_action", 3), ("finding action", "rec_or_action", 2.5),
    ("action taken", "update", 3), ("actions taken", "update", 3), ("actions completed", "update", 3),
    ("action completed", "update", 2.5), ("work completed", "update", 3), ("work undertaken", "update", 3),
    ("what has been done", "update", 3), ("what has been achieved", "update", 3), ("milestones achieved", "update", 3),
    ("key milestones", "update", 2.5), ("progress to date", "update", 3), ("latest note", "update", 3),
    ("progress and evidence", "update", 3), ("update and evidence", "update", 3), ("progress evidence", "update", 3),
    ("current position", "update", 3), ("position statement", "update", 3),
    ("date of update", "update_date", 3), ("update date", "update_date", 3), ("date updated", "update_date", 3),
    ("last updated", "update_date", 3), ("latest note date", "update_date", 3), ("date of progress", "update_date", 3),
    ("last modified", "update_date", 3), ("modified by", "author", 3), ("updated by", "author", 3),
    ("completed by", "author", 2), ("created by", "author", 3), ("reported by", "author", 2.5),
    ("date completed", "completion", 3), ("date achieved", "completion", 3), ("date closed", "completion", 3),
    ("actual completion", "completion", 3), ("completion and outcome", "completion", 3),
    ("date of completion", "completion", 2.5), ("closed date", "completion", 3), ("completed date", "completion", 3),
    ("revised target", "revised_target_date", 3), ("revised date", "revised_target_date", 3),
    ("revised deadline", "revised_target_date", 3), ("new target", "revised_target_date", 3),
    ("new date", "revised_target_date", 2.5), ("extended to", "revised_target_date", 2.5),
    ("revised timescale", "revised_target_date", 3), ("new achievement date", "revised_target_date", 3),
    ("original target", "target_date", 3), ("target date", "target_date", 3), ("due date", "target_date", 3),
    ("by when", "target_date", 3), ("completion date", "target_date", 2.5), ("end date", "target_date", 2.5),
    ("date for completion", "target_date", 3), ("expected completion", "target_date", 3),
    ("date agreed", "raised", 3), ("date raised", "raised", 3), ("date identified", "raised", 3),
    ("date opened", "raised", 3), ("date logged", "raised", 3), ("date of review", "raised", 2),
    ("date published", "raised", 3), ("date of report", "raised", 2.5), ("date received", "raised", 3),
    ("date of recommendation", "raised", 3), ("date accepted", "raised", 3),
    ("how will we know", "success_measure", 3), ("how we will know", "success_measure", 3),
    ("how do we know", "success_measure", 3), ("how will you know", "success_measure", 3),
    ("success measure", "success_measure", 3), ("where we are now", "update", 3), ("where are we now", "update", 3),
    ("progress so far", "update", 3), ("position now", "update", 3), ("what we have done", "update", 3),
    ("measure of success", "success_measure", 3), ("desired outcome", "success_measure", 3),
    ("expected outcome", "success_measure", 3), ("impact measure", "success_measure", 3),
    ("outcome measure", "success_measure", 3), ("outcome measures", "success_measure", 3),
    ("intended outcome", "success_measure", 3), ("made a difference", "success_measure", 3),
    ("evidence of impact", "evidence", 3), ("evidence of completion", "evidence", 3),
    ("supporting evidence", "evidence", 3), ("assurance evidence", "evidence", 3),
    ("lead agency", "lead_agency", 3), ("lead organisation", "lead_agency", 3),
    ("responsible agency", "lead_agency", 3),
    ("lead partner", "lead_agency", 3), ("agency responsible", "lead_agency", 3), ("lead service", "lead_agency", 2.5),
    ("lead officer", "owner", 3), ("named lead", "owner", 3), ("by whom", "owner", 3), ("assigned to", "owner", 3),
    ("responsible officer", "owner", 3), ("action owner", "owner", 3), ("executive lead", "owner", 3),
    ("identified lead", "owner", 3), ("responsible person", "owner", 3), ("accountable", "owner", 2.5),
    ("rag status", "rag", 3), ("rag rating", "rag", 3), ("b rag", "rag", 3), ("red amber green", "rag", 3),
    ("status icon", "rag", 2.5), ("assessment of progress", "rag", 2.5),
    ("rec no", "rec_number", 3), ("rec ref", "rec_number", 3), ("recommendation number", "rec_number", 3),
    ("recommendation no", "rec_number", 3), ("recommendation ref", "rec_number", 3), ("ref no", "rec_number", 3),
    ("action no", "action_number", 3), ("action number", "action_number", 3), ("action ref", "action_number", 3),
    ("action id", "action_number", 3), ("area for improvement", "rec_text", 3), ("learning point", "rec_text", 3),
    ("what needs to change", "rec_text", 3), ("what we will do", "action_text", 3),
    ("what will we do", "action_text", 3), ("what will be done", "action_text", 3),
    ("how will this be", "action_text", 2),
    ("agreed action", "action_text", 3), ("action to take", "action_text", 3), ("actions required", "action_text", 3),
    ("action required", "action_text", 3), ("specific action", "action_text", 3), ("agency action", "action_text", 3),
    ("key line of enquiry", "theme", 3), ("comment by", "author", 3), ("comments by", "author", 3),
    ("note by", "author", 3), ("update by", "author", 3), ("comment on", "update_date", 3),
    ("comment date", "update_date", 3), ("record id", "row_id", 3), ("row id", "row_id", 3),
    ("list id", "row_id", 3), ("item id", "row_id", 3), ("unique id", "row_id", 3), ("note date", "update_date", 3),
    ("start date", "raised", 2.5),
    ("date started", "raised", 2.5), ("key milestones", "update", 2.5),
]

# single words: role -> (strength, words)
WORDS: dict[str, tuple[float, set[str]]] = {
    "review": (2.0, {"review", "case", "scr", "sar", "dhr", "lcspr", "cspr", "inspection", "report", "audit"}),
    "rec_number": (2.0, {"ref", "reference", "no", "number", "num", "rec", "#", "id", "item"}),
    "rec_text": (2.0, {"recommendation", "recommendations", "finding", "findings", "learning", "issue", "issues",
                       "concern", "requirement", "requirements", "objective", "objectives", "aim", "outcome sought"}),
    "action_text": (2.0, {"action", "actions", "activity", "activities", "task", "tasks", "intervention",
                          "interventions", "deliverable", "deliverables", "measure", "step", "steps"}),
    "lead_agency": (2.0, {"agency", "agencies", "organisation", "organisations", "organization", "partner",
                          "partners", "service", "services", "department", "directorate", "provider", "body"}),
    "owner": (1.8, {"owner", "owners", "lead", "leads", "officer", "responsible", "responsibility", "who", "person",
                    "manager", "contact", "accountable", "champion", "sponsor"}),
    "target_date": (1.8, {"target", "deadline", "due", "timescale", "timescales", "timeframe", "timeframes", "when",
                          "completion", "end", "finish"}),
    "rag": (2.5, {"rag", "brag", "rating", "ragb", "assessment", "grade", "score", "rag'd", "category"}),
    "status": (2.5, {"status", "state"}),
    "update": (2.2, {"update", "updates", "progress", "comments", "comment", "commentary", "narrative", "notes",
                     "note", "position", "remarks", "feedback", "committee", "board"}),
    "evidence": (2.0, {"evidence", "impact", "assurance", "documents", "documentation", "link", "links"}),
    "percent": (3.0, {"%", "percent", "percentage"}),
    "scope": (2.5, {"scope"}),
    "success_measure": (1.5, {"outcome", "outcomes", "success", "measures", "kpi", "indicator", "difference",
                              "milestones", "deliverables"}),
    "raised": (1.5, {"start", "started", "opened", "raised", "agreed", "published"}),
    "theme": (1.5, {"theme", "area", "category", "priority", "workstream", "strand", "domain", "origin", "type",
                    "level", "source", "section", "group", "subgroup"}),
    "row_id": (1.0, {"id"}),
}
WHOEVER = {"owner", "owners", "lead", "leads", "responsible", "responsibility", "who", "accountable", "sponsor"}
PERSON_WORDS = {"officer", "person", "manager", "contact", "champion", "name", "named", "individual"}
DATED = {"date", "when", "timescale", "timescales", "deadline", "timeframe", "timeframes", "due"}


def normalise_heading(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%#]+", " ", str(text).casefold()).split())


def heading_scores(text: str) -> dict[str, float]:
    """Role -> how strongly the heading names it (0-3); empty when it names nothing known."""
    return dict(_heading_scores(text))


@lru_cache(maxsize=8192)
def _heading_scores(text: str) -> dict[str, float]:
    h = normalise_heading(text)
    if not h:
        return {}
    main, qualifier = _qualified(h)
    bracketed = re.fullmatch(r"\s*([^()]*?[A-Za-z][^()]*?)\s*\(([^()]+)\)\s*", str(text))
    if not qualifier and bracketed and heading_scores(bracketed[1]):  # 'Progress (RAG)': progress, rated
        main, qualifier = normalise_heading(bracketed[1]), normalise_heading(bracketed[2])
    if qualifier:  # 'progress made, including any evidence of impact' asks for progress
        found = dict(_heading_scores(main))
        for role, strength in _heading_scores(qualifier).items():
            found.setdefault(role, min(strength, 1.0))
        return found
    words = set(h.split())
    found = {}

    def note(role: str, strength: float) -> None:
        found[role] = max(found.get(role, 0.0), strength)

    padded = f" {h} "
    for phrase, role, strength in PHRASES:
        if f" {phrase} " in padded:
            note(role, strength + 0.7)  # a phrase is the most specific a heading gets
    h = h.replace("to date", " ").strip()  # 'Progress to date' names no date
    order = h.split()
    words = set(order)
    last_role = ""  # English compounds end in the thing they name: 'Agency update' is an update
    for word in order:
        last_role = next((role for role, (_, vocabulary) in WORDS.items() if word in vocabulary), last_role)
    for role, (strength, vocabulary) in WORDS.items():
        if words & vocabulary:
            note(role, strength * (1.0 if len(words) <= 3 else 0.8) + (0.6 if role == last_role else 0.0))
    if "%" in h or "percent" in h:
        note("percent", 3.0)
    dated = bool(words & DATED)
    if not found and not dated and len(order) <= 4:  # 'Completed?', 'Done (Y/N)', 'Open/closed': a state asked
        said, share = status_in_phrase(" ".join(w for w in order if w not in ("y", "n", "yes", "no")))
        if said is Status.COMPLETE and share >= 0.5:  # asks whether it is done (ticks or words answer)
            note("status", 2.0)
    if dated and "revised" in words:
        note("revised_target_date", 3.0)
    if dated and words & {"update", "updated", "modified", "progress"} and "target" not in words:
        note("update_date", 2.8)
    if h in ("date", "dates"):  # which date, its place and values tell (tracker_header)
        note("update_date", 1.2)
        note("target_date", 1.3)
    if words & {"modified", "edited", "updated"} and not words & {"by", "target"}:
        note("update_date", 2.8)
    if h in ("id", "item id", "row id", "row", "line"):
        found["row_id"], found["rec_number"] = 2.5, 1.0
    if words & {"recommendation", "recommendations", "finding", "findings"} and words & {"action", "actions"} \
            and not words & {"owner", "lead", "officer", "agency", "no", "number", "ref"}:
        note("rec_or_action", 3.0)
    if words & {"rec", "recommendation"} and words & {"no", "number", "ref", "num", "id"}:
        note("rec_number", 3.0)
    if words & {"action", "actions"} and words & {"no", "number", "ref", "num", "id"}:
        note("action_number", 3.0)
    if words & {"rag", "brag"}:
        note("rag", 3.0)
    if PERIOD_ONLY.match(h) or re.match(r"^(q[1-4]|quarter [1-4])\b", h):
        note("update", 2.5)  # 'Q1 2026/27', 'June 2024': a quarter's update column
    if h in ("#", "no", "ref"):
        note("rec_number", 3.0)
    # a word that names a thing beats one that only qualifies it ('Lead agency' is an agency, not a person)
    if "lead_agency" in found and "owner" in found and found["lead_agency"] >= 2:
        found["owner"] = min(found["owner"], 1.0)
    if "owner" in found and "lead_agency" not in found and words & WHOEVER and not words & PERSON_WORDS:
        note("lead_agency", found["owner"] - 0.2)  # 'Lead', 'Owner': a person or an agency, as the values say
    if "update" in found and found.get("rag", 0) >= 2.5:
        found["update"] = min(found["update"], 1.0)
    if found.get("update", 0) >= 3 and "action_text" in found:
        found["action_text"] = min(found["action_text"], 0.5)
    if found.get("completion", 0) >= 2.5:
        found["target_date"] = min(found.get("target_date", 0), 1.0)
        found.pop("status", None)
    if found.get("raised", 0) >= 2:
        found["target_date"] = min(found.get("target_date", 0), 0.5)
    if found.get("revised_target_date", 0) >= 2.5:
        found["target_date"] = min(found.get("target_date", 0), 1.0)
    if found.get("success_measure", 0) >= 2.5:
        for role in ("evidence", "action_text", "update", "rec_text"):
            if role in found:
                found[role] = min(found[role], 1.0)
    if found.get("author", 0) >= 2:
        found = {k: v for k, v in found.items() if k in ("author", "update_date")}
    return found


QUALIFIER = re.compile(r" (?:including|incl|inc|e g|eg|such as|for example|with any|and any|plus any) ")


def _qualified(h: str) -> tuple[str, str]:
    """A heading's main words and the words that only qualify them ('… including any evidence')."""
    match = QUALIFIER.search(f" {h} ")
    if not match or match.start() == 0:
        return h, ""
    return h[:match.start()].strip(), h[match.end() - 1:].strip()


PERIOD_ONLY = re.compile(r"^(?:(?:q|quarter )[1-4](?: \d{2,4}){0,2}|(?:\d{2,4} ){1,2}(?:q|quarter )[1-4]|"
                         r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{2,4}|"
                         r"\d{1,2} \d{1,2} \d{2,4}|(?:end of )?(?:q|quarter )[1-4])$")


def heading_field(text: str) -> str | None:
    """The role a heading names most strongly, or None ('Rec No.' -> rec_number)."""
    scores = heading_scores(text)
    if not scores:
        return None
    best = max(scores.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 1.5 else None
