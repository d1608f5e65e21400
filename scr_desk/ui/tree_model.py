"""The review → recommendation → action tree as a QAbstractItemModel that reads what is seen.

The reviews are all there from the start (one query). A review's recommendations and actions are
read when it is opened (canFetchMore/fetchMore, or fetch() when something inside it must be
shown), one review at a time, in a few milliseconds. Rows are numbered ("serials") as they arrive:
an index's internalId is its serial (0 is the invisible root, as an invalid index's internalId is
0, which spares a call to isValid() in each of the thousands of calls a view's layout makes), so
parent() and index() are list look-ups and painting never
reaches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from scr_desk.domain.colours import ALERT
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.domain.search import SearchResult
from scr_desk.domain.tree import COLUMNS, HEADERS, TreeData, TreeNode, accessible_text, display_text, rolled_up, tooltip
from scr_desk.ui.rag import rag_icon

Index = QModelIndex | QPersistentModelIndex
Children = tuple[TreeNode, ...]
_ROOT = QModelIndex()  # the invisible root, as a default argument


class ReviewTreeModel(QAbstractItemModel):
    COL_ITEM, COL_STATUS, COL_RAG, COL_TARGET, COL_AGENCY, COL_PROGRESS = COLUMNS
    HEADERS = HEADERS
    NodeRole = Qt.ItemDataRole.UserRole + 1  # the TreeNode itself
    KeyRole = Qt.ItemDataRole.UserRole + 2  # the node's ItemKey

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._clear()
        # Reads a review's recommendations (with their actions) from the database; None until it is open.
        self.loader: Callable[[int], Children] | None = None
        self.agencies: dict[int, str] = {}
        self.themes: tuple[str, ...] = ()
        self._search: SearchResult | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._rolled_font = QFont()
        self._rolled_font.setItalic(True)
        self._overdue_colour = QColor(ALERT)

    def _clear(self) -> None:
        self._nodes: list[TreeNode] = [_ROOT_NODE]  # serial 0: the invisible root
        self._parents: list[int] = [-1]
        self._rows: list[int] = [0]
        self._children: list[list[int]] = [[]]  # by serial: entry 0, the top level
        self._serial_by_key: dict[ItemKey, int] = {}
        self._loaded: set[int] = set()  # serials of the reviews whose children have been read
        self._texts: dict[int, tuple[str, ...]] = {}  # by serial: the words each column shows (made when painted)

    # --- what arrives -------------------------------------------------------------------------
    def set_reviews(self, reviews: Sequence[TreeNode], subtrees: dict[int, Children] | None = None) -> None:
        """Show `reviews` (from scratch), with the children already read for some of them."""
        self.beginResetModel()
        self._clear()
        for row, review in enumerate(reviews):
            serial = self._add(review, 0, row)
            if subtrees and review.id in subtrees:
                self._add_children(serial, subtrees[review.id])
        self.endResetModel()

    def update_reviews(self, reviews: Sequence[TreeNode]) -> bool:
        """The same reviews with fresh figures, in place (the view keeps its selection and what is
        open); False when the list itself differs, and nothing was changed."""
        if [r.key for r in reviews] != [self._nodes[s].key for s in self._children[0]]:
            return False
        self._texts.clear()
        for serial, review in zip(self._children[0], reviews, strict=True):
            self._nodes[serial] = review
        if reviews:
            self.dataChanged.emit(self.index(0, 0), self.index(len(reviews) - 1, self.columnCount() - 1))
        return True

    def _add(self, node: TreeNode, parent_serial: int, row: int) -> int:
        serial = len(self._nodes)
        self._nodes.append(node)
        self._parents.append(parent_serial)
        self._rows.append(row)
        self._children.append([])
        self._serial_by_key[node.key] = serial
        self._children[parent_serial].append(serial)
        return serial

    def _add_children(self, review_serial: int, children: Children) -> None:
        for row, rec in enumerate(children):
            rec_serial = self._add(rec, review_serial, row)
            for action_row, action in enumerate(rec.children):
                self._add(action, rec_serial, action_row)
        self._loaded.add(review_serial)

    def add_subtrees(self, subtrees: dict[int, Children]) -> None:
        """Children read on a worker (for a filter's matches): inserted under reviews not yet read."""
        for review_id, children in subtrees.items():
            serial = self._serial_by_key.get(ItemKey(ItemKind.REVIEW, review_id))
            if serial is not None and serial not in self._loaded:
                self._insert_children(serial, children)

    def _insert_children(self, review_serial: int, children: Children) -> None:
        # Read before the rows go in: whatever is told of the insertion (a view, a tester) may ask
        # whether there is more to fetch, and must hear no.
        self._loaded.add(review_serial)
        if children:
            self.beginInsertRows(self.createIndex(self._rows[review_serial], 0, review_serial), 0, len(children) - 1)
            self._add_children(review_serial, children)
            self.endInsertRows()

    def replace_review(self, review: TreeNode, children: Children | None) -> None:
        """A review read again after an edit inside it: its row, and its children when they had been
        read (`children` None leaves them to be read when it is next opened)."""
        serial = self._serial_by_key.get(review.key)
        if serial is None:
            return
        self._nodes[serial] = review
        self._texts.clear()
        top = self.createIndex(self._rows[serial], 0, serial)
        self.dataChanged.emit(top, top.siblingAtColumn(self.columnCount() - 1))
        if serial not in self._loaded:
            return
        old = [self._nodes[s] for s in self._children[serial]]
        if children is not None and _shape(old) == _shape(children):
            for rec_serial, rec in zip(self._children[serial], children, strict=True):
                self._nodes[rec_serial] = rec
                for action_serial, action in zip(self._children[rec_serial], rec.children, strict=True):
                    self._nodes[action_serial] = action
                if rec.children:
                    first = self.createIndex(0, 0, self._children[rec_serial][0])
                    self.dataChanged.emit(first, self.createIndex(len(rec.children) - 1, self.columnCount() - 1,
                                                                  self._children[rec_serial][-1]))
            if children:
                self.dataChanged.emit(self.index(0, 0, top), self.index(len(children) - 1, self.columnCount() - 1, top))
            return
        # Rows came or went: take the old ones out and put the new ones in, under this review only.
        if old:
            self.beginRemoveRows(top, 0, len(old) - 1)
            self._forget_children(serial)
            self.endRemoveRows()
        self._loaded.discard(serial)
        if children is not None:
            self._insert_children(serial, children)

    def _forget_children(self, serial: int) -> None:
        for child in self._children[serial]:
            self._forget_children(child)
            self._serial_by_key.pop(self._nodes[child].key, None)
        self._children[serial] = []

    # --- reading what is opened ---------------------------------------------------------------
    def canFetchMore(self, parent: Index) -> bool:
        serial = parent.internalId()
        if serial == 0 or self.loader is None:
            return False
        return self._parents[serial] == 0 and serial not in self._loaded and self._nodes[serial].child_count > 0

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent) and self.loader is not None:
            serial = parent.internalId()
            self._insert_children(serial, self.loader(self._nodes[serial].id))

    def fetch(self, review: ItemKey) -> bool:
        """Read a review's children now (to show something inside it); True when they are there."""
        serial = self._serial_by_key.get(review)
        if serial is None:
            return False
        if serial not in self._loaded:
            self.fetchMore(self.createIndex(self._rows[serial], 0, serial))
        return serial in self._loaded or self._nodes[serial].child_count == 0

    def nodes(self) -> Iterator[TreeNode]:
        """Every row read so far."""
        return (self._nodes[serial] for serial in self._serial_by_key.values())

    def loaded_reviews(self) -> set[int]:
        return {self._nodes[serial].id for serial in self._loaded}

    def reviews(self) -> list[TreeNode]:
        return [self._nodes[serial] for serial in self._children[0]]

    def children_of(self, key: ItemKey) -> Children:
        serial = self._serial_by_key.get(key)
        if serial is None:
            return ()
        return tuple(self._nodes[child] for child in self._children[serial])

    @property
    def tree(self) -> TreeData | None:
        """What has been read, as a tree (a review not yet opened has no children here)."""
        if not self._children[0]:
            return None
        reviews = tuple(replace(review, children=tuple(
            replace(rec, children=self.children_of(rec.key)) for rec in self.children_of(review.key)))
            for review in self.reviews())
        return TreeData(reviews, self.agencies, self.themes, date.today())

    # --- look-ups -----------------------------------------------------------------------------
    def node(self, index: Index) -> TreeNode | None:
        serial = index.internalId()
        return self._nodes[serial] if serial else None

    def index_for(self, key: ItemKey, column: int = 0) -> QModelIndex:
        serial = self._serial_by_key.get(key)
        if serial is None:
            return QModelIndex()
        return self.createIndex(self._rows[serial], column, serial)

    def key_at(self, row: int, parent: Index) -> ItemKey | None:
        siblings = self._children[parent.internalId()]
        return self._nodes[siblings[row]].key if 0 <= row < len(siblings) else None

    def node_for_key(self, key: ItemKey) -> TreeNode | None:
        serial = self._serial_by_key.get(key)
        return self._nodes[serial] if serial is not None else None

    # --- QAbstractItemModel -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        siblings = self._children[parent.internalId()]
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        parent_serial = self._parents[child.internalId()]
        if parent_serial <= 0:
            return QModelIndex()
        return self.createIndex(self._rows[parent_serial], 0, parent_serial)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.column() > 0:  # -1 for the root
            return 0
        return len(self._children[parent.internalId()])

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(self.HEADERS)

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        serial = parent.internalId()
        if serial == 0:
            return bool(self._children[0])
        if parent.column() != 0:
            return False
        # A review not yet opened has its count from the first query: its arrow shows before its rows are read.
        return bool(self._children[serial]) or (serial not in self._loaded and self._nodes[serial].child_count > 0)

    # flags() is Qt's own (enabled and selectable, nothing for the root): a view asks it for every
    # row it lays out, several times, and each answer from Python cost a call into the interpreter.

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    # --- matches of the find box --------------------------------------------------------------
    def set_search(self, result: SearchResult | None) -> None:
        """The filter's answer: the items holding its words are highlighted; one holding them only in
        its update history (which the tree does not show) is in italics and says so."""
        self._search = result

    def match_of(self, key: ItemKey) -> str:
        """"" (not holding the words, or no words), "shown" (in what it says) or "history" (only in updates)."""
        result = self._search
        if result is None or key not in result.found:
            return ""
        return "history" if key in result.history_only else "shown"

    def _match_data(self, node: TreeNode, role: int) -> Any:
        found = self.match_of(node.key)
        if not found:
            return None
        if role == _BACKGROUND:
            return MATCH_COLOUR
        if found == "history" and role == _FONT:
            font = QFont(self._bold) if node.kind is ItemKind.REVIEW else QFont()
            font.setItalic(True)
            return font
        if found == "history" and role == _TOOLTIP:
            return f"{node.title}\n\nMatches in its update history, not in what the tree shows."
        return None

    # --- what each cell shows -------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked seven times for each cell painted (and a review opened paints a screenful): the
        # words shown are made once per row and kept, and every other role is one look-up away.
        serial = index.internalId()
        if not serial:
            return None
        if role == _DISPLAY:
            texts = self._texts.get(serial)
            if texts is None:
                node = self._nodes[serial]
                texts = self._texts[serial] = tuple(display_text(node, column) for column in _COLUMNS)
            return texts[index.column()]
        if role not in _ROLES:
            return None  # check state, alignment, size hint …: the delegate's defaults
        node = self._nodes[serial]
        column = index.column()
        if column == self.COL_ITEM and role in _MATCH_ROLES and self._search is not None:
            marked = self._match_data(node, role)
            if marked is not None:
                return marked
        if role == _FONT:
            if node.kind is ItemKind.REVIEW and column == self.COL_ITEM:
                return self._bold
            return self._rolled_font if rolled_up(node, column) else None  # from its actions, not its own
        if role == _DECORATION:
            rag = (node.rag or node.rolled_rag) if column == self.COL_RAG else None
            return rag_icon(rag) if rag is not None else None
        if role == _FOREGROUND:
            return self._overdue_colour if node.overdue and column in _LATE_COLUMNS else None
        if role == _TOOLTIP:
            return tooltip(node, column)
        if role == _ACCESSIBLE:
            return accessible_text(node, column)
        if role == _NODE:
            return node
        return node.key if role == _KEY else None


