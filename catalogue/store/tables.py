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
    # OAI-PMH pages through records by datestamp, the whole catalogue or one museum's set
    sa.Index("ix_records_updated_at_id", "updated_at", "id"),
    sa.Index("ix_records_museum_updated_at_id", "museum", "updated_at", "id"),
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

# Roles: "admin" (the network's secretariat, every museum), "museum_admin" (one museum: its records
# and its curators) and "curator" (one museum's records). A user with an email and a password signs
# in to the web pages; a user may also hold API tokens. Users made by `catalogue token create`
# have tokens only.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code")),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("email", sa.String(320)),  # stored lower-cased; unique (uq_users_email)
    sa.Column("password_hash", sa.String(300)),  # werkzeug's scrypt; None until the invitation is accepted
    sa.Column("active", sa.Boolean, nullable=False, default=True, server_default=sa.true()),
    # part of every session cookie: a new password or "sign out everywhere" bumps it, ending the old sessions
    sa.Column("session_version", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
    sa.Column("language", sa.String(16)),  # the interface language their mail is written in (None: English)
    sa.UniqueConstraint("email", name="uq_users_email"),
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
    sa.Column("label", sa.String(200)),  # what its owner named it ("collection system sync")
)

# Single-use links sent by mail: an invitation to set a first password, or a password reset. Only
# the hash of the secret is kept; a link works once and until it expires.
action_tokens = sa.Table(
    "action_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("purpose", sa.String(20), nullable=False),  # "invite" or "reset"
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
)

# Membership applications from the public "Join us" form, reviewed by the secretariat.
applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("names", sa.JSON, nullable=False),  # language map, as museums.names
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("city", sa.String(200), nullable=False),
    sa.Column("website", sa.String(2000)),
    sa.Column("contact_name", sa.String(200), nullable=False),
    sa.Column("contact_email", sa.String(320), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("ethics_agreed", sa.Boolean, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),  # pending, approved or rejected
    sa.Column("decision_note", sa.Text),  # the approval note or the reason for a rejection
    sa.Column("decided_by", sa.String(200)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("museum_code", sa.String(40), sa.ForeignKey("museums.code")),  # set on approval
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("language", sa.String(16)),  # the form's language: the decision's mail is written in it
    sa.Index("ix_applications_state", "state", "created_at"),
)

# Events counted by rate limits (failed sign-ins per account and per address, reset requests,
# applications): a key and a time; old rows are pruned as new ones are counted.
rate_events = sa.Table(
    "rate_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_rate_events_key_at", "key", "at"),
)

# Mail written in the same transaction as the change that causes it (an invitation with its user),
# sent after the commit and retried until the SMTP server takes it; the body is cleared once sent.
mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("attempts", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("last_error", sa.Text),
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

# Every revision of every record, written with the change: a record's history page diffs them, and
# "revert to revision N" saves revision N's body as a new revision.
record_revisions = sa.Table(
    "record_revisions",
    metadata,
    sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# Bulk uploads from the curator pages: the file (kept in DATA_DIR/imports), its column mapping,
# the dry run's report, then the background run's progress and final report.
imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("museum", sa.String(40), sa.ForeignKey("museums.code"), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("format", sa.String(10), nullable=False),  # csv, jsonl (lido once interop lands)
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("file_path", sa.String(500), nullable=False),
    sa.Column("mapping", sa.JSON),  # CSV column -> record field
    sa.Column("default_status", sa.String(20)),  # for rows naming none: published or draft (chosen at confirm)
    sa.Column("state", sa.String(20), nullable=False),  # uploaded, checking, checked, queued, running, done, failed
    sa.Column("total_rows", sa.Integer),
    sa.Column("processed_rows", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("counts", sa.JSON, nullable=False, default=dict, server_default="{}"),
    # {"counts", "lines": [{"kind", "row", "local_id", "field", "message", "value"}], "lines_total"}; "row"
    # is where the line is in the file: a CSV's spreadsheet row (header row 1), a JSON Lines line, a LIDO record
    sa.Column("dry_run_report", sa.JSON),
    sa.Column("report", sa.JSON),  # the same, and (while running) "last_row": where a resumed run goes on
    sa.Column("error", sa.Text),
    # the background job (dry run or import) that holds the upload, a random token per claim: a job
    # whose claim was taken over, after its heartbeat (updated_at) went stale, stops at its next save
    sa.Column("claimed_by", sa.String(32)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_imports_museum_created", "museum", "created_at"),
)

# Curated themes (the network's travelling exhibitions), made by the secretariat: a slug, a title and
# an introduction as language maps, a cover (an image of one of its records; set to NULL when that
# image is removed from its record), a published flag and a revision that every change bumps.
themes = sa.Table(
    "themes",
    metadata,
    sa.Column("slug", sa.String(60), primary_key=True),
    sa.Column("title", sa.JSON, nullable=False),
    sa.Column("introduction", sa.JSON, nullable=False),
    sa.Column("cover_image_id", sa.String(32), sa.ForeignKey("images.id", ondelete="SET NULL")),
    sa.Column("published", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# A theme's records in order, each once, with a note (a language map). The rows of a theme are
# replaced together when its list changes.
theme_objects = sa.Table(
    "theme_objects",
    metadata,
    sa.Column("theme", sa.String(60), sa.ForeignKey("themes.slug"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("note", sa.JSON, nullable=False),
    sa.UniqueConstraint("theme", "record_id", name="uq_theme_objects_theme_record"),
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

# IIIF Change Discovery (/iiif/discovery/activity): the audit log replayed into public activities,
# derived data that `catalogue/store/activity.py` keeps up to date (never written by record changes).
# An activity's position is its place in the stream, from 0, never reused: page n is positions
# n*size to (n+1)*size-1.
discovery_activities = sa.Table(
    "discovery_activities",
    metadata,
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("audit_id", sa.Integer, nullable=False),  # the audit entry it was made from
    sa.Column("record_id", sa.String(32), nullable=False),
    sa.Column("museum", sa.String(40)),
    sa.Column("type", sa.String(10), nullable=False),  # Create, Update or Delete
    sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
)

# What the replay knows of each record it has met: its status and image count after the last audit
# entry replayed, so the next entry tells whether its manifest appeared, changed or went.
discovery_manifests = sa.Table(
    "discovery_manifests",
    metadata,
    sa.Column("record_id", sa.String(32), primary_key=True),
    sa.Column("status", sa.String(20)),
    sa.Column("images", sa.Integer, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
)

# One row (id 1, written by the first replay): how far the replay has read the audit log, how many
# activities it has made and the newest activity's endTime.
discovery_progress = sa.Table(
    "discovery_progress",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("audit_id", sa.Integer, nullable=False),
    sa.Column("activities", sa.Integer, nullable=False),
    sa.Column("last_end_time", sa.DateTime(timezone=True)),
)
