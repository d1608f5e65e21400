"""The workbook layouts, one specification shared by the writers and the readers, so export
and import cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from scr_desk.domain.enums import ItemKind

__all__ = [
    "Column", "FILE_NAME_BYTES", "FORMAT_VERSION", "FULL_SHEETS", "INSTRUCTIONS_SHEET", "META_SHEET",
    "OVERFLOW_COLUMNS", "OVERFLOW_SHEET", "RETURNS_SHEET", "RETURN_COLUMNS", "RETURN_FORMAT_VERSION", "RETURN_HEADERS",
    "RETURN_INPUT_KEYS", "RETURN_KEY_PATTERN", "RETURN_LOCKED_KEYS", "ReturnHeader", "ReturnItem", "SUMMARY_SHEET",
    "return_file_name", "return_key", "return_key_uid", "unique_file_names",
]


FORMAT_VERSION = 1  # the full workbook's
# Return workbooks: version 2 carries only the export id and a signature; what was sent is
# recorded in the database. Version 1 returns carried their own record and are no longer read.
RETURN_FORMAT_VERSION = 2
META_SHEET = "_scr_desk"
INSTRUCTIONS_SHEET = "Instructions"
RETURNS_SHEET = "Returns"
SUMMARY_SHEET = "Summary"
OVERFLOW_SHEET = "Long text"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text, long, date, status, rag, key, number
    locked: bool = True
    help: str = ""
    optional: bool = False  # added in a later version: a workbook without it still reads


# --- Return workbook ---------------------------------------------------------------------
RETURN_COLUMNS: tuple[Column, ...] = (
    Column("key", "Key (do not edit)", 12, "key", help="SCR Desk's own key for the row; hidden."),
    Column("reference", "Reference", 14, help="The item's reference, e.g. CLARE-R3-A2."),
    Column("review", "Review", 12),
    Column("rec_number", "Rec no.", 6),
    Column("rec_text", "Recommendation", 34, "long"),
    Column("action_text", "Action", 30, "long", help="Blank where the row is the recommendation itself."),
    Column("owner", "Lead / owner", 18),
    Column("target", "Target date", 11, "date", help="The revised target where one was agreed."),
    Column("status", "Current status", 12),
    Column("rag", "Current RAG", 9, "rag"),
    Column("last_update_date", "Last update date", 11, "date"),
    Column("last_update", "Last update", 40, "long"),
    Column("update", "Update this period", 40, "long", locked=False,
           help="What has been done since the last update, and what difference it has made."),
    Column("evidence", "Evidence", 22, "long", locked=False,
           help="Where the evidence is: audit, minutes, training records, documents."),
    Column("proposed_status", "Proposed status", 14, "status", locked=False,
           help="Not started, In progress, Complete or On hold; leave blank if unchanged. Assurance is the "
                "panel's decision, so a return cannot propose Assured or Embedded."),
    Column("proposed_rag", "Proposed RAG", 10, "rag", locked=False,
           help="Red, Amber, Green or Blue (complete); leave blank if unchanged."),
    Column("revised_target", "Revised target date", 12, "date", locked=False,
           help="Only if a new target date has been agreed; dd/mm/yyyy."),
    Column("completed_by", "Completed by", 16, locked=False, help="Your name and role."),
)
RETURN_INPUT_KEYS = tuple(c.key for c in RETURN_COLUMNS if not c.locked)
RETURN_LOCKED_KEYS = tuple(c.key for c in RETURN_COLUMNS if c.locked and c.key != "key")
RETURN_HEADERS = {c.header.casefold(): c.key for c in RETURN_COLUMNS}


RETURN_KEY_PATTERN = re.compile(rf"^({ItemKind.RECOMMENDATION.value}|{ItemKind.ACTION.value}):[0-9a-f]{{32}}$")


def return_key(kind: ItemKind, uid: str) -> str:
    """A return row's key, as written in its hidden column and kept in the record of what was
    sent: "recommendation:<uid>" or "action:<uid>". The files hold it, so its form never changes."""
    return f"{kind.value}:{uid}"


def return_key_uid(key: str, kind: ItemKind) -> str | None:
    """The uid in a return row's key when the key is of this kind, else None."""
    written_kind, colon, uid = key.partition(":")
    return uid if colon and written_kind == kind.value else None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnItem:
    """One row of a return: a recommendation or an action the agency reports on."""

    key: str  # return_key(): "recommendation:<uid>" or "action:<uid>"
    version: int
    reference: str
    review: str
    rec_number: str
    rec_text: str
    action_text: str
    owner: str
    target: date | None
    target_note: str = ""  # words in place of a date ("Ongoing"), shown in the target column
    status: str
    rag: str
    last_update_date: date | None
    last_update: str

    @property
    def shown_target(self) -> date | str | None:
        return self.target or self.target_note or None

    def locked_values(self) -> dict[str, str]:
        """The locked columns as the sheet shows them, in the form an import compares against."""
        from scr_desk.excel.safe import truncate_for_display
        from scr_desk.excel.values import normalise
        shown = {}
        for name in RETURN_LOCKED_KEYS:
            value = self.shown_target if name == "target" else getattr(self, name)
            shown[name] = normalise(truncate_for_display(value)[0] if isinstance(value, str) else value)
        return shown


