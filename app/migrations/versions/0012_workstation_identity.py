"""Workstation identity: the server's register of who numbers orders under which prefix, and
this workstation's own random id

`workstation_claim` (used on the sync server): which workstation claims which order-number
prefix (hall code and counter code) or origin name. On a SQLite workstation the random id is
made here, at the database's first start (or when an older database is upgraded), and kept in
`sync_state` under `workstation.id`; it never changes afterwards.

Revision ID: 0012_workstation_identity
Revises: 0011_followup_handover
Create Date: 2026-11-22
"""
import uuid

from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0012_workstation_identity'
down_revision = '0011_followup_handover'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workstation_claim',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('workstation', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('claimed_at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_seen', app.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'name', name=op.f('pk_workstation_claim'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(sa.text("INSERT OR IGNORE INTO sync_state (key, value) "
                           "VALUES ('workstation.id', :v)").bindparams(v=str(uuid.uuid4())))


def downgrade() -> None:
    # The workstation's id stays: it must not change when the program is upgraded again.
    op.drop_table('workstation_claim')
