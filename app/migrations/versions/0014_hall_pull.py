"""The whole hall on every workstation: staff versions, the hall of each feed row, and what
each workstation still holds of a day

* `staff.version`: raised by every local change (a trigger installed by sync), so staff rows
  travel between the counters of a hall as versioned rows (the higher version wins).
* `sync_feed.hall_code`: the hall a feed row belongs to (NULL: customers and lines, every
  hall's), so a workstation of an area server pulls only its own hall.
* `workstation_day`: per workstation, counter and business date, the orders still waiting
  there and the last order serial recorded, as told at its last sync; the day's sign-off is
  refused while any counter of the hall still holds orders of the day.

Columns are added in place (no table rebuild on SQLite: a rebuild would drop the tables' sync
triggers).

Revision ID: 0014_hall_pull
Revises: 0013_line_conflicts
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0014_hall_pull'
down_revision = '0013_line_conflicts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('staff', sa.Column('version', sa.Integer(), server_default='0',
                                     nullable=False))
    op.add_column('sync_feed', sa.Column('hall_code', sa.String(length=16), nullable=True))
    op.create_table('workstation_day',
    sa.Column('workstation', sa.String(length=36), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('counter_code', sa.String(length=8), nullable=False),
    sa.Column('hall_code', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=60), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.Column('reported_at', app.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('workstation', 'business_date', 'counter_code',
                            name=op.f('pk_workstation_day'))
    )
    op.create_index('ix_workstation_day_hall_date', 'workstation_day',
                    ['hall_code', 'business_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_workstation_day_hall_date', table_name='workstation_day')
    op.drop_table('workstation_day')
    with op.batch_alter_table('sync_feed') as batch:
        batch.drop_column('hall_code')
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('version')
