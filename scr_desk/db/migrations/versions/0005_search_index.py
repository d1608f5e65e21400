"""the search index: FTS5 tables over every item and its update history (tsvector documents with GIN
indexes on a PostgreSQL server), kept by triggers

Revision ID: 0005_search_index
Revises: 0004_agency_name_key
Create Date: 2026-12-07 19:00:00
"""
from __future__ import annotations

from alembic import op

from scr_desk.db import search_postgres, search_sqlite

revision = '0005_search_index'
down_revision = '0004_agency_name_key'
branch_labels = None
depends_on = None

# The index is made from the record, so it never needs converting: a later migration that
# changes its shape drops it and makes it again (search_sqlite.rebuild), and one that rebuilds
# a table it watches (batch mode copies and drops the table, and its triggers with it) must call
# search_sqlite.rebuild afterwards. The schema check refuses a file whose index is incomplete.


def upgrade() -> None:
    # The same migration on both engines, each with its own index behind one interface
    # (services.search.TextIndex).
    bind = op.get_bind()
    (search_postgres.create if bind.dialect.name == "postgresql" else search_sqlite.create)(bind)


def downgrade() -> None:
    bind = op.get_bind()
    (search_postgres.drop if bind.dialect.name == "postgresql" else search_sqlite.drop)(bind)
