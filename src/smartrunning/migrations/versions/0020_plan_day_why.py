"""A planned day's reasons for the coach (``plan_days.why``): what the generator changed
and why, with its basis; ``notes`` keep what the runner reads.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 12:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_days") as batch:
        batch.add_column(sa.Column("why", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("plan_days") as batch:
        batch.drop_column("why")
