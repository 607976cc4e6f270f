"""Re-plan proposals (issue #20 item 4): the remaining weeks of a plan re-planned from what
the runner actually did, stored for the coach to accept (all or some weeks) or reject;
the plan changes only when accepted.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 08:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_replans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("cut_date", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("weeks", sa.JSON(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("accepted_weeks", sa.JSON(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_replans_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_plan_replans_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_plan_replans_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_replans")),
    )
    with op.batch_alter_table("plan_replans") as batch:
        batch.create_index(batch.f("ix_plan_replans_plan_id"), ["plan_id"], unique=False)
        batch.create_index(
            batch.f("ix_plan_replans_created_by_id"), ["created_by_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_plan_replans_decided_by_id"), ["decided_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("plan_replans") as batch:
        batch.drop_index(batch.f("ix_plan_replans_decided_by_id"))
        batch.drop_index(batch.f("ix_plan_replans_created_by_id"))
        batch.drop_index(batch.f("ix_plan_replans_plan_id"))
    op.drop_table("plan_replans")
