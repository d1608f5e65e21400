"""The tree's rows as plain values: a review, a recommendation or an action with what the tree
shows of it, worked out by the database (services/tree.py) and painted by the window's model,
and what each of its cells says (its words, its tooltip and what a screen reader hears).
No Qt and no database here, so the window can show rows before either is loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag, Status
from scr_desk.domain.wording import count, days_overdue

COLUMNS = COL_ITEM, COL_STATUS, COL_RAG, COL_TARGET, COL_AGENCY, COL_PROGRESS = range(6)
HEADERS = ("Item", "Status", "RAG", "Target", "Lead / owner", "Progress")
OVERDUE_MARK = "⚠"

__all__ = ["COLUMNS", "HEADERS", "OVERDUE_MARK", "TreeData", "TreeNode", "accessible_text", "display_text",
           "first_line", "progress_words", "review_node", "rolled_up", "target_text", "tooltip", "updated_words"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TreeNode:
    key: ItemKey
    parent_id: int | None
    reference: str
    title: str
    status_label: str
    status: Status | None
    rag: Rag | None  # as shown: Blue once complete
    target: date | None  # the target in force (the revised one where agreed)
    days_overdue: int
    agency_label: str
    agency_ids: frozenset[int]
    themes: tuple[str, ...]
    summary: str  # review: "5 recommendations: 1 complete, 1 overdue"; recommendation: its actions'
    target_note: str = ""  # "Ongoing", "TBC": what the target is when it is not a date
    child_count: int = 0  # how many recommendations or actions it has, known before they are read
    # A recommendation with actions, rolled up from them: the worst RAG of the open ones (Blue when
    # all are done), the latest target among them. And for any item: its newest update's date
    # (a recommendation's counts its actions' updates).
    rolled_rag: Rag | None = None
    rolled_target: date | None = None
    latest_update: date | None = None
    children: tuple[TreeNode, ...] = field(default=(), compare=False, repr=False)

    @property
    def kind(self) -> ItemKind:
        return self.key.kind

    @property
    def id(self) -> int:
        return self.key.id

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def closed(self) -> bool:
        return self.status is not None and self.status.is_closed


@dataclass(frozen=True)
class TreeData:
    reviews: tuple[TreeNode, ...]
    agencies: dict[int, str]
    themes: tuple[str, ...]
    today: date

    def walk(self) -> list[TreeNode]:
        out: list[TreeNode] = []
        stack = list(reversed(self.reviews))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


def progress_words(total: int, noun: str, complete: int, assured: int, embedded: int, overdue: int,
                   empty: str = "") -> str:
    """"5 recommendations: 1 complete, 1 assured, 1 overdue". Complete (the agency says so) and
    assured (the panel's decision) are counted apart; a count of none is left out; `empty` when
    there is nothing to count."""
    if not total:
        return empty
    parts = [f"{number:,} {word}" for number, word in ((complete, "complete"), (assured, "assured"),
                                                        (embedded, "embedded"), (overdue, "overdue")) if number]
    return count(total, noun) + (": " + ", ".join(parts) if parts else "")


def review_node(review_id: int, code: str, name: str, kind: str, partnership: str, status: str, *, total: int,
                complete: int = 0, assured: int = 0, embedded: int = 0, overdue: int = 0,
                counted: bool = True) -> TreeNode:
    """A review's row; `counted` False when only its number of recommendations is known yet."""
    summary = progress_words(total, "recommendation", complete, assured, embedded, overdue,
                             empty="No recommendations") if counted else ""
    return TreeNode(
        key=ItemKey(ItemKind.REVIEW, review_id), parent_id=None, reference=code, title=f"{name} ({kind})",
        status_label=status, status=None, rag=None, target=None, days_overdue=0, agency_label=partnership,
        agency_ids=frozenset(), themes=(), summary=summary, child_count=total)


def first_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def updated_words(latest: date | None) -> str:
    return f"updated {format_uk(latest)}" if latest else ""


# --- what each cell says ------------------------------------------------------------------------
def display_text(node: TreeNode, column: int) -> str:
    if column == COL_ITEM:
        return f"{node.reference}  {node.title}"
    if column == COL_STATUS:
        return node.status_label
    if column == COL_RAG:
        rag = node.rag or node.rolled_rag
        return rag.value if rag else ""
    if column == COL_TARGET:
        return target_text(node)
    if column == COL_AGENCY:
        return node.agency_label
    if column == COL_PROGRESS:
        late = days_overdue(node.days_overdue) if node.overdue else ""
        return " · ".join(x for x in (late, node.summary, updated_words(node.latest_update)) if x)
    return ""


def accessible_text(node: TreeNode, column: int) -> str:
    text = display_text(node, column)
    if column == COL_RAG and not text:
        return "No RAG rating"
    if rolled_up(node, column):
        return f"{text}, from its actions"
    return text.replace(OVERDUE_MARK, "overdue").strip() if column == COL_TARGET else text


def tooltip(node: TreeNode, column: int) -> str | None:
    if column == COL_RAG and node.rag:
        return f"RAG: {node.rag.value} ({node.rag.description})"
    if column == COL_RAG and node.rolled_rag:
        return "Not rated itself; all its actions are done." if node.rolled_rag is Rag.BLUE else \
            f"Not rated itself; the worst RAG of its open actions is {node.rolled_rag.value}."
    if column == COL_TARGET:
        parts = [f"Overdue by {node.days_overdue} days"] if node.overdue else []
        if node.target is None and node.rolled_target is not None:
            parts.append(f"No target of its own; its actions' latest is {format_uk(node.rolled_target)}")
        if node.target is not None and node.target_note:
            parts.append(node.target_note)
        return "\n".join(parts) or None
    if column == COL_ITEM:
        return node.title
    if column in (COL_STATUS, COL_AGENCY, COL_PROGRESS):  # the whole of it, where the column cuts it
        return display_text(node, column) or None
    return None


def target_text(node: TreeNode) -> str:
    """The Target column: the overdue mark first (so a narrow column never cuts it), the date in
    force, else the target note ("Ongoing"), else its actions' latest target."""
    shown = format_uk(node.target) if node.target else node.target_note or format_uk(node.rolled_target)
    return f"{OVERDUE_MARK} {shown}" if node.overdue else shown


def rolled_up(node: TreeNode, column: int) -> bool:
    """The cell shows its actions' roll-up, not the row's own value (in italics)."""
    if column == COL_RAG:
        return node.rag is None and node.rolled_rag is not None
    if column == COL_TARGET:
        return node.target is None and not node.target_note and node.rolled_target is not None
    return False
