"""Where a database is: a file (a path), or a database on a PostgreSQL server (a URL).

`--db`, the window's File > Open server… and the recent databases all take either. A URL is any
SQLAlchemy PostgreSQL URL (`postgresql+psycopg://ROLE@HOST/DBNAME`, `postgresql://…`, a Unix
socket as `?host=/path`); the app always reaches it through psycopg 3. A password is never kept:
it comes from libpq's own places (PGPASSWORD, ~/.pgpass, a service file), and a URL holding one
is shown, remembered and logged without it.

A leaf module (SQLAlchemy's URL parser only), so the command line can tell the two apart before
it imports anything heavy.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = [
    "DRIVER", "ServerName", "database_target", "is_server", "server_url", "short_name", "short_name_of", "shown",
    "without_password",
]


DRIVER = "postgresql+psycopg"


class ServerName(str):
    """A server database as messages name it: its URL without any password."""

    __slots__ = ()


_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_server(target: object) -> bool:
    """Whether `target` (a --db value, a recent entry) names a database on a server: any URL
    (`scheme://…`) does; `server_url` then says whether it is one the app can use."""
    return isinstance(target, str) and bool(_URL.match(target.strip()))


def database_target(text: str) -> Path | str:
    """A --db value as the app holds it: a URL stays text, anything else is a file's path."""
    text = text.strip() if is_server(text) else text
    return text if is_server(text) else Path(text)


def server_url(text: str) -> URL:
    """The SQLAlchemy URL the app connects with (always the psycopg 3 driver).

    Raises ValueError with one sentence when the text is not a PostgreSQL URL it can use."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise ValueError(f"{without_password(text)}: not a database URL "
                         "(postgresql+psycopg://ROLE@HOST/DBNAME)") from None
    backend, _, driver = url.drivername.partition("+")
    if backend not in ("postgresql", "postgres") or driver not in ("", "psycopg"):
        raise ValueError(f"{shown(url)}: SCR Desk reaches a server through psycopg 3 only "
                         "(postgresql+psycopg://ROLE@HOST/DBNAME)")
    if not url.database:
        raise ValueError(f"{shown(url)}: the URL names no database (…/DBNAME at its end)")
    return url.set(drivername=DRIVER)


def shown(url: URL) -> ServerName:
    """The URL as it may be printed, logged or remembered: never with a password."""
    # (URL.set ignores a None, so the password is replaced, not set.) A socket folder in the
    # query reads as the path it is: '/' needs no escaping there.
    text = url._replace(password=None).render_as_string(hide_password=False)
    base, sep, query = text.partition("?")
    return ServerName(base + sep + query.replace("%2F", "/"))


def without_password(text: str) -> ServerName:
    """`text` (a server URL) as it may be shown: any password in it removed."""
    try:
        return shown(server_url(text))
    except ValueError:
        # Not even a URL the app can use: keep what precedes an '@' out of sight all the same.
        scheme, sep, rest = text.partition("://")
        if sep and "@" in rest:
            credentials, _, host = rest.rpartition("@")
            rest = credentials.split(":", 1)[0] + "@" + host
        return ServerName(scheme + sep + rest)


def short_name_of(text: str) -> str:
    """`short_name` of a URL given as text, read without SQLAlchemy (the window's first frame
    names the database before SQLAlchemy has loaded)."""
    from urllib.parse import parse_qs, unquote, urlsplit
    try:
        parts = urlsplit(text.strip())
        database = unquote(parts.path.lstrip("/")) or "the database"
        host = parts.hostname or (parse_qs(parts.query).get("host") or [""])[0] or "this computer"
    except ValueError:
        return "the database"
    return f"{database} on {host}"


def short_name(url: URL) -> str:
    """A server database as a title bar names it: "cases on db.council.local"."""
    host = url.host or str(url.query.get("host", "") or "") or "this computer"
    return f"{url.database} on {host}"
