"""Schema migrations, on SQLite and PostgreSQL: `catalogue db upgrade` makes exactly the tables the
code describes, adopts a database of the first release (made before migrations existed) with its
rows, can go back to the first release and forward again, and until it has run the app refuses
requests with a message that says what to do instead of creating or touching tables itself."""

import re
import secrets

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.records.schema import WARNINGS_KEY
from catalogue.service import content_hash, validate_record
from catalogue.store import Store, migrate, now, token_hash
from catalogue.store import tables as t
from tests.support import TIMERS_OFF, image_bytes, record_payload

HEAD = migrate.head_revision()
FIRST = migrate.BASELINE
# what a first-release database lacks: the columns, tables and indexes migrations 0002 to 0009 add
LATER_TABLES = {"image_sources", "action_tokens", "applications", "rate_events", "mail_outbox", "record_revisions"}
LATER_TABLES |= {"imports", "themes", "theme_objects"}
LATER_TABLES |= {"discovery_activities", "discovery_manifests", "discovery_progress"}
LATER_INDEXES = {"ix_records_updated_at_id", "ix_records_museum_updated_at_id"}  # OAI-PMH's paging (0006)
LATER_USER_COLUMNS = {"email", "password_hash", "active", "session_version", "last_login_at", "language"}
LATER = {"records.warnings", "tokens.expires_at", "tokens.last_used_at", "tokens.label", *LATER_TABLES}
LATER |= {f"users.{column}" for column in LATER_USER_COLUMNS}