_ROOT_NODE = TreeNode(key=ItemKey(ItemKind.REVIEW, 0), parent_id=None, reference="", title="", status_label="",
                      status=None, rag=None, target=None, days_overdue=0, agency_label="", agency_ids=frozenset(),
                      themes=(), summary="")  # the invisible root's place in the serials (never shown)
MATCH_COLOUR = QColor(255, 241, 168)  # a highlighter's yellow; dark text stays readable on it
# The roles as plain integers, looked up once (an enum member's lookup costs more than the rest).
_DISPLAY, _FONT, _DECORATION, _FOREGROUND, _TOOLTIP, _ACCESSIBLE, _BACKGROUND = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.BackgroundRole))
_NODE, _KEY = int(ReviewTreeModel.NodeRole), int(ReviewTreeModel.KeyRole)
_ROLES = frozenset({_FONT, _DECORATION, _FOREGROUND, _TOOLTIP, _ACCESSIBLE, _BACKGROUND, _NODE, _KEY})
_MATCH_ROLES = frozenset({_BACKGROUND, _FONT, _TOOLTIP})
_COLUMNS = range(len(ReviewTreeModel.HEADERS))
_LATE_COLUMNS = (ReviewTreeModel.COL_TARGET, ReviewTreeModel.COL_PROGRESS)


def _shape(nodes: Sequence[TreeNode]) -> tuple[object, ...]:
    return tuple((node.key, _shape(node.children)) for node in nodes)
