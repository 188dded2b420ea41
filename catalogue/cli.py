"""The ``catalogue`` command: a Flask CLI group for imports, museums, themes, tokens and serving."""

import csv
import getpass
import json
import re
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from catalogue.catalogues import INTERFACE_LANGUAGES
from catalogue.errors import CatalogueError
from catalogue.extensions import service
from catalogue.ingest.importer import IMPORT_WORKERS, Importer
from catalogue.ingest.readers import csv_separator, detect_format, read_jsonl
from catalogue.models import Actor
from catalogue.processes import batch_work
from catalogue.service.tokens import token_state
from catalogue.store import now

MAX_ERRORS_SHOWN = 200


def cli_actor() -> Actor:
    """Commands act as an administrator named after the operating-system user, for the audit log."""
    return Actor(name=f"cli:{getpass.getuser()}", role="admin")


def _fail(error: CatalogueError) -> None:
    click.echo(f"error: {error.message}", err=True)
    for detail in error.errors:
        click.echo(f"  {detail.get('field') or ''}: {detail.get('message')}", err=True)
    sys.exit(2)


def _import_length(path: Path, kind: str) -> tuple[int, str]:
    """What the import's progress bar counts to: for JSON Lines the lines, for CSV the records (a
    quoted cell may span lines; the header is one), for XML the bytes (a LIDO record spans many
    lines, and counting records first would mean parsing twice)."""
    if kind == "lido":
        return path.stat().st_size, "bytes"
    if kind == "csv":
        separator = csv_separator(path)
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            return sum(1 for _ in csv.reader(handle, dialect="excel", delimiter=separator)), "rows"
    with open(path, "rb") as handle:
        return sum(1 for _ in handle), "lines"


def _progress(bar, kind: str):
    """Moves the bar to where the reader is in the file: a JSON Lines row's line, a CSV row's number
    (the records read, the header one of them), a LIDO record's byte position. Skipped blank lines
    and rows count too, so the bar ends full and its ETA (time per unit so far, times the units
    left) holds."""
    done = [0]

    def where(row) -> int | None:
        return row.position if kind == "lido" else row.number

    def moved(row) -> None:
        position = where(row)
        if position is not None and position > done[0]:
            bar.update(position - done[0])
            done[0] = position

    return moved


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--museum", help="Museum code for every row (else each row names its museum).")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["auto", "jsonl", "csv", "lido"]),
    default="auto",
    help="auto: by the file's suffix (.jsonl/.ndjson/.json, .csv/.tsv, .xml for LIDO 1.0/1.1 XML).",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV column mapping (JSON); without it CSV headers must be field names.",
)
@click.option("--dry-run", is_flag=True, help="Validate and count, write nothing.")
@click.option("--register-museums", is_flag=True, help="Register museums the file names but the catalogue lacks.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=IMPORT_WORKERS,
    show_default=True,
    help="Processes validating rows while this one saves them (1: validate here).",
)
@with_appcontext
def import_command(path, museum, file_format, mapping, dry_run, register_museums, workers):
    """Import object records from JSON Lines, CSV or LIDO XML; bad rows (LIDO: records) are
    reported, good ones land."""
    importer = Importer(
        service(), cli_actor(), museum=museum, dry_run=dry_run, register_museums=register_museums, workers=workers
    )
    try:
        kind = detect_format(path, file_format)
        length, unit = _import_length(path, kind)
        bar = click.progressbar(length=length, label=f"Importing ({unit})", show_eta=True, file=sys.stderr)
        with batch_work(), bar:
            report = importer.import_file(path, kind, mapping, on_row=_progress(bar, kind))
    except CatalogueError as failure:
        _fail(failure)
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        click.echo(f"rejected {error}", err=True)
    if len(report.errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more errors", err=True)
    for warning in report.warnings[:MAX_ERRORS_SHOWN]:
        click.echo(f"warning {warning}", err=True)
    if len(report.warnings) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(report.warnings) - MAX_ERRORS_SHOWN} more warnings", err=True)
    for code in report.museums_registered:
        click.echo(f"registered museum {code}", err=True)
    if report.images_queued:
        click.echo(
            f"image URLs queued {report.images_queued}: the server fetches them in the background, "
            "`catalogue fetch-images` at once",
            err=True,
        )
    click.echo(report.summary())
    sys.exit(1 if report.rejected else 0)


