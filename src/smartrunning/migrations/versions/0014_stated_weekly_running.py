"""Runners can state their current weekly running (minutes): a plan's first week starts
from it when there are no uploads in the four weeks before the plan.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("runners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_running_min", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("runners", schema=None) as batch_op:
        batch_op.drop_column("weekly_running_min")
