"""The schema as the first release created it (before migrations existed).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "museums",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("names", sa.JSON, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("city", sa.String(200)),
        sa.Column("website", sa.String(2000)),
        sa.Column("logo", sa.String(2000)),
        sa.Column("status", sa.String(20), nullable=False),
        _when("created_at"),
        _when("updated_at"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code"), nullable=False),
        sa.Column("local_id", sa.String(500), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("masterpiece", sa.Boolean, nullable=False),
        sa.Column("date_begin", sa.Integer),
        sa.Column("date_end", sa.Integer),
        _when("created_at"),
        _when("updated_at"),
        sa.UniqueConstraint("museum", "local_id", name="uq_records_museum_local_id"),
    )
    op.create_index("ix_records_museum_status", "records", ["museum", "status"])
    op.create_table(
        "images",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("alt", sa.JSON, nullable=False),
        sa.Column("original_name", sa.String(500)),
        _when("created_at"),
        sa.UniqueConstraint("record_id", "sha256", name="uq_images_record_sha"),
    )
    op.create_index("ix_images_record_id", "images", ["record_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code")),
        sa.Column("role", sa.String(20), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        _when("created_at"),
        _when("revoked_at", nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _when("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("museum", sa.String(40)),
        sa.Column("record_id", sa.String(32)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer),
        sa.Column("changes", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_log_record_id", "audit_log", ["record_id"])
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        _when("enqueued_at"),
    )
    op.create_table(
        "index_dead_letters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer),
        sa.Column("backend", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        _when("at"),
    )
    op.create_index("ix_index_dead_letters_record_id", "index_dead_letters", ["record_id"])


def downgrade() -> None:
    for table in ("index_dead_letters", "index_outbox", "audit_log", "tokens", "users", "images", "records", "museums"):
        op.drop_table(table)
