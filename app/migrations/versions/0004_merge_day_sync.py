"""merge the hall's-day and sync branches into one head

Revision ID: 0004_merge
Revises: 0002_day, 0003_sync
Create Date: 2026-11-22
"""

revision = "0004_merge"
down_revision = ("0002_day", "0003_sync")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
