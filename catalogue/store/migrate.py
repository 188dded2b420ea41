"""Schema migrations (Alembic): `catalogue db upgrade` brings any of our databases to the current schema.

The app never creates or alters tables as a side effect of starting; it only checks whether the
schema is current, so several app processes can start against one database safely.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the schema the first release created with metadata.create_all


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: sa.Connection, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to ``revision`` inside the caller's transaction; returns (before, after)."""
    config = _config()
    config.attributes["connection"] = conn
    before = current_revision(conn)
    if before is None and _has_tables_of_first_release(conn):
        # created before migrations existed: it is the baseline, so start counting there
        command.stamp(config, BASELINE)
        before = BASELINE
    command.upgrade(config, revision)
    return before, current_revision(conn)


def downgrade(conn: sa.Connection, revision: str) -> tuple[str | None, str | None]:
    """Migrate back to ``revision`` (to run an older release again); returns (before, after)."""
    config = _config()
    config.attributes["connection"] = conn
    before = current_revision(conn)
    command.downgrade(config, revision)
    return before, current_revision(conn)


def history() -> list[tuple[str, str]]:
    """(revision, first docstring line) from the oldest to the newest."""
    scripts = ScriptDirectory.from_config(_config())
    return [
        (script.revision, (script.doc or "").splitlines()[0] if script.doc else "")
        for script in reversed(list(scripts.walk_revisions()))
    ]


def _has_tables_of_first_release(conn: sa.Connection) -> bool:
    return sa.inspect(conn).has_table("records")
