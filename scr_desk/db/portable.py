"""SQL whose meaning differs between SQLite and PostgreSQL, spelt so it means the same on both.

Ordering text: SQLite orders text by its characters' code points ('Zebra' before 'apple'). A PostgreSQL
database orders by its own collation, which on a council's server is a language's ('apple'
before 'Zebra', accents and punctuation weighed apart): the same query would list agencies in
another order there. `in_code_order(column)` asks for SQLite's order everywhere: on PostgreSQL,
the "C" collation, which compares UTF-8 bytes, and UTF-8's byte order is code-point order.

Matching a pattern: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not.
`holds_exactly(column, text)` says whether a text holds another, case counting, on both.
`like_exactly(column, pattern)` matches with case, as Python's own comparisons do, on both: LIKE
on PostgreSQL, GLOB (its `*` for LIKE's `%`) on SQLite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["holds_exactly", "in_code_order", "like_exactly"]


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


class like_exactly(FunctionElement[bool]):  # noqa: N801 - named as the SQL it stands for
    """`column LIKE pattern`, case counting on every database. The pattern's only wildcard is
    `%`. Both spellings travel as bound values, so the statement's cache holds one per pattern."""

    type = Boolean()
    inherit_cache = True
    name = "like_exactly"

    def __init__(self, column: Any, pattern: str) -> None:
        if any(mark in pattern for mark in "_*?[]"):
            raise ValueError(f"{pattern!r}: only % may stand for other text")
        super().__init__(column, literal(pattern), literal(pattern.replace("%", "*")))


@compiles(like_exactly)
def _like(element: like_exactly, compiler: Any, **kw: Any) -> str:
    column, pattern, _glob_pattern = element.clauses
    return f"{compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)}"


@compiles(like_exactly, "sqlite")
def _glob(element: like_exactly, compiler: Any, **kw: Any) -> str:
    column, _pattern, glob_pattern = element.clauses
    return f"{compiler.process(column, **kw)} GLOB {compiler.process(glob_pattern, **kw)}"


class holds_exactly(FunctionElement[bool]):  # noqa: N801 - named as the SQL it stands for
    """Whether `column` holds `text` anywhere, case counting, on every database (SQLite's LIKE
    would ignore the case of ASCII letters; its instr() does not)."""

    type = Boolean()
    inherit_cache = True
    name = "holds_exactly"

    def __init__(self, column: Any, wanted: str) -> None:
        super().__init__(column, literal(wanted))


@compiles(holds_exactly)
def _strpos(element: holds_exactly, compiler: Any, **kw: Any) -> str:
    column, wanted = element.clauses
    return f"(strpos({compiler.process(column, **kw)}, {compiler.process(wanted, **kw)}) > 0)"


@compiles(holds_exactly, "sqlite")
def _instr(element: holds_exactly, compiler: Any, **kw: Any) -> str:
    column, wanted = element.clauses
    return f"(instr({compiler.process(column, **kw)}, {compiler.process(wanted, **kw)}) > 0)"