@dataclass(frozen=True, kw_only=True)
class ReturnHeader:
    export_id: str
    signature: str  # HMAC of the export id and the database's identity; nothing else is trusted
    partnership: str
    agency_name: str
    period: str
    deadline: date
    exported_at: datetime
    app_version: str
    statuses: tuple[tuple[str, str], ...] = field(default=())  # (name, meaning): those a return may propose
    rags: tuple[tuple[str, str], ...] = field(default=())
    # The sending database's public identity and file name, beside the signature: never trusted,
    # only quoted, so that a return taken to the wrong database is told where it belongs.
    database_uid: str = ""
    database_name: str = ""


# --- Full workbook -------------------------------------------------------------------------
# Sheet -> columns. Every field of every record, keyed by uid; *_uid columns point at parents.
FULL_SHEETS: dict[str, tuple[Column, ...]] = {
    "Agencies": (
        Column("uid", "uid", 34, "key"), Column("name", "Name", 40), Column("code", "Code", 10),
        Column("contact_name", "Contact name", 24), Column("contact_email", "Contact email", 28),
        Column("phone", "Phone", 16, optional=True)),
    "Reviews": (
        Column("uid", "uid", 34, "key"), Column("position", "Position", 8, "number"),
        Column("review_type", "Type", 24), Column("name", "Name", 20), Column("code", "Code", 12),
        Column("reference", "Reference", 14), Column("partnership", "Partnership", 30),
        Column("reviewer", "Reviewer", 20), Column("commissioned_on", "Commissioned", 12, "date"),
        Column("endorsed_on", "Endorsed", 12, "date"), Column("published_on", "Published", 12, "date"),
        Column("report_url", "Learning report link", 30), Column("response_url", "Response link", 30),
        Column("summary", "Summary", 50, "long"), Column("status", "Status", 22),
        Column("created_at", "Created", 20)),
    "Recommendations": (
        Column("uid", "uid", 34, "key"), Column("review_uid", "Review uid", 34, "key"),
        Column("reference", "Reference", 14), Column("number", "Number", 8),
        Column("position", "Position", 8, "number"), Column("text", "Text", 50, "long"), Column("scope", "Scope", 10),
        Column("themes", "Themes", 24),
        Column("lead_agency_uid", "Lead agency uid", 34, "key"), Column("lead_agency", "Lead agency", 30),
        Column("contributor_uids", "Contributor uids", 34, "key"), Column("contributors", "Contributors", 30),
        Column("target_date", "Target date", 11, "date"), Column("revised_target_date", "Revised target", 12, "date"),
        Column("target_note", "Target note", 20, optional=True),
        Column("status", "Status", 14), Column("rag", "RAG", 8, "rag"), Column("version", "Version", 8, "number")),
    "Actions": (
        Column("uid", "uid", 34, "key"), Column("recommendation_uid", "Recommendation uid", 34, "key"),
        Column("reference", "Reference", 14), Column("number", "Number", 8),
        Column("position", "Position", 8, "number"), Column("text", "Text", 50, "long"),
        Column("owner_agency_uid", "Owner agency uid", 34, "key"),
        Column("owner_agency", "Owner agency", 30), Column("owner_name", "Named owner", 20),
        Column("target_date", "Target date", 11, "date"), Column("revised_target_date", "Revised target", 12, "date"),
        Column("target_note", "Target note", 20, optional=True),
        Column("success_measure", "Success measure", 30, "long"), Column("status", "Status", 14),
        Column("rag", "RAG", 8, "rag"), Column("version", "Version", 8, "number")),
    "Updates": (
        Column("uid", "uid", 34, "key"), Column("recommendation_uid", "Recommendation uid", 34, "key"),
        Column("action_uid", "Action uid", 34, "key"), Column("reference", "Reference", 14),
        Column("as_at", "Date", 12, "date"), Column("period", "Period", 12),
        Column("agency_uid", "Agency uid", 34, "key"), Column("agency", "Agency", 30), Column("author", "Author", 20),
        Column("narrative", "Update", 60, "long"), Column("evidence", "Evidence", 22, "long"),
        Column("status", "Status", 14), Column("rag", "RAG", 8, "rag"), Column("source_kind", "Source", 10),
        Column("source_detail", "Source detail", 30), Column("meeting_uid", "Meeting uid", 34, "key"),
        Column("created_at", "Created", 20)),
    "Meetings": (
        Column("uid", "uid", 34, "key"), Column("body", "Body", 36), Column("held_on", "Date", 12, "date"),
        Column("agenda_item", "Agenda item", 10), Column("notes", "Notes", 50, "long"),
        Column("review_uid", "Review uid", 34, "key")),
    "Attendees": (
        Column("uid", "uid", 34, "key"), Column("meeting_uid", "Meeting uid", 34, "key"),
        Column("position", "Position", 8, "number"), Column("name", "Name", 28), Column("role", "Role", 40),
        Column("agency_uid", "Agency uid", 34, "key")),
    "Decisions": (
        Column("uid", "uid", 34, "key"), Column("meeting_uid", "Meeting uid", 34, "key"),
        Column("recommendation_uid", "Recommendation uid", 34, "key"), Column("action_uid", "Action uid", 34, "key"),
        Column("decision", "Decision", 12), Column("comment", "Comment", 50, "long")),
}
OVERFLOW_COLUMNS = (Column("sheet", "Sheet", 16), Column("uid", "uid", 34, "key"), Column("field", "Field", 16),
                    Column("part", "Part", 6, "number"), Column("text", "Text", 80, "long"))


FILE_NAME_BYTES = 150  # well inside 255 bytes a name, leaving room for the folder in Windows' 260-character paths
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def return_file_name(period: str, agency_code: str, agency_name: str, *, max_bytes: int = FILE_NAME_BYTES) -> str:
    """Predictable, sortable, safe on every file system, and at most `max_bytes` bytes in UTF-8
    (the agency's name is shortened, never the period or the code)."""
    head = _UNSAFE.sub("-", f"{period} return - {agency_code} - ")
    name = _UNSAFE.sub("-", agency_name)
    room = max(0, max_bytes - len(head.encode("utf-8")) - len(".xlsx"))
    name = name.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return (head + name).strip(" .-") + ".xlsx"


def unique_file_names(names: list[str]) -> list[str]:
    """The same names, each made unique ignoring case (as Windows and macOS compare them) with
    ' (2)', ' (3)'…, so two agencies whose names read alike never write one file."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{suffix}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result
