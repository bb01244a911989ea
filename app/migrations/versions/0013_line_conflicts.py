"""Line conflicts: two changes of one line from the same version at two counters that cannot
both hold, recorded by the sync server for a supervisor (and pulled by every workstation)

Revision ID: 0013_line_conflicts
Revises: 0012_workstation_identity
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = '0013_line_conflicts'
down_revision = '0012_workstation_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('line_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('line_uid', sa.String(length=36), nullable=False),
    sa.Column('line_number', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('other_key', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('server_side', sa.JSON(), nullable=False),
    sa.Column('other_side', sa.JSON(), nullable=False),
    sa.Column('pushed_by', sa.String(length=60), nullable=False),
    sa.Column('detected_at', app.models.base.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', app.models.base.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=40), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.Column('result_version', sa.Integer(), nullable=True),
    sa.Column('follow_up_order_no', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_conflict')),
    sa.UniqueConstraint('uid', name=op.f('uq_line_conflict_uid')),
    sa.UniqueConstraint('line_uid', 'other_key', name=op.f('uq_line_conflict_line_uid'))
    )
    with op.batch_alter_table('line_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_conflict_line_uid'), ['line_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_conflict_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('line_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_conflict_status'))
        batch_op.drop_index(batch_op.f('ix_line_conflict_line_uid'))
    op.drop_table('line_conflict')