@click.command("import-images")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--museum", help="Museum code for every line (else each line names its museum).")
@with_appcontext
def import_images_command(manifest, museum):
    """Attach images listed in a JSON Lines manifest: {"museum", "local_id", "file", "alt"} per line.

    ``file`` is relative to the manifest's folder."""
    added = failed = 0
    for row in read_jsonl(manifest):
        data = row.data or {}
        try:
            if row.error:
                raise CatalogueError(row.error)
            file_path = (manifest.parent / str(data.get("file", ""))).resolve()
            if not file_path.is_file():
                raise CatalogueError(f"No file {data.get('file')!r} next to the manifest.")
            images = service().add_images(
                cli_actor(),
                museum or data.get("museum"),
                str(data.get("local_id")),
                [(file_path.read_bytes(), file_path.name)],
                data.get("alt"),
            )
            added += len(images)
        except CatalogueError as error:
            failed += 1
            click.echo(f"rejected row {row.number}: {error.message}", err=True)
    click.echo(f"images attached {added}, rejected {failed}")
    sys.exit(1 if failed else 0)


@click.command("fetch-images")
@click.option("--museum", help="Only this museum's records.")
@click.option("--limit", type=click.IntRange(min=1), help="Fetch at most this many images.")
@click.option("--retry-failed", is_flag=True, help="Try again the URLs that failed for good.")
@with_appcontext
def fetch_images_command(museum, limit, retry_failed):
    """Fetch the images records name by URL that are due: one line per failure, then a summary.

    A timeout, a lost connection or a 5xx/429 answer is tried again later (after 1, 5, 25...
    minutes); a refused address, a 4xx or a file that is not an image fails at once. The exit code
    is 1 when a URL failed for good in this run."""
    try:
        report = service().fetch_images(museum=museum, limit=limit, retry_failed=retry_failed)
    except CatalogueError as error:
        _fail(error)
    for failure in report.failures:
        click.echo(str(failure), err=True)
    click.echo(report.summary())
    sys.exit(1 if report.failed else 0)


@click.group("museum", cls=AppGroup)
def museum_group():
    """Register and list member museums."""


@museum_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def museum_load(path):
    """Register or update the museums in a JSON file (a list of museum objects)."""
    try:
        for entry in _json_list(path, "museums"):
            museum = service().register_museum(cli_actor(), entry)
            click.echo(f"{museum.code}: {museum.status}")
    except CatalogueError as error:
        _fail(error)


@museum_group.command("list")
def museum_list():
    counts = service().published_counts()
    for museum in service().museums():
        click.echo(
            f"{museum.code}\t{museum.status}\t{museum.country or '-'}\t{counts.get(museum.code, 0)}\t{museum.name()}"
        )


