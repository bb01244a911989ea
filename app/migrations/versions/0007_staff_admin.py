"""staff administration: a password set by an administrator must be changed at the next log-in

Revision ID: 0007_staff_admin
Revises: 0006_queue_tickets
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_staff_admin'
down_revision = '0006_queue_tickets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts chose (or were given) their passwords before this rule: not forced.
    op.add_column('staff', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('must_change_password')
