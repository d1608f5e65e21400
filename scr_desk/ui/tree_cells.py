"""What each cell of the tree says: its words, its tooltip and what a screen reader hears, from
the row's plain values (domain.tree.TreeNode). Nothing here reaches the database."""

from __future__ import annotations

from scr_desk.domain.dates import format_uk
from scr_desk.domain.enums import Rag
from scr_desk.domain.tree import TreeNode, updated_words
from scr_desk.domain.wording import days_overdue

COLUMNS = COL_ITEM, COL_STATUS, COL_RAG, COL_TARGET, COL_AGENCY, COL_PROGRESS = range(6)
HEADERS = ("Item", "Status", "RAG", "Target", "Lead / owner", "Progress")
OVERDUE_MARK = "⚠"


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
