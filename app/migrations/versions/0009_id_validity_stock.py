"""ID documents' expiry date; stock receipts and transfers between counters; a value card's
serial sold once

`order_document.valid_until` and `stock_movement.voucher_id` are added in place (no table
rebuild, so the sync triggers on those tables stay and old rows keep their seals: the seal
of an order's documents counts `valid_until` only when it is set).

Revision ID: 0009_id_validity_stock
Revises: 0008_hall_settings
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0009_id_validity_stock'
down_revision = '0008_hall_settings'
branch_labels = None
depends_on = None

FK_NAME = 'fk_stock_movement_voucher_id_stock_voucher'
SERIAL_WHERE = "kind = 'use' AND item LIKE 'value_card:%'"


def upgrade() -> None:
    op.add_column('order_document', sa.Column('valid_until', sa.Date(), nullable=True))
    op.create_table('stock_voucher',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('from_counter_id', sa.Integer(), nullable=True),
    sa.Column('to_counter_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('authorized_by', sa.String(length=40), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', app.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['from_counter_id'], ['counter.id'],
                            name=op.f('fk_stock_voucher_from_counter_id_counter')),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_stock_voucher_hall_id_hall')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                            name=op.f('fk_stock_voucher_staff_id_staff')),
    sa.ForeignKeyConstraint(['to_counter_id'], ['counter.id'],
                            name=op.f('fk_stock_voucher_to_counter_id_counter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_voucher')),
    sa.UniqueConstraint('uid', name=op.f('uq_stock_voucher_uid'))
    )
    op.create_index('ix_stock_voucher_day', 'stock_voucher', ['business_date', 'kind'],
                    unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        # In place with its foreign key (SQLite has no ALTER ... ADD CONSTRAINT, and a
        # rebuild would drop the table's sync triggers).
        op.execute('ALTER TABLE stock_movement ADD COLUMN voucher_id INTEGER '
                   f'CONSTRAINT {FK_NAME} REFERENCES stock_voucher (id)')
    else:
        op.add_column('stock_movement', sa.Column('voucher_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK_NAME, 'stock_movement', 'stock_voucher', ['voucher_id'], ['id'])
    op.create_index('ix_stock_movement_voucher_id', 'stock_movement', ['voucher_id'],
                    unique=False)
    op.create_index('uq_stock_movement_value_card_serial', 'stock_movement', ['serial'],
                    unique=True, sqlite_where=sa.text(SERIAL_WHERE),
                    postgresql_where=sa.text(SERIAL_WHERE))


def downgrade() -> None:
    op.drop_index('uq_stock_movement_value_card_serial', table_name='stock_movement')
    op.drop_index('ix_stock_movement_voucher_id', table_name='stock_movement')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE stock_movement DROP COLUMN voucher_id')
    else:
        op.drop_constraint(FK_NAME, 'stock_movement', type_='foreignkey')
        op.drop_column('stock_movement', 'voucher_id')
    op.drop_index('ix_stock_voucher_day', table_name='stock_voucher')
    op.drop_table('stock_voucher')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE order_document DROP COLUMN valid_until')
    else:
        op.drop_column('order_document', 'valid_until')
