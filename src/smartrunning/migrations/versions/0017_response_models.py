"""A runner's fitted response model, stored with a fingerprint of its inputs so that
pages reuse it until the inputs change.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 05:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "response_models",
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_response_models_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runner_id", name=op.f("pk_response_models")),
    )


def downgrade():
    op.drop_table("response_models")
