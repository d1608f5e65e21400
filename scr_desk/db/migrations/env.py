"""Alembic environment: uses the connection the app hands over; batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from scr_desk.db import models  # noqa: F401  (registers every table on the metadata)
from scr_desk.db.base import Base
from scr_desk.db.search_sqlite import is_search_table

config = context.config
# No fileConfig(): it would reset the application's loggers when run in-process.


def _include_name(name: str | None, kind: str, _parent: object) -> bool:
    # The search index's tables are made by its migration, not declared in the models.
    return not (kind == "table" and is_search_table(name))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=True, include_name=_include_name)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Developer use from the command line: `alembic -x url=sqlite:///path revision ...`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev.sqlite")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                          include_name=_include_name)
        with context.begin_transaction():
            context.run_migrations()


run()
