"""Database tables (SQLAlchemy Core), as the newest migration leaves them. Portable types only: the
same tables run on SQLite and PostgreSQL. A change here needs a migration in ``migrations/versions``."""

import sqlalchemy as sa

metadata = sa.MetaData()

museums = sa.Table(
    "museums",
    metadata,
    sa.Column("code", sa.String(40), primary_key=True),
    sa.Column("names", sa.JSON, nullable=False),
    sa.Column("country", sa.String(2)),
    sa.Column("city", sa.String(200)),
    sa.Column("website", sa.String(2000)),
    sa.Column("logo", sa.String(2000)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code"), nullable=False),
    sa.Column("local_id", sa.String(500), nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("masterpiece", sa.Boolean, nullable=False, default=False),
    sa.Column("date_begin", sa.Integer),
    sa.Column("date_end", sa.Integer),
    # data-quality warnings of the last import or save: [{"field", "value", "reason"}]
    sa.Column("warnings", sa.JSON, nullable=False, default=list, server_default="[]"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("museum", "local_id", name="uq_records_museum_local_id"),
    sa.Index("ix_records_museum_status", "museum", "status"),
)

images = sa.Table(
    "images",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("format", sa.String(10), nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("bytes", sa.Integer, nullable=False),
    sa.Column("alt", sa.JSON, nullable=False),
    sa.Column("original_name", sa.String(500)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("record_id", "sha256", name="uq_images_record_sha"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code")),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True)),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("museum", sa.String(40)),
    sa.Column("record_id", sa.String(32), index=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("revision", sa.Integer),
    sa.Column("changes", sa.JSON, nullable=False),
)

# Written in the same transaction as the record change, so a search outage never loses an update.
index_outbox = sa.Table(
    "index_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(32), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("op", sa.String(10), nullable=False),
    sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
)

# Documents the search engine refused: kept visible (`catalogue index --dead-letters`), never dropped.
index_dead_letters = sa.Table(
    "index_dead_letters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(32), nullable=False, index=True),
    sa.Column("revision", sa.Integer),
    sa.Column("backend", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# Images a record names by URL ("images": [{"url"}] or image_url), queued in the record's own
# transaction and fetched later (`catalogue fetch-images`, or the app's timer); what a fetch stores
# is an ordinary image (see ``images``), linked here. url_hash keeps the unique key short: a URL
# may be 2,000 characters, longer than PostgreSQL indexes.
image_sources = sa.Table(
    "image_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("url_hash", sa.String(64), nullable=False),
    sa.Column("alt", sa.JSON, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),  # pending, fetched or failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),  # pending only: when it is due
    sa.Column("image_id", sa.String(32), sa.ForeignKey("images.id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("record_id", "url_hash", name="uq_image_sources_record_url"),
    sa.Index("ix_image_sources_due", "state", "next_attempt_at"),
)