def _json_list(path: Path, what: str) -> list:
    """The list a load command's JSON file holds; anything else is a CatalogueError naming the file."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:
        raise CatalogueError(f"{path} is not valid JSON: {error or 'nested too deeply'}") from None
    if not isinstance(entries, list):
        raise CatalogueError(f"{path} must hold a list of {what}.")
    return entries


@click.group("theme", cls=AppGroup)
def theme_group():
    """Load and list curated themes (the network's exhibitions)."""


@theme_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def theme_load(path):
    """Create or update the themes in a JSON file (a list of themes; see demo/themes.json). Safe to
    run again: a theme that is already as the file says is left as it is."""
    try:
        for entry in _json_list(path, "themes"):
            outcome = service().import_theme(cli_actor(), entry)
            click.echo(f"{entry['slug']}: {outcome}, {len(entry.get('objects') or [])} objects")
    except CatalogueError as error:
        _fail(error)


@theme_group.command("list")
def theme_list():
    """Slug, published or draft, objects shown to the public / held, and the English title."""
    for shown in service().themes(cli_actor()):
        theme = shown.theme
        public = sum(1 for entry in shown.entries if entry.record.status == "published")
        state = "published" if theme.published else "draft"
        click.echo(f"{theme.slug}\t{state}\t{public}/{len(theme.objects)}\t{theme.title_in()}")


@click.group("token", cls=AppGroup)
def token_group():
    """API tokens for curators."""


@token_group.command("create")
@click.option("--museum", required=True, help="The museum the curator may change.")
@click.option("--name", default=None, help="Who the token is for (shown in the audit log).")
@click.option(
    "--expires-in",
    "expires_in",
    default=None,
    metavar="DURATION",
    help="Lifetime such as 90d, 12h or 30m (default: until revoked).",
)
def token_create(museum, name, expires_in):
    """Create a curator and print its bearer token as the last line."""
    try:
        lifetime = parse_duration(expires_in) if expires_in else None
        token = service().create_token(cli_actor(), museum, name or f"curator of {museum}", lifetime)
    except CatalogueError as error:
        _fail(error)
    until = f", valid for {expires_in}" if expires_in else ""
    click.echo(f"Token for a curator of {museum}{until} (shown once; keep it secret):", err=True)
    click.echo(token)


@token_group.command("list")
@click.option("--museum", default=None, help="Only this museum's tokens.")
@click.option("--all", "show_all", is_flag=True, help="Include revoked and expired tokens.")
def token_list(museum, show_all):
    """Tokens by id (the start of the stored hash; the token itself is never stored)."""
    stamp = now()
    click.echo("id\tmuseum\tname\tcreated\texpires\tlast used\tstate")
    for token in service().tokens(cli_actor(), museum):
        state = token_state(token, stamp)
        if show_all or state == "active":
            click.echo(
                "\t".join(
                    [
                        token["id"],
                        token["museum"] or "-",
                        token["name"],
                        _when(token["created_at"]),
                        _when(token["expires_at"]),
                        _when(token["last_used_at"]),
                        state,
                    ]
                )
            )


@token_group.command("revoke")
@click.argument("token_id")
def token_revoke(token_id):
    """Revoke a token by its id (see `catalogue token list`); it stops working at once."""
    try:
        token = service().revoke_token(cli_actor(), token_id)
    except CatalogueError as error:
        _fail(error)
    click.echo(f"revoked token {token['id']} of {token['name']} ({token['museum']})")


@click.group("user", cls=AppGroup)
def user_group():
    """Accounts of people who sign in to the curator pages."""


@user_group.command("create")
@click.option("--email", required=True, help="The address they sign in with (and get mail at).")
@click.option("--name", required=True, help="Their name, as colleagues and the audit log show it.")
@click.option("--role", required=True, type=click.Choice(["admin", "museum_admin", "curator"]))
@click.option("--museum", default=None, help="Their museum (not for a secretariat admin).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the email has an account already.")
@click.option(
    "--language",
    type=click.Choice(INTERFACE_LANGUAGES),
    default=None,
    help="The language of their mail, the invitation first (default: English).",
)
def user_create(email, name, role, museum, password_stdin, if_missing, language):
    """Create an account. Without --password-stdin its owner gets an invitation mail to choose a
    password (with no MAIL_SERVER set, the mail goes to the log)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if if_missing and service().account_exists(email):
        click.echo(f"{email.strip().lower()} has an account already (a forgotten password: /account/reset)")
        return
    try:
        user_id = service().create_account(cli_actor(), email, name, role, museum, password, language)
    except CatalogueError as error:
        _fail(error)
    click.echo(f"created account {user_id}: {email.strip().lower()} ({role}{f' of {museum}' if museum else ''})")
    if password is None:
        unsent = service().unsent_mail()
        if unsent:
            click.echo(f"invitation queued; unsent mail {unsent}: `catalogue mail send`")
        elif not service().mailer.server:
            click.echo("no mail server is set (CATALOGUE_MAIL_SERVER): the invitation link is in the log above")
        else:
            click.echo("invitation mailed")


@user_group.command("list")
@click.option("--museum", default=None, help="Only this museum's accounts.")
def user_list(museum):
    """Accounts, by museum and name: id, email, name, role, museum, state, last sign-in."""
    click.echo("id\temail\tname\trole\tmuseum\tstate\tlast signed in")
    for user in service().users(cli_actor(), museum):
        state = "deactivated" if not user["active"] else "invited" if user["invited"] else "active"
        fields = [str(user["id"]), user["email"], user["name"], user["role"], user["museum"] or "-", state]
        click.echo("\t".join([*fields, _when(user["last_login_at"])]))


@click.group("mail", cls=AppGroup)
def mail_group():
    """The queue of outgoing mail (invitations, password resets)."""


@mail_group.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True, help="Send at most this many.")
def mail_send(limit):
    """Send queued mail now (what the server refused before is tried again); exit 1 if some failed."""
    sent, failed = service().send_mail(limit)
    click.echo(f"mail sent {sent}, failed {failed}")
    sys.exit(1 if failed else 0)


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "-"


DURATION = re.compile(r"^\s*(\d{1,6})\s*([dhm])\s*$")


def parse_duration(text: str) -> timedelta:
    """ "90d", "12h", "30m" -> a timedelta; anything else is refused with a message."""
    match = DURATION.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise CatalogueError(f"{text!r} is not a duration such as 90d, 12h or 30m.")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


@click.group("db", cls=AppGroup)
def db_group():
    """The database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migrate up to this revision.")
def db_upgrade(revision):
    """Create the tables, or bring them to the current schema; safe to re-run."""
    before, after = service().upgrade_schema(revision)
    if before == after:
        click.echo(f"database schema is current ({after})")
    else:
        click.echo(f"database schema upgraded from {before or 'empty'} to {after}")


@db_group.command("current")
def db_current():
    """Print the schema revision of the database and whether it is the newest."""
    revision, current = service().schema_state()
    click.echo(f"{revision or 'empty'} ({'current' if current else 'needs `catalogue db upgrade`'})")
    sys.exit(0 if current else 1)


@click.command("derive")
@with_appcontext
def derive_command():
    """Make the derivatives (thumbnails) of stored images that lack them, e.g. images uploaded
    before this release."""
    made, failed = service().derive_missing()
    click.echo(f"derivatives made for {made} images, {failed} failed")
    sys.exit(1 if failed else 0)


@click.command("export")
@click.option("--format", "file_format", type=click.Choice(["jsonl", "csv", "lido"]), required=True)
@click.option("--museum", help="Only this museum's records (else every museum's).")
@click.option(
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The file to write (default: standard output).",
)
@click.option("--include-unpublished", is_flag=True, help="Also drafts and withdrawn records (with their status).")
@with_appcontext
def export_command(file_format, museum, output, include_unpublished):
    """Export published records by museum and local id: JSON Lines (imports again as it is), CSV
    for spreadsheets (its columns and import mapping: catalogue/exports.py) or LIDO 1.1 XML. The
    progress bar goes to stderr, so standard output holds only the export."""
    from catalogue.exports import counted, export_chunks, output_file, write_export

    try:
        export = service().export(museum, cli_actor(), include_unpublished)
    except CatalogueError as error:
        _fail(error)
    written = 0

    def step() -> None:
        nonlocal written
        written += 1
        bar.update(1)

    target = click.open_file("-", "wb") if output == "-" else output_file(Path(output))  # stdout stays open
    progress = click.progressbar(length=export.total, label="Exporting", show_pos=True, file=sys.stderr)
    try:
        with target as stream, progress as bar:
            chunks = export_chunks(file_format, counted(export.records, step), export.museums, service().base_url)
            write_export(chunks, stream)
    except OSError as error:
        _fail(CatalogueError(f"Cannot write {output}: {error.strerror or error}"))
    click.echo(f"exported {written} records", err=True)


def register_commands(app: Flask) -> None:
    from indexer.cli import COMMANDS as INDEX_COMMANDS

    for command in (
        import_command,
        import_images_command,
        fetch_images_command,
        museum_group,
        theme_group,
        token_group,
        user_group,
        mail_group,
        db_group,
        derive_command,
        export_command,
        *INDEX_COMMANDS,
    ):
        app.cli.add_command(command)


def _create_app():
    from catalogue import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Virtual Collection of Masterpieces: the catalogue command.")
