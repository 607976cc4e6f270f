"""Calendar edits: a planned day can be skipped with a reason, and a plan remembers the
dates a coach emptied (a day moved away, a week copied over), so regenerating keeps them
empty as it keeps edited days.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_days", schema=None) as batch_op:
        batch_op.add_column(sa.Column("skipped_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emptied_dates", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("emptied_dates")
    with op.batch_alter_table("plan_days", schema=None) as batch_op:
        batch_op.drop_column("skipped_reason")
