"""one key for an agency's name (NFKC + case folded); names cleaned of invisible characters

Two agencies whose names differ only in case or in a compatibility form ("École" and "éCOLE")
are now the same name. An existing database holding two such agencies keeps both, with all their
records: the older keeps its name, the later is renamed "<name> (2)" (an audit entry says so),
and the lead can merge them in Edit > Agencies if they are one organisation. Names also lose any
control, format or unwritable characters, recorded in the audit trail the same way.

Revision ID: 0004_agency_name_key
Revises: 0003_returns_chase
Create Date: 2026-12-07 20:00:00
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from scr_desk.domain.names import clean_name, name_key

revision = '0004_agency_name_key'
down_revision = '0003_returns_chase'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
UPGRADE_SOURCE = "upgrade 0004: agency names compared without case or accents' forms"


def upgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=500), nullable=True))
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    taken: set[str] = set()
    for agency_id, uid, name in bind.execute(sa.text("SELECT id, uid, name FROM agency ORDER BY id")).fetchall():
        base = clean_name(str(name or "")) or "Unnamed agency"
        new_name, number = base, 2
        while name_key(new_name) in taken:  # the later of two names that are one name gets a number
            new_name, number = f"{base} ({number})", number + 1
        taken.add(name_key(new_name))
        bind.execute(sa.text("UPDATE agency SET name = :name, name_key = :key WHERE id = :id"),
                     {"name": new_name, "key": name_key(new_name), "id": agency_id})
        if new_name != name:
            log.warning("Agency %s renamed %r by the upgrade: its name was another's, or held invisible characters",
                        uid, new_name)
            bind.execute(sa.text(
                "INSERT INTO audit_entry (at, \"user\", entity, entity_uid, action, field, old_value, new_value, source) "
                "VALUES (:at, '', 'agency', :uid, 'changed', 'name', :old, :new, :source)"),
                {"at": now, "uid": uid, "old": name, "new": new_name, "source": UPGRADE_SOURCE})
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=500), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_agency_name_key'), ['name_key'])


def downgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_agency_name_key'), type_='unique')
        batch_op.drop_column('name_key')
