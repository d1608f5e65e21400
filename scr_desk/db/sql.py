"""Small SQL expressions whose spelling differs between databases (used by the services' queries)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Date, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["id_list", "ids_of", "interruptible", "stored_date"]


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


class id_list(FunctionElement[Any]):  # noqa: N801 - named as the SQL function it stands for
    """The distinct values of an integer column, as one text of numbers separated by commas (NULL
    when there are none): a hundred thousand ids reach Python as one string, not as a hundred
    thousand rows (each a tuple made and dropped, ten times slower)."""

    type = String()
    inherit_cache = True
    name = "id_list"


@compiles(id_list)
def _id_list(element: id_list, compiler: Any, **kw: Any) -> str:
    return f"string_agg(DISTINCT CAST({compiler.process(element.clauses, **kw)} AS VARCHAR), ',')"


@compiles(id_list, "sqlite")
def _id_list_sqlite(element: id_list, compiler: Any, **kw: Any) -> str:
    return f"group_concat(DISTINCT {compiler.process(element.clauses, **kw)})"  # DISTINCT takes the default ','


def ids_of(listed: str | None) -> frozenset[int]:
    """The numbers of an id_list, as a set (made in C: no Python loop over them)."""
    return frozenset(map(int, listed.split(","))) if listed else frozenset()


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
