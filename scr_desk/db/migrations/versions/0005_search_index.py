"""the search index: FTS5 tables over every item and its update history, kept by triggers

Revision ID: 0005_search_index
Revises: 0004_agency_name_key
Create Date: 2026-12-07 19:00:00
"""
from __future__ import annotations

from alembic import op

from scr_desk.db import search_sqlite

revision = '0005_search_index'
down_revision = '0004_agency_name_key'
branch_labels = None
depends_on = None

# The index is made from the record, so it never needs converting: a later migration that
# changes its shape drops it and makes it again (search_sqlite.rebuild), and one that rebuilds
# a table it watches (batch mode copies and drops the table, and its triggers with it) must call
# search_sqlite.rebuild afterwards. The schema check refuses a file whose index is incomplete.


def upgrade() -> None:
    search_sqlite.create(op.get_bind())


def downgrade() -> None:
    search_sqlite.drop(op.get_bind())
