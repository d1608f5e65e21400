"""Reaching a SQLite file by its path, whatever characters the path holds.

A database URL (`sqlite:///cases?.sqlite`) is parsed as a URL: `?` starts a query, `#` a fragment
and `%` an escape, so `cases?.sqlite` became a file called `cases`. Every connection the app makes
therefore goes through `connect`, which hands SQLite either the path itself or, for read-only and
immutable opens (which need SQLite's URI form), a `file:` URI with every special character
percent-encoded.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

__all__ = ["absolute", "connect", "decode_text", "sqlite_uri"]


def sqlite_uri(path: PurePath, **params: str) -> str:
    """A `file:` URI naming exactly `path` (absolute), with SQLite's query parameters appended.

    Drive letters (`C:/…`), UNC shares (`//server/share/…`, given as `file:////server/share/…`,
    which SQLite reads as a UNC path) and long paths (`//?/C:/…`) keep their meaning.
    """
    text = path.as_posix()
    if text.startswith("//"):  # UNC share or \\?\ long path: an empty authority, then the path
        uri = "file://" + quote(text, safe="/:")
    elif len(text) > 1 and text[1] == ":":  # C:/...
        uri = "file:///" + text[:2] + quote(text[2:], safe="/")
    else:
        uri = "file://" + quote(text, safe="/")
    if params:
        uri += "?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    return uri


def absolute(path: Path | str) -> Path:
    """The absolute path without resolving symbolic links (a link is opened as the user named it)."""
    return Path(os.path.abspath(Path(path).expanduser()))


def connect(path: Path | str, *, read_only: bool = False, immutable: bool = False,
            timeout: float = 5.0, isolation_level: str | None = "") -> sqlite3.Connection:
    """Open the SQLite file at `path` (never through URL parsing of the path itself)."""
    kwargs: dict[str, Any] = {"timeout": timeout, "check_same_thread": False}
    if isolation_level != "":
        kwargs["isolation_level"] = isolation_level
    if read_only or immutable:
        params = {"mode": "ro"}
        if immutable:
            params["immutable"] = "1"
        connection: sqlite3.Connection = sqlite3.connect(sqlite_uri(absolute(path), **params), uri=True, **kwargs)
    else:
        connection = sqlite3.connect(os.fspath(absolute(path)), **kwargs)
    connection.text_factory = decode_text
    return connection


def decode_text(raw: bytes) -> str:
    """Text as SQLite holds it; bytes that are not UTF-8 (a file edited by another tool, or made
    to harm) are kept visible as escapes rather than failing the whole query."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")
