"""The first-ask chain (我的待办): who closed a follow-up, and the owner's open items found by
owner

`follow_up.done_by` is added in place (no table rebuild, so the table's sync triggers stay);
follow-ups are not sealed rows, and the rows before it keep NULL there (closed before anyone
was recorded as closing them).

Revision ID: 0011_followup_handover
Revises: 0009_id_validity_stock
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_followup_handover'
down_revision = '0009_id_validity_stock'
branch_labels = None
depends_on = None

FK_NAME = 'fk_follow_up_done_by_staff'


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # In place with its foreign key (SQLite has no ALTER ... ADD CONSTRAINT, and a
        # rebuild would drop the table's sync triggers).
        op.execute('ALTER TABLE follow_up ADD COLUMN done_by INTEGER '
                   f'CONSTRAINT {FK_NAME} REFERENCES staff (id)')
    else:
        op.add_column('follow_up', sa.Column('done_by', sa.Integer(), nullable=True))
        op.create_foreign_key(FK_NAME, 'follow_up', 'staff', ['done_by'], ['id'])
    op.create_index('ix_follow_up_owner_status', 'follow_up', ['owner_staff_id', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_follow_up_owner_status', table_name='follow_up')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE follow_up DROP COLUMN done_by')
    else:
        op.drop_constraint(FK_NAME, 'follow_up', type_='foreignkey')
        op.drop_column('follow_up', 'done_by')
