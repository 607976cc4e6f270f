"""A runner's mark on a planned day: done (optionally with the duration and distance run
without a watch) or partly done (with a reason). Skipping keeps ``skipped_reason``.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:55:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_days") as batch:
        batch.add_column(sa.Column("mark", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("mark_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("mark_duration_s", sa.Double(), nullable=True))
        batch.add_column(sa.Column("mark_distance_m", sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_days") as batch:
        batch.drop_column("mark_distance_m")
        batch.drop_column("mark_duration_s")
        batch.drop_column("mark_reason")
        batch.drop_column("mark")
