"""central sync: sync state, workstation outbox, server feed, customer history, audit events
received from workstations, sync issues

The change-capture triggers are not created here: sync installs them when it first runs on a
database (app/services/sync/capture.py), seeding the outbox/feed with the rows already there.

Revision ID: 0003_sync
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0003_sync'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_state',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('sync_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tbl', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_outbox')),
    sqlite_autoincrement=True
    )
    op.create_table('sync_feed',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('txid', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('row_uid', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_feed'))
    )
    op.create_index('ix_sync_feed_txid_seq', 'sync_feed', ['txid', 'seq'], unique=False)
    op.create_table('customer_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_uid', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', app.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_history'))
    )
    op.create_index('ix_customer_history_uid_version', 'customer_history',
                    ['customer_uid', 'version'], unique=False)
    op.create_table('synced_audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor_staff_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('authorized_by', sa.String(length=40), nullable=True),
    sa.Column('counter', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=60), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', app.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_synced_audit_event')),
    sa.UniqueConstraint('origin', 'seq', name=op.f('uq_synced_audit_event_origin')),
    sa.UniqueConstraint('uid', name=op.f('uq_synced_audit_event_uid'))
    )
    op.create_index('ix_synced_audit_event_at', 'synced_audit_event', ['at'], unique=False)
    op.create_table('sync_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('ref', sa.String(length=80), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_issue')),
    sa.UniqueConstraint('origin', 'kind', 'ref', name=op.f('uq_sync_issue_origin'))
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for (name,) in bind.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'sync_cap%'"):
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    elif bind.dialect.name == 'postgresql':
        for table in ('customer', 'line', 'key_person'):
            for suffix in ('i', 'u', 'd'):
                op.execute(f'DROP TRIGGER IF EXISTS sync_feed_{table}_{suffix} ON {table}')
        op.execute('DROP FUNCTION IF EXISTS sync_feed_capture()')
    op.drop_table('sync_issue')
    op.drop_index('ix_synced_audit_event_at', table_name='synced_audit_event')
    op.drop_table('synced_audit_event')
    op.drop_index('ix_customer_history_uid_version', table_name='customer_history')
    op.drop_table('customer_history')
    op.drop_index('ix_sync_feed_txid_seq', table_name='sync_feed')
    op.drop_table('sync_feed')
    op.drop_table('sync_outbox')
    op.drop_table('sync_state')
