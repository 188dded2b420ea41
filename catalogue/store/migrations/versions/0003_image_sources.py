"""Images named by URL: the image_sources queue.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "image_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("url_hash", sa.String(64), nullable=False),
        sa.Column("alt", sa.JSON, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        _when("next_attempt_at", nullable=True),
        sa.Column("image_id", sa.String(32), sa.ForeignKey("images.id")),
        _when("created_at"),
        _when("updated_at"),
        sa.UniqueConstraint("record_id", "url_hash", name="uq_image_sources_record_url"),
    )
    op.create_index("ix_image_sources_due", "image_sources", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_image_sources_due", "image_sources")
    op.drop_table("image_sources")
