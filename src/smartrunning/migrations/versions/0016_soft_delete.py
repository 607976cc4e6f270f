"""Sessions and manual personal bests are deleted softly first (``deleted_at``): hidden
everywhere and recomputed as if gone, restorable within the undo window, purged after it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 04:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_sessions_deleted_at", ["deleted_at"], unique=False)
    with op.batch_alter_table("personal_bests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_personal_bests_deleted_at", ["deleted_at"], unique=False)


def downgrade():
    with op.batch_alter_table("personal_bests", schema=None) as batch_op:
        batch_op.drop_index("ix_personal_bests_deleted_at")
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_deleted_at")
        batch_op.drop_column("deleted_at")
