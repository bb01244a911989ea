"""The area view: indexes that take one hall's day out of a server holding every hall

An area server holds dozens of halls' orders (200 halls × 30 days × 2,000 orders = 12 M); the
supervisor's day view and the daily report read one hall's day. Every query of those views
filters by hall and business date (or by the hall's counters and the date), and each has an
index that starts with exactly that, so its cost follows the hall's day and not the area
(`bench/bench_area.py` measures it and writes the plans to docs/area_plans.md). The older
(business_date, counter) indexes stay: a workstation's own screens use them.

Revision ID: 0015_area_indexes
Revises: 0014_hall_pull
Create Date: 2026-11-30
"""
from alembic import op

revision = '0015_area_indexes'
down_revision = '0014_hall_pull'
branch_labels = None
depends_on = None

# name, table, columns
INDEXES = (
    ('ix_service_order_hall_day', 'service_order', ['hall_id', 'business_date']),
    ('ix_shift_hall_day', 'shift', ['hall_id', 'business_date']),
    # the shift an order was recorded in (its counter's, open at the order's time)
    ('ix_shift_counter_opened', 'shift', ['counter_id', 'opened_at']),
    ('ix_intake_entry_hall_day', 'intake_entry', ['hall_id', 'business_date']),
    ('ix_queue_ticket_hall_day', 'queue_ticket', ['hall_id', 'business_date']),
    ('ix_cash_entry_counter_day', 'cash_entry', ['counter_id', 'business_date']),
    ('ix_stock_movement_counter_day', 'stock_movement', ['counter_id', 'business_date']),
    ('ix_order_void_voided_on', 'order_void', ['voided_on']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
