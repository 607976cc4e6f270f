"""The workout library: workouts (ZWO as the canonical form) and their tags.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 08:33:55.538329

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "sport",
            sa.Enum("run", "bike", name="workout_sport", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("zwo", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_workouts_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workouts")),
    )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workouts_content_sha256"), ["content_sha256"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_workouts_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_workouts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "workout_tags",
        sa.Column("workout_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_workout_tags_workout_id_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workout_id", "tag", name=op.f("pk_workout_tags")),
    )
    with op.batch_alter_table("workout_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workout_tags_tag"), ["tag"], unique=False)


def downgrade():
    with op.batch_alter_table("workout_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workout_tags_tag"))

    op.drop_table("workout_tags")
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workouts_owner_id"))
        batch_op.drop_index(batch_op.f("ix_workouts_kind"))
        batch_op.drop_index(batch_op.f("ix_workouts_content_sha256"))

    op.drop_table("workouts")
