"""Curated themes: the themes table and each theme's ordered records with their notes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("slug", sa.String(60), primary_key=True),
        sa.Column("title", sa.JSON, nullable=False),
        sa.Column("introduction", sa.JSON, nullable=False),
        sa.Column("cover_image_id", sa.String(32), sa.ForeignKey("images.id", ondelete="SET NULL")),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("revision", sa.Integer, nullable=False),
        _when("created_at"),
        _when("updated_at"),
    )
    op.create_table(
        "theme_objects",
        sa.Column("theme", sa.String(60), sa.ForeignKey("themes.slug"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False),
        sa.Column("note", sa.JSON, nullable=False),
        sa.UniqueConstraint("theme", "record_id", name="uq_theme_objects_theme_record"),
    )
    op.create_index("ix_theme_objects_record_id", "theme_objects", ["record_id"])


def downgrade() -> None:
    op.drop_index("ix_theme_objects_record_id", "theme_objects")
    op.drop_table("theme_objects")
    op.drop_table("themes")
