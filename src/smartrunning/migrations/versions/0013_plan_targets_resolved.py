"""Plans remember when their days' pace and HR targets were last resolved against the
runner's parameters (``targets_resolved_at``): a parameter changed since marks the plan's
targets stale, with a refresh on its page, in the API and the CLI.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 03:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("targets_resolved_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("targets_resolved_at")
