"""Small SQL expressions whose spelling differs between databases (used by the services' queries)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["interruptible", "stored_date"]


class stored_date(FunctionElement[Any]):  # noqa: N801 - named as the SQL function it stands for
    """A date column as a date, or NULL where the file holds something else (a date typed by
    another tool as "01/02/2020"): as scr_desk.db.types.TolerantDate reads it in Python, so a
    filter in SQL and the row the window shows agree."""

    type = Date()
    inherit_cache = True
    name = "stored_date"


@compiles(stored_date)
def _stored_date(element: stored_date, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))  # a real date column holds only dates


@compiles(stored_date, "sqlite")
def _stored_date_sqlite(element: stored_date, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # NULL for text that is not a date


@contextmanager
def interruptible(connection: Connection, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Let a long query on `connection` stop part-way once `cancelled()` says so (it then raises
    the driver's OperationalError): a search nobody waits for any more gives way to the next."""
    driver = connection.connection.driver_connection
    if cancelled is None or not isinstance(driver, sqlite3.Connection):
        yield
        return
    driver.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)  # every 10,000 steps
    try:
        yield
    finally:
        driver.set_progress_handler(None, 0)
