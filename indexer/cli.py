"""Indexing commands: `catalogue index --once`, `catalogue index-worker`, `catalogue reindex`."""

import contextlib
import sys

import click
from flask.cli import with_appcontext

from catalogue.extensions import indexer
from indexer.backends import BackendUnavailable


@click.command("index")
@click.option("--once", is_flag=True, default=True, help="Drain the outbox once and exit (the default).")
@click.option("--dead-letters", is_flag=True, help="List documents the search engine refused, and exit.")
@with_appcontext
def index_command(once, dead_letters):
    """Send pending record changes (the outbox) to the search backend."""
    if dead_letters:
        for entry in indexer().dead_letters():
            click.echo(
                f"{entry['at']:%Y-%m-%d %H:%M:%S}\t{entry['record_id']}\trev {entry['revision']}\t"
                f"{entry['backend']}\t{entry['reason']}"
            )
        return
    report = indexer().drain()
    click.echo(
        f"indexed {report.indexed}, deleted {report.deleted}, stale {report.stale}, "
        f"refused {report.dead}, waiting {report.remaining}"
    )
    if report.error:
        click.echo(f"error: {report.error}", err=True)
        sys.exit(1)


@click.command("index-worker")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls when idle.")
@with_appcontext
def index_worker_command(interval):
    """Drain the outbox continuously (the indexer process of a multi-machine deployment)."""
    click.echo(f"indexing into {indexer().backend.name}; Ctrl-C stops", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        indexer().run_forever(interval=interval)


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the store (new index, then an atomic swap)."""
    total = indexer().records_to_index()
    try:
        with click.progressbar(length=total, label="Reindexing", file=sys.stderr) as bar:
            count = indexer().reindex(on_document=lambda: bar.update(1))
    except BackendUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"reindexed {count} records into {indexer().backend.name}")


COMMANDS = (index_command, index_worker_command, reindex_command)
