"""Plans remember the schedule they were generated with (training days, long-run day,
sessions per week) where it differs from the runner's profile, so regenerating keeps it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 12:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("schedule")
