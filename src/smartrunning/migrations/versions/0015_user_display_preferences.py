"""Each user's display preferences: time zone (IANA name) and units (km or mi) for pages,
CLI text and human-readable exports; the API stays SI and UTC. An empty time zone
(not chosen yet) reads as UTC and takes the browser's zone at the next login.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 04:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sa.String(64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("units", sa.String(2), nullable=False, server_default="km"))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("units")
        batch_op.drop_column("time_zone")
