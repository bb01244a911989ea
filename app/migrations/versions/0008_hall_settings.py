"""hall settings: a revision number raised by every change; the tariff's dated history

Revision ID: 0008_hall_settings
Revises: 0007_staff_admin
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0008_hall_settings'
down_revision = '0007_staff_admin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default: SQLite adds such a column in place (no table copy of `hall`, which
    # every other table refers to).
    op.add_column('hall', sa.Column('settings_rev', sa.Integer(), server_default='0',
                                    nullable=False))
    op.create_table('tariff_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['hall.id'], name=op.f('fk_tariff_rate_hall_id_hall')),
    sa.ForeignKeyConstraint(['set_by'], ['staff.id'], name=op.f('fk_tariff_rate_set_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_rate')),
    sa.UniqueConstraint('uid', name=op.f('uq_tariff_rate_uid'))
    )
    op.create_index('ix_tariff_rate_hall_item', 'tariff_rate', ['hall_id', 'item', 'valid_from'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_tariff_rate_hall_item', table_name='tariff_rate')
    op.drop_table('tariff_rate')
    with op.batch_alter_table('hall') as batch:
        batch.drop_column('settings_rev')
