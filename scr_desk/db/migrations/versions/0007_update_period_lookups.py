"""an item's updates indexed with their reporting period

A return's import asks, for thousands of items at once, each item's newest reporting period and
the updates an agency already gave for the return's period. Indexed by item alone, SQLite read
every update row of those items (their text included) to answer: 0.6 s of a 5,000-row return's
dry run on the large database. With the period in the index both come from the index. The
composite index serves every lookup by item the single-column one did, so it replaces it.

Revision ID: 0007_update_period_lookups
Revises: 0006_team_members
Create Date: 2026-12-07 19:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0007_update_period_lookups'
down_revision = '0006_team_members'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("recommendation", "action"):
        op.drop_index(f'ix_progress_update_{column}_id', table_name='progress_update')
        op.create_index(f'ix_progress_update_{column}_period', 'progress_update', [f'{column}_id', 'period'],
                        unique=False)


def downgrade() -> None:
    for column in ("recommendation", "action"):
        op.drop_index(f'ix_progress_update_{column}_period', table_name='progress_update')
        op.create_index(f'ix_progress_update_{column}_id', 'progress_update', [f'{column}_id'], unique=False)
