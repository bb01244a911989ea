"""A retired workstation: who retired it, when and why, on its `workstation_day` rows

`counter sync --release` frees a replaced or retired workstation's claims on the server and
marks its rows of `workstation_day` retired, so that the day's sign-off no longer waits for a
workstation that will never sync again (orders it still held are named as a warning to
acknowledge instead). A workstation that reports again clears the mark.

Revision ID: 0016_workstation_retire
Revises: 0015_area_indexes
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import app.models.base

revision = '0016_workstation_retire'
down_revision = '0015_area_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workstation_day') as batch:
        batch.add_column(sa.Column('retired_at', app.models.base.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('retired_by', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('retired_note', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workstation_day') as batch:
        batch.drop_column('retired_note')
        batch.drop_column('retired_by')
        batch.drop_column('retired_at')
