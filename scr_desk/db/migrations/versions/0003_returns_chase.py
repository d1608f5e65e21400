"""agency contacts (several addresses, a phone) and names kept after a merge; returns kept whole
so a chaser can rebuild one; returns received, chasers drafted, proposals waiting for the lead

Revision ID: 0003_returns_chase
Revises: 0002_round_two
Create Date: 2026-12-10 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_returns_chase'
down_revision = '0002_round_two'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=60), nullable=False, server_default=''))
        batch_op.alter_column('contact_email', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=False)
    op.create_table('agency_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_agency_alias_agency_id_agency'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_alias')),
    sa.UniqueConstraint('name', name=op.f('uq_agency_alias_name'))
    )
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_alias_agency_id'), ['agency_id'], unique=False)

    with op.batch_alter_table('return_export', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_to', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('partnership', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('shown_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('app_version', sa.String(length=40), nullable=False, server_default=''))
    with op.batch_alter_table('return_export_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown', sa.Text(), nullable=False, server_default=''))

    op.create_table('return_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('rows_landed', sa.Integer(), nullable=False),
    sa.Column('rows_left_out', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['return_export.id'], name=op.f('fk_return_receipt_export_id_return_export'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_return_receipt_import_batch_id_import_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_receipt'))
    )
    with op.batch_alter_table('return_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_receipt_export_id'), ['export_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_receipt_import_batch_id'), ['import_batch_id'], unique=False)

    op.create_table('return_chase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('chased_at', sa.DateTime(), nullable=False),
    sa.Column('chased_on', sa.Date(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['return_export.id'], name=op.f('fk_return_chase_export_id_return_export'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_chase'))
    )
    with op.batch_alter_table('return_chase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_chase_export_id'), ['export_id'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=60), nullable=True),
    sa.Column('rag', sa.String(length=60), nullable=True),
    sa.Column('revised_target_date', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=60), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['return_export.id'], name=op.f('fk_proposal_export_id_return_export'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_proposal_update_id_progress_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal')),
    sa.UniqueConstraint('uid', name=op.f('uq_proposal_uid')),
    sa.UniqueConstraint('update_id', name=op.f('uq_proposal_update_id'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_export_id'), ['export_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_state'))
        batch_op.drop_index(batch_op.f('ix_proposal_export_id'))
    op.drop_table('proposal')
    with op.batch_alter_table('return_chase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_chase_export_id'))
    op.drop_table('return_chase')
    with op.batch_alter_table('return_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_receipt_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_return_receipt_export_id'))
    op.drop_table('return_receipt')
    with op.batch_alter_table('return_export_row', schema=None) as batch_op:
        batch_op.drop_column('shown')
    with op.batch_alter_table('return_export', schema=None) as batch_op:
        batch_op.drop_column('app_version')
        batch_op.drop_column('shown_at')
        batch_op.drop_column('partnership')
        batch_op.drop_column('written_to')
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_alias_agency_id'))
    op.drop_table('agency_alias')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.alter_column('contact_email', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.drop_column('phone')
