"""Records in the order they changed: indexes on (updated_at, id) and (museum, updated_at, id).

OAI-PMH harvesters page through records by datestamp (updated_at), the whole catalogue or one
museum's set; without these indexes every page sorted the whole table.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_updated_at_id", "records", ["updated_at", "id"])
    op.create_index("ix_records_museum_updated_at_id", "records", ["museum", "updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_records_museum_updated_at_id", "records")
    op.drop_index("ix_records_updated_at_id", "records")
