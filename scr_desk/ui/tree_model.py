"""The review → recommendation → action tree as a QAbstractItemModel over frozen TreeNodes.

Nodes are numbered ("serials") when data arrives; an index's internalId is its serial, so
parent() and index() are list look-ups and painting never reaches the database.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from scr_desk.domain.dates import format_uk
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.wording import days_overdue
from scr_desk.services.tree import TreeData, TreeNode
from scr_desk.ui.rag import rag_icon

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # computed once: flags() runs per row


class ReviewTreeModel(QAbstractItemModel):
    COL_ITEM, COL_STATUS, COL_RAG, COL_TARGET, COL_AGENCY, COL_PROGRESS = range(6)
    HEADERS = ("Item", "Status", "RAG", "Target", "Lead / owner", "Progress")
    NodeRole = Qt.ItemDataRole.UserRole + 1  # the TreeNode itself
    KeyRole = Qt.ItemDataRole.UserRole + 2  # the node's ItemKey

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data: TreeData | None = None
        self._nodes: list[TreeNode] = []
        self._parents: list[int] = []
        self._rows: list[int] = []
        self._children: list[list[int]] = [[]]  # index 0 holds the top level
        self._serial_by_key: dict[ItemKey, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._overdue_colour = QColor("#c62828")

    # --- loading ---------------------------------------------------------------------
    @property
    def tree(self) -> TreeData | None:
        return self._data

    def set_tree(self, data: TreeData, index: TreeIndex | None = None) -> None:
        """Show `data`; `index` (from tree_index(), built on a worker) saves numbering the nodes
        on the GUI thread."""
        index = index or tree_index(data)
        self.beginResetModel()
        self._data = data
        self._nodes, self._parents, self._rows, self._children, self._serial_by_key = index
        self.endResetModel()

    def replace_review(self, review: TreeNode) -> bool:
        """Swap in a freshly loaded review subtree when its shape is unchanged.

        Returns False when rows were added, removed or reordered; the caller then reloads.
        """
        if self._data is None or review.key not in self._serial_by_key:
            return False
        serial = self._serial_by_key[review.key]
        old = self._nodes[serial]
        if _shape(old) != _shape(review):
            return False
        self._swap(serial, review)
        reviews = tuple(review if r.key == review.key else r for r in self._data.reviews)
        self._data = TreeData(reviews, self._data.agencies, self._data.themes, self._data.today)
        top = self.index(self._rows[serial], 0)
        self.dataChanged.emit(top, self.index(self._rows[serial], self.columnCount() - 1))
        for child in review.children:
            self._emit_subtree_changed(self._serial_by_key[child.key])
        return True

    def _swap(self, serial: int, node: TreeNode) -> None:
        self._nodes[serial] = node
        for child in node.children:
            self._swap(self._serial_by_key[child.key], child)

    def _emit_subtree_changed(self, serial: int) -> None:
        index = self.createIndex(self._rows[serial], 0, serial)
        self.dataChanged.emit(index, index.siblingAtColumn(self.columnCount() - 1))
        for child in self._children[serial + 1]:
            self._emit_subtree_changed(child)

    # --- look-ups -----------------------------------------------------------------------
    def node(self, index: Index) -> TreeNode | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()]

    def index_for(self, key: ItemKey, column: int = 0) -> QModelIndex:
        serial = self._serial_by_key.get(key)
        if serial is None:
            return QModelIndex()
        return self.createIndex(self._rows[serial], column, serial)

    def key_at(self, row: int, parent: Index) -> ItemKey | None:
        siblings = self._children[parent.internalId() + 1] if parent.isValid() else self._children[0]
        return self._nodes[siblings[row]].key if 0 <= row < len(siblings) else None

    def node_for_key(self, key: ItemKey) -> TreeNode | None:
        serial = self._serial_by_key.get(key)
        return self._nodes[serial] if serial is not None else None

    # --- QAbstractItemModel -------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        siblings = self._children[parent.internalId() + 1] if parent.isValid() else self._children[0]
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        parent_serial = self._parents[child.internalId()]
        if parent_serial < 0:
            return QModelIndex()
        return self.createIndex(self._rows[parent_serial], 0, parent_serial)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(self._children[parent.internalId() + 1])
        return len(self._children[0])

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(self.HEADERS)

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ITEM_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    # --- filter matches ---------------------------------------------------------------------
    def set_match_words(self, words: list[str]) -> None:
        """The filter's words: rows that match them are highlighted; a row that matches only in
        its update history (which the tree does not show) is in italics and says so."""
        self._match_words = words
        self._match_cache: dict[ItemKey, str] = {}

    def match_of(self, key: ItemKey) -> str:
        """"" (no match or no words), "shown" (in what the tree shows) or "history" (only in updates)."""
        words = getattr(self, "_match_words", [])
        if not words:
            return ""
        found = self._match_cache.get(key)
        if found is None:
            node = self.node_for_key(key)
            found = ""
            if node is not None and all(w in node.search_text for w in words):
                shown = " ".join((node.reference, node.title, node.agency_label, " ".join(node.themes))).casefold()
                found = "shown" if all(w in shown for w in words) else "history"
            self._match_cache[key] = found
        return found

    def _match_data(self, node: TreeNode, role: int) -> Any:
        found = self.match_of(node.key)
        if not found:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return MATCH_COLOUR
        if found == "history" and role == Qt.ItemDataRole.FontRole:
            font = QFont(self._bold) if node.kind is ItemKind.REVIEW else QFont()
            font.setItalic(True)
            return font
        if found == "history" and role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.title}\n\nMatches in its update history, not in what the tree shows."
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if column == self.COL_ITEM and role in _MATCH_ROLES and getattr(self, "_match_words", None):
            marked = self._match_data(node, role)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(node, column) or ("No RAG rating" if column == self.COL_RAG else "")
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_RAG and node.rag is not None:
            return rag_icon(node.rag)
        if role == Qt.ItemDataRole.FontRole and node.kind is ItemKind.REVIEW and column == self.COL_ITEM:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and node.overdue and column in (self.COL_TARGET, self.COL_PROGRESS):
            return self._overdue_colour
        if role == self.NodeRole:
            return node
        if role == self.KeyRole:
            return node.key
        return None

    def _display(self, node: TreeNode, column: int) -> str:
        if column == self.COL_ITEM:
            return f"{node.reference}  {node.title}"
        if column == self.COL_STATUS:
            return node.status_label
        if column == self.COL_RAG:
            return node.rag.value if node.rag else ""
        if column == self.COL_TARGET:
            return format_uk(node.target) + (" ⚠" if node.overdue else "")
        if column == self.COL_AGENCY:
            return node.agency_label
        if column == self.COL_PROGRESS:
            late = days_overdue(node.days_overdue) if node.overdue else ""
            return " · ".join(x for x in (late, node.summary) if x)
        return ""

    def _tooltip(self, node: TreeNode, column: int) -> str | None:
        if column == self.COL_RAG and node.rag:
            return f"RAG: {node.rag.value} ({node.rag.description})"
        if column == self.COL_TARGET and node.overdue:
            return f"Overdue by {node.days_overdue} days"
        if column == self.COL_ITEM:
            return node.title
        return None


MATCH_COLOUR = QColor(255, 241, 168)  # a highlighter's yellow; dark text stays readable on it
_MATCH_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole)

TreeIndex = tuple[list[TreeNode], list[int], list[int], list[list[int]], dict[ItemKey, int]]


def tree_index(data: TreeData) -> TreeIndex:
    """Number every node (its serial is its index's internalId): nodes, each one's parent serial
    and row, each parent's children (entry 0: the top level) and serials by key. Plain Python,
    so a worker thread builds it with the tree."""
    nodes: list[TreeNode] = []
    parents: list[int] = []
    rows: list[int] = []
    children: list[list[int]] = [[]]
    by_key: dict[ItemKey, int] = {}
    stack = [(review, -1, row) for row, review in reversed(list(enumerate(data.reviews)))]
    while stack:
        node, parent_serial, row = stack.pop()
        serial = len(nodes)
        nodes.append(node)
        parents.append(parent_serial)
        rows.append(row)
        children.append([])
        by_key[node.key] = serial
        children[parent_serial + 1].append(serial)
        stack.extend((child, serial, child_row) for child_row, child in reversed(list(enumerate(node.children))))
    return nodes, parents, rows, children, by_key


def _shape(node: TreeNode) -> tuple[object, ...]:
    return (node.key, tuple(_shape(c) for c in node.children))
