"""IIIF Change Discovery: the activities replayed from the audit log, each record's manifest state and
the replay's progress.

The tables are derived data: they start empty (the progress row is written by the first replay)
and the first requests to /iiif/discovery/activity replay the audit log into them
(catalogue/store/activity.py), so nothing is computed here.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discovery_activities",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("museum", sa.String(40)),
        sa.Column("type", sa.String(10), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "discovery_manifests",
        sa.Column("record_id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(20)),
        sa.Column("images", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_table(
        "discovery_progress",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("activities", sa.Integer, nullable=False),
        sa.Column("last_end_time", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("discovery_progress")
    op.drop_table("discovery_manifests")
    op.drop_table("discovery_activities")