@pytest.fixture
def empty_url(request, database_kind, tmp_path):
    """A database without any table, as a new deployment begins."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_templates")
    name = f"catalogue_empty_{secrets.token_hex(6)}"
    with server.admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield server.url_of(name)
    server.drop(server.url_of(name))


@pytest.fixture
def store(empty_url):
    store = Store(empty_url)
    yield store
    store.dispose()


@pytest.fixture
def empty_app(empty_url, tmp_path):
    # no timers: a timer thread outlives the test, meets the dropped database on each tick and logs a
    # traceback, and Python 3.11 builds tracebacks with ast.parse, whose counters threads share:
    # a parse in another test's main thread at that moment fails with "AST constructor recursion
    # depth mismatch" (CPython gh-106905)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": empty_url, **TIMERS_OFF})
    yield app
    app.extensions["catalogue"].store.dispose()


# comparing the database with catalogue/store/tables.py ------------------------------------------
def _plain(default: str | None) -> str | None:
    return None if default is None else re.sub(r"::[a-z ]+$", "", default).strip("'")


def _same_server_default(_context, _inspected, _column, inspected_default, _default, rendered_default) -> bool:
    """Alembic asks PostgreSQL whether two JSON defaults are equal, which it cannot say (there is no
    `json = text`); their text without quotes and casts says it as well."""
    return _plain(inspected_default) != _plain(rendered_default)


def differences(store: Store) -> list:
    """What autogenerate would change to make the database match tables.py (nothing, when current)."""
    with store.engine.connect() as conn:
        options = {"compare_type": True, "compare_server_default": _same_server_default}
        return compare_metadata(MigrationContext.configure(conn, opts=options), t.metadata)


def missing_parts(diffs: list) -> set[str]:
    """What the database lacks: "table.column" for a column, the name of a table (with its indexes)."""
    parts = set()
    for diff in diffs:
        if diff[0] == "add_column":
            parts.add(f"{diff[2]}.{diff[3].name}")
        elif diff[0] == "add_table":
            parts.add(diff[1].name)
        elif diff[0] == "add_constraint":
            assert diff[1].name == "uq_users_email", diff
        else:
            later = diff[1].table.name in LATER_TABLES or diff[1].name in LATER_INDEXES
            assert diff[0] == "add_index" and later, diff
    return parts


# (a) the migrated schema is the one the code describes ------------------------------------------
def test_upgrade_makes_exactly_the_tables_the_code_describes(store):
    assert store.upgrade_schema() == (None, HEAD)
    assert differences(store) == []
    assert store.schema_is_current()


def test_the_comparison_sees_a_schema_that_is_behind(store):
    store.upgrade_schema(FIRST)
    assert missing_parts(differences(store)) == LATER
    assert not store.schema_is_current()


# (b) a database of the first release ------------------------------------------------------------
def make_first_release_database(store: Store) -> dict:
    """The tables as the first release made them (no alembic_version), with a museum, a record with
    an image, a curator with a token, and their audit and outbox rows."""
    store.upgrade_schema(FIRST)
    body = {key: value for key, value in validate_record(record_payload()).items() if key != WARNINGS_KEY}
    at = now()
    rows = {
        "museums": {
            "code": "tate",
            "names": {"en": ["Tate"]},
            "country": "GB",
            "status": "member",
            "created_at": at,
            "updated_at": at,
        },
        "records": {
            "id": "rec1",
            "museum": "tate",
            "local_id": "T00001",
            "body": body,
            "content_hash": content_hash(body),
            "revision": 3,
            "status": "published",
            "masterpiece": True,
            "date_begin": 1830,
            "date_end": 1832,
            "created_at": at,
            "updated_at": at,
        },
        "images": {
            "id": "img1",
            "record_id": "rec1",
            "sha256": "a" * 64,
            "position": 0,
            "format": "JPEG",
            "width": 40,
            "height": 30,
            "bytes": 651,
            "alt": {"en": ["A wave"]},
            "created_at": at,
        },
        "users": {"id": 1, "name": "Ada", "museum": "tate", "role": "curator", "created_at": at},
        "tokens": {"token_hash": token_hash("first-release-token"), "user_id": 1, "created_at": at},
        "audit_log": {
            "actor": "cli:ada",
            "museum": "tate",
            "record_id": "rec1",
            "action": "create",
            "revision": 3,
            "changes": {},
            "at": at,
        },
        "index_outbox": {"record_id": "rec1", "revision": 3, "op": "upsert", "enqueued_at": at},
    }
    with store.transaction() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        for name, row in rows.items():
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)  # as the first release made it
            conn.execute(table.insert().values(**row))
    return rows


def count_rows(store: Store) -> dict[str, int]:
    """Rows per table, of the tables the database has."""
    with store.reading() as conn:
        present = set(sa.inspect(conn).get_table_names())
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar()
            for name in t.metadata.tables
            if name in present
        }


def test_a_first_release_database_is_adopted_and_upgraded_with_its_rows(store):
    rows = make_first_release_database(store)
    assert store.schema_revision() is None

    assert store.upgrade_schema() == (FIRST, HEAD)

    assert differences(store) == []
    # each record's current revision starts its history (0004)
    kept = {*rows, "record_revisions"}
    assert count_rows(store) == {name: 1 if name in kept else 0 for name in t.metadata.tables}
    record = store.get_record("rec1")
    assert record is not None
    assert (record.revision, record.body, record.warnings) == (3, rows["records"]["body"], [])
    assert [image.id for image in record.images] == ["img1"]
    [token] = store.list_tokens()
    assert (token["name"], token["expires_at"], token["last_used_at"]) == ("Ada", None, None)
    assert store.user_for_token("first-release-token", now())["museum"] == "tate"
    assert [(e["record_id"], e["revision"]) for e in store.pending_outbox()] == [("rec1", 3)]


def test_an_adopted_database_is_not_adopted_twice(store):
    make_first_release_database(store)
    store.upgrade_schema()
    assert store.upgrade_schema() == (HEAD, HEAD)


# (c) back to the first release and forward again ------------------------------------------------
def test_downgrade_to_the_first_release_and_upgrade_again_keeps_the_rows(service, museum, token):
    created = service.upsert(cli_actor(), museum.code, record_payload())
    service.add_images(cli_actor(), museum.code, "T00001", [(image_bytes(), "wave.jpg")])
    store = service.store
    before = count_rows(store)

    assert store.downgrade_schema(FIRST) == (HEAD, FIRST)
    assert missing_parts(differences(store)) == LATER
    assert count_rows(store) == {name: rows for name, rows in before.items() if name not in LATER_TABLES}

    assert store.upgrade_schema() == (FIRST, HEAD)
    assert differences(store) == []
    after = count_rows(store)
    # the history of earlier revisions went with the downgrade; each record's current one starts it again
    before.pop("record_revisions")
    assert after.pop("record_revisions") == before["records"]
    assert after == before
    record = service.record(created.record_id)
    assert (record.revision, len(record.images), record.warnings) == (2, 1, [])
    assert service.actor_for_token(token) is not None
    again = service.upsert(cli_actor(), museum.code, record_payload(title="The Great Wave off Kanagawa"))
    assert (again.action, again.revision) == ("updated", 3)


# (d) the commands --------------------------------------------------------------------------------
def run(app, *args) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["db", *args])
    return result.exit_code, result.output.strip()


def test_db_current_and_db_upgrade_say_where_the_schema_stands(empty_app):
    assert run(empty_app, "current") == (1, "empty (needs `catalogue db upgrade`)")
    assert run(empty_app, "upgrade", "--revision", FIRST) == (0, f"database schema upgraded from empty to {FIRST}")
    assert run(empty_app, "current") == (1, f"{FIRST} (needs `catalogue db upgrade`)")
    assert run(empty_app, "upgrade") == (0, f"database schema upgraded from {FIRST} to {HEAD}")
    assert run(empty_app, "upgrade") == (0, f"database schema is current ({HEAD})")
    assert run(empty_app, "current") == (0, f"{HEAD} (current)")


# (e) the app never migrates by itself ------------------------------------------------------------
def test_the_app_creates_no_tables_and_answers_503_until_the_schema_is_current(empty_app, store):
    client = empty_app.test_client()
    assert sa.inspect(store.engine).get_table_names() == []

    for step in (None, FIRST):
        if step:
            store.upgrade_schema(step)  # a schema that is behind is refused the same way
        api = client.get("/api/museums")
        assert api.status_code == 503 and "catalogue db upgrade" in api.get_json()["message"]
        page = client.get("/")
        assert page.status_code == 503 and "catalogue db upgrade" in page.get_data(as_text=True)
    assert store.schema_revision() == FIRST  # the requests migrated nothing

    store.upgrade_schema()
    assert client.get("/api/museums").status_code == 200
    assert client.get("/").status_code == 200


# (f) data a migration rewrites -------------------------------------------------------------------
def kept_upload(conn, upload_id: int, file_format: str, lines: list[dict], last_row: int) -> None:
    at = now()
    report = {"counts": {}, "lines": lines, "lines_total": len(lines)}
    conn.execute(
        t.imports.insert().values(
            id=upload_id,
            museum="tate",
            actor="Ada",
            format=file_format,
            filename=f"objects.{file_format}",
            file_path="",
            state="running",
            dry_run_report=report,
            report={**report, "last_row": last_row},
            created_at=at,
            updated_at=at,
        )
    )


def test_reports_kept_of_csv_uploads_move_to_spreadsheet_rows_and_back(store):
    """A CSV report kept before 0008 counted data rows from 1; a spreadsheet, and reports since,
    count the header as row 1. JSON Lines reports gave lines all along."""
    store.upgrade_schema("0007")
    duplicate = {"kind": "error", "row": 4, "field": "local_id", "message": "Duplicate local id; first seen in row 1."}
    untitled = {"kind": "error", "row": 2, "field": "title", "message": "Required: fill this in."}
    with store.transaction() as conn:
        museum = {
            "code": "tate",
            "names": {"en": ["Tate"]},
            "status": "member",
            "created_at": now(),
            "updated_at": now(),
        }
        conn.execute(t.museums.insert().values(**museum))
        kept_upload(conn, 1, "csv", [untitled, duplicate], last_row=4)
        kept_upload(conn, 2, "jsonl", [untitled, duplicate], last_row=4)

    def numbers(upload_id: int):
        upload = store.get_import(upload_id)
        assert upload is not None and upload.report is not None and upload.dry_run_report is not None
        lines = upload.report["lines"]
        assert upload.dry_run_report["lines"] == lines
        return [(line["row"], line["message"]) for line in lines], upload.report["last_row"]

    as_kept = numbers(1)
    store.upgrade_schema()
    assert numbers(1) == ([(3, "Required: fill this in."), (5, "Duplicate local id; first seen in row 2.")], 5)
    assert numbers(2) == as_kept  # JSON Lines: the file's lines, then and now

    store.downgrade_schema("0007")
    assert numbers(1) == numbers(2) == as_kept
