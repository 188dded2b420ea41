"""Indexing commands: `catalogue index --once`, `catalogue index-worker`, `catalogue reindex`,
`catalogue vocabulary` (what the vocabulary does not map yet)."""

import contextlib
import sys

import click
from flask.cli import with_appcontext

from catalogue.extensions import indexer
from catalogue.processes import batch_work
from indexer.backends import BackendUnavailable
from indexer.coverage import coverage


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
    with batch_work():
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
    with contextlib.suppress(KeyboardInterrupt), batch_work():
        indexer().run_forever(interval=interval)


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the store (new index, then an atomic swap)."""
    total = indexer().records_to_index()
    try:
        with batch_work(), click.progressbar(length=total, label="Reindexing", file=sys.stderr) as bar:
            count = indexer().reindex(on_document=lambda: bar.update(1))
    except BackendUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"reindexed {count} records into {indexer().backend.name}")


@click.command("vocabulary")
@click.option("--limit", default=40, show_default=True, help="Unmapped values and maker merges to list.")
@with_appcontext
def vocabulary_command(limit):
    """How much of the published records the vocabulary maps (object types, materials), the
    unmapped values by frequency, and maker names that look like one person but are not merged."""
    report = coverage(indexer().store.iter_records())
    click.echo(f"records: {report.records}")
    click.echo(f"object types mapped: {report.typed_mapped} of {report.typed} ({report.object_type_share:.1%})")
    click.echo(f"materials mapped: {report.materials_mapped} of {report.materials} ({report.material_share:.1%})")
    for kind, counts in report.unmapped.items():
        click.echo(f"\nunmapped {kind} values (museum, value, records):")
        for (museum, value), count in counts.most_common(limit):
            click.echo(f"{count:>8}  {museum}\t{value}")
    click.echo("\nmakers that may be one person (add them to catalogue/data/makers.json):")
    for label, variants in report.maker_merges[:limit]:
        click.echo(f"  {label}: {' | '.join(variants)}")


COMMANDS = (index_command, index_worker_command, reindex_command, vocabulary_command)
