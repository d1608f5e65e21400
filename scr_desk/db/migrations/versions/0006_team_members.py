"""team members: the name shown for each role (or login) the audit trail records

Revision ID: 0006_team_members
Revises: 0005_search_index
Create Date: 2026-12-08 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_team_members'
down_revision = '0005_search_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member')),
    sa.UniqueConstraint('login', name=op.f('uq_team_member_login')),
    sa.UniqueConstraint('uid', name=op.f('uq_team_member_uid'))
    )


def downgrade() -> None:
    op.drop_table('team_member')
