"""CS anchors: what each personal best was (race, time trial, training effort), whether the
CS fit uses it and why; sessions marked as a race or time trial; fitted CS versions marked
automatic; suggestions offered when a value a person entered is in force.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _kind() -> sa.Enum:
    return sa.Enum(
        "race",
        "time_trial",
        "training",
        name="best_kind",
        native_enum=False,
        create_constraint=True,
        length=10,
    )


def upgrade():
    with op.batch_alter_table("personal_bests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", _kind(), server_default="training", nullable=False))
        batch_op.add_column(
            sa.Column("anchor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("mean_hr_bpm", sa.Double(), nullable=True))
        batch_op.add_column(
            sa.Column("evidence", sa.String(length=200), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE personal_bests SET kind = 'race', anchor = true, "
        "evidence = 'entered result' WHERE source = 'manual'"
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("performance", _kind(), server_default="training", nullable=False)
        )
    with op.batch_alter_table("parameter_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("automatic", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE parameter_versions SET automatic = true "
        "WHERE key = 'critical_speed' AND source = 'formula'"
    )
    op.create_table(
        "parameter_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column(
            "key",
            sa.Enum(
                "hrmax_bpm",
                "hrrest_bpm",
                "weight_kg",
                "hr_zones",
                "pace_zones",
                "critical_speed",
                "threshold_hr_bpm",
                "load_model",
                "fitness_fatigue",
                name="parameter_key",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "measured",
                "estimated",
                "formula",
                "detected",
                "default",
                name="parameter_source",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "accepted",
                "dismissed",
                name="suggestion_status",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_parameter_suggestions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"],
            ["runners.id"],
            name=op.f("fk_parameter_suggestions_runner_id_runners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parameter_suggestions")),
    )
    with op.batch_alter_table("parameter_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parameter_suggestions_runner_id"), ["runner_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("parameter_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parameter_suggestions_runner_id"))
    op.drop_table("parameter_suggestions")
    with op.batch_alter_table("parameter_versions", schema=None) as batch_op:
        batch_op.drop_column("automatic")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("performance")
    with op.batch_alter_table("personal_bests", schema=None) as batch_op:
        batch_op.drop_column("evidence")
        batch_op.drop_column("mean_hr_bpm")
        batch_op.drop_column("anchor")
        batch_op.drop_column("kind")
