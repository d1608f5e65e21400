"""Window state kept between sessions (QSettings): geometry, layout, recent databases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind
from scr_desk.services.database_files import is_server, without_password

__all__ = ["MAX_RECENT", "TREE_COLUMNS", "UiSettings", "stored_strings"]


MAX_RECENT = 8


def stored_strings(value: object) -> list[str]:
    """A list of strings as QSettings gives it back: one string alone, a list, or nothing."""
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list | tuple) else []


# The tree's column widths, kept only when the user has sized them (else they fit their content).
# A new key: the widths an earlier version saved cut every status, RAG and agency at 1280×800.
TREE_COLUMNS = "tree/columns"


class UiSettings:
    def __init__(self) -> None:
        self._store = QSettings()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_layout(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray,
                    header: QByteArray) -> None:
        for key, value in (("window/geometry", geometry), ("window/state", state),
                           ("window/splitter", splitter), (TREE_COLUMNS, header)):
            self._store.setValue(key, value)
        self._store.sync()

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    def header(self) -> QByteArray | None:
        return self._bytes(TREE_COLUMNS)

    def recent_databases(self) -> list[Path | str]:
        """Files by path, and databases on a server by URL (kept without any password)."""
        value = self._store.value("databases/recent", [])
        return [_target(p) for p in stored_strings(value) if p]

    def remember_database(self, path: Path | str) -> None:
        target: Path | str = without_password(path) if isinstance(path, str) else path.resolve()
        recent = [p for p in self.recent_databases() if p != target]
        self._store.setValue("databases/recent", [str(p) for p in [target, *recent][:MAX_RECENT]])
        self._store.setValue("databases/last", str(target))
        self._store.sync()

    def last_database(self) -> Path | str | None:
        value = self._store.value("databases/last", "")
        return _target(str(value)) if value else None

    def remember_selection(self, path: Path | str, key: ItemKey | None) -> None:
        """The item selected when a database was last closed, to select it again at start."""
        self._store.setValue(f"selection/{_slot(path)}", f"{key.kind.value}:{key.id}" if key else "")
        self._store.sync()

    def last_selection(self, path: Path | str) -> ItemKey | None:
        """That item again; None when nothing was stored, or what was stored is not a key this
        version knows (written by another version, or edited by hand)."""
        kind, _, number = str(self._store.value(f"selection/{_slot(path)}", "") or "").partition(":")
        if kind not in _KINDS or not number.isdigit():
            return None
        return ItemKey(ItemKind(kind), int(number))


_KINDS = frozenset(kind.value for kind in ItemKind)


def _slot(path: Path | str) -> str:
    """A settings key for a database (QSettings keys may not hold slashes)."""
    import hashlib
    name = without_password(path) if isinstance(path, str) else str(path.resolve())
    return hashlib.sha1(name.encode()).hexdigest()[:16]


def _target(text: str) -> Path | str:
    """A remembered database: a server's URL stays text (a password, had one been kept by an older
    version, is dropped), anything else is a file's path."""
    return without_password(text) if is_server(text) else Path(text)
