"""Accounts (sign-in, invitations, password resets, rate limits, mail), membership applications,
record revisions (history and revert) and bulk uploads from the curator pages.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(320)))
        batch.add_column(sa.Column("password_hash", sa.String(300)))
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("session_version", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(_when("last_login_at", nullable=True))
        batch.create_unique_constraint("uq_users_email", ["email"])
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("label", sa.String(200)))
    op.create_table(
        "action_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        _when("used_at", nullable=True),
    )
    op.create_index("ix_action_tokens_user_id", "action_tokens", ["user_id"])
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("names", sa.JSON, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("website", sa.String(2000)),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(320), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("ethics_agreed", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decision_note", sa.Text),
        sa.Column("decided_by", sa.String(200)),
        _when("decided_at", nullable=True),
        sa.Column("museum_code", sa.String(40), sa.ForeignKey("museums.code")),
        _when("created_at"),
    )
    op.create_index("ix_applications_state", "applications", ["state", "created_at"])
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False),
        _when("at"),
    )
    op.create_index("ix_rate_events_key_at", "rate_events", ["key", "at"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        _when("created_at"),
        _when("sent_at", nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    _create_record_revisions()
    _create_imports()


def _create_record_revisions() -> None:
    """Every record's current revision becomes the first one its history shows; the bodies of
    earlier revisions were never kept."""
    revisions = op.create_table(
        "record_revisions",
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        _when("at"),
    )
    records = sa.table(
        "records",
        sa.column("id"),
        sa.column("revision"),
        sa.column("body"),
        sa.column("status"),
        sa.column("updated_at"),
    )
    current = sa.select(
        records.c.id,
        records.c.revision,
        records.c.body,
        records.c.status,
        sa.literal("migration"),
        records.c.updated_at,
    )
    assert revisions is not None
    op.execute(revisions.insert().from_select(["record_id", "revision", "body", "status", "actor", "at"], current))


def _create_imports() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("file_path", sa.String(500), nullable=False),
        sa.Column("mapping", sa.JSON),
        sa.Column("default_status", sa.String(20)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("total_rows", sa.Integer),
        sa.Column("processed_rows", sa.Integer, nullable=False, server_default="0"),
        sa.Column("counts", sa.JSON, nullable=False, server_default="{}"),
        sa.Column("dry_run_report", sa.JSON),
        sa.Column("report", sa.JSON),
        sa.Column("error", sa.Text),
        sa.Column("claimed_by", sa.String(32)),
        _when("created_at"),
        _when("started_at", nullable=True),
        _when("finished_at", nullable=True),
        _when("updated_at"),
    )
    op.create_index("ix_imports_museum_created", "imports", ["museum", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_imports_museum_created", "imports")
    op.drop_table("imports")
    op.drop_table("record_revisions")
    op.drop_table("mail_outbox")
    op.drop_index("ix_rate_events_key_at", "rate_events")
    op.drop_table("rate_events")
    op.drop_index("ix_applications_state", "applications")
    op.drop_table("applications")
    op.drop_index("ix_action_tokens_user_id", "action_tokens")
    op.drop_table("action_tokens")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("label")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_email", type_="unique")
        batch.drop_column("last_login_at")
        batch.drop_column("session_version")
        batch.drop_column("active")
        batch.drop_column("password_hash")
        batch.drop_column("email")
