"""Ordering text the same way on every database.

SQLite orders text by its characters' code points ('Zebra' before 'apple'). A PostgreSQL
database orders by its own collation, which on a council's server is a language's ('apple'
before 'Zebra', accents and punctuation weighed apart): the same query would list agencies in
another order there. `in_code_order(column)` asks for SQLite's order everywhere: on PostgreSQL,
the "C" collation, which compares UTF-8 bytes, and UTF-8's byte order is code-point order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class in_code_order(FunctionElement[str]):  # noqa: N801 - named as the SQL it stands for
    type = String()
    inherit_cache = True
    name = "in_code_order"


@compiles(in_code_order)
def _as_stored(element: in_code_order, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))  # SQLite's own order is code-point order


@compiles(in_code_order, "postgresql")
def _in_c_collation(element: in_code_order, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'
