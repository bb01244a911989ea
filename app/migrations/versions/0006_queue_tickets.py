"""queue tickets: one row per call at a counter (叫号), and the ticket of each order's visit

`service_order.queue_ticket_id` is added in place (no table rebuild: an ALTER TABLE ... ADD
COLUMN with its REFERENCES clause on SQLite, which keeps the table's sync triggers and does
not copy the day's orders); it is not one of the order's sealed columns, so the seals of
orders written before stay valid.

Revision ID: 0006_queue_tickets
Revises: 0005_idempotency_anchor
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0006_queue_tickets'
down_revision = '0005_idempotency_anchor'
branch_labels = None
depends_on = None

FK_NAME = 'fk_service_order_queue_ticket_id_queue_ticket'


def upgrade() -> None:
    op.create_table('queue_ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('ticket_no', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('window_no', sa.Integer(), nullable=True),
    sa.Column('service_hint', sa.String(length=60), nullable=True),
    sa.Column('issued_at', app.models.base.UTCDateTime(), nullable=True),
    sa.Column('called_at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('finished_at', app.models.base.UTCDateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'],
                            name=op.f('fk_queue_ticket_counter_id_counter')),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_queue_ticket_hall_id_hall')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                            name=op.f('fk_queue_ticket_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_ticket')),
    sa.UniqueConstraint('uid', name=op.f('uq_queue_ticket_uid'))
    )
    op.create_index('ix_queue_ticket_day_counter', 'queue_ticket',
                    ['business_date', 'counter_id'], unique=False)
    op.create_index('uq_queue_ticket_serving', 'queue_ticket', ['counter_id'], unique=True,
                    sqlite_where=sa.text("status = 'serving'"),
                    postgresql_where=sa.text("status = 'serving'"))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its foreign key in place; Alembic's add_column would
        # drop the constraint (SQLite has no ALTER ... ADD CONSTRAINT).
        op.execute('ALTER TABLE service_order ADD COLUMN queue_ticket_id INTEGER '
                   f'CONSTRAINT {FK_NAME} REFERENCES queue_ticket (id)')
    else:
        op.add_column('service_order', sa.Column('queue_ticket_id', sa.Integer(),
                                                 nullable=True))
        op.create_foreign_key(FK_NAME, 'service_order', 'queue_ticket',
                              ['queue_ticket_id'], ['id'])
    op.create_index('ix_service_order_queue_ticket_id', 'service_order', ['queue_ticket_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_service_order_queue_ticket_id', table_name='service_order')
    if op.get_bind().dialect.name == 'sqlite':
        # In place too (SQLite 3.35+): a rebuild of service_order cannot run with the
        # program's foreign keys on while orders have fees, payments and documents.
        op.execute('ALTER TABLE service_order DROP COLUMN queue_ticket_id')
    else:
        op.drop_constraint(FK_NAME, 'service_order', type_='foreignkey')
        op.drop_column('service_order', 'queue_ticket_id')
    op.drop_index('uq_queue_ticket_serving', table_name='queue_ticket')
    op.drop_index('ix_queue_ticket_day_counter', table_name='queue_ticket')
    op.drop_table('queue_ticket')
