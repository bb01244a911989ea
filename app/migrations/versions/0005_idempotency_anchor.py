"""idempotency key of an order; the head of each workstation's audit chain on the server

Revision ID: 0005_idempotency_anchor
Revises: 0004_merge
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0005_idempotency_anchor'
down_revision = '0004_merge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('service_order', sa.Column('idempotency_key', sa.String(length=64),
                                             nullable=True))
    op.create_index('ix_service_order_idempotency_key', 'service_order', ['idempotency_key'],
                    unique=True)
    op.create_table('audit_anchor',
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', app.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('origin', name=op.f('pk_audit_anchor'))
    )


def downgrade() -> None:
    op.drop_table('audit_anchor')
    op.drop_index('ix_service_order_idempotency_key', table_name='service_order')
    with op.batch_alter_table('service_order') as batch:
        batch.drop_column('idempotency_key')
