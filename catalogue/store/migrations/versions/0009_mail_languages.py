"""The language each person's mail is written in: a user's and a membership applicant's.

Invitations, the membership decisions and the secretariat's review notices were written in English
only, because the recipient's language was nowhere kept. Rows kept before stay without one, and
their mail stays English, as it was.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("language", sa.String(16)))
    with op.batch_alter_table("applications") as applications:
        applications.add_column(sa.Column("language", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("applications") as applications:
        applications.drop_column("language")
    with op.batch_alter_table("users") as users:
        users.drop_column("language")
