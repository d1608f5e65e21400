"""target notes, names stored whole, the record of every return sent, a signing key

Revision ID: 0002_round_two
Revises: 0001_initial
Create Date: 2026-11-26 14:00:00
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0002_round_two'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("recommendation", "action"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('target_note', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_progress_update_origin_key'), ['origin_key'], unique=False)
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=200), type_=sa.String(length=500),
                              existing_nullable=False)
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=200), type_=sa.String(length=500),
                              existing_nullable=False)

    op.create_table('return_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('agency_uid', sa.String(length=32), nullable=False),
    sa.Column('agency_name', sa.String(length=500), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('exported_at', sa.DateTime(), nullable=False),
    sa.Column('format_version', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_return_export_agency_id_agency'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_export')),
    sa.UniqueConstraint('uid', name=op.f('uq_return_export_uid'))
    )
    with op.batch_alter_table('return_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_export_agency_id'), ['agency_id'], unique=False)
    op.create_table('return_export_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['return_export.id'],
                            name=op.f('fk_return_export_row_export_id_return_export'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_export_row')),
    sa.UniqueConstraint('export_id', 'item_key', name='export_item')
    )
    with op.batch_alter_table('return_export_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_export_row_export_id'), ['export_id'], unique=False)
    # The key that signs return workbooks: kept in the database, never written to a workbook.
    # Written so that SQLite and PostgreSQL both take it (no INSERT OR IGNORE).
    op.execute(sa.text("INSERT INTO app_meta (key, value) SELECT 'return_signing_key', :key "
                       "WHERE NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'return_signing_key')")
               .bindparams(key=secrets.token_hex(32)))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM app_meta WHERE key = 'return_signing_key'"))
    with op.batch_alter_table('return_export_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_export_row_export_id'))
    op.drop_table('return_export_row')
    with op.batch_alter_table('return_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_export_agency_id'))
    op.drop_table('return_export')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=500), type_=sa.String(length=200),
                              existing_nullable=False)
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=500), type_=sa.String(length=200),
                              existing_nullable=False)
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_update_origin_key'))
        batch_op.drop_column('origin_key')
    for table in ("action", "recommendation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('target_note')
