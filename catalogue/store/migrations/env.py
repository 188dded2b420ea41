"""Alembic's entry point: migrations run on the connection ``catalogue.store.migrate`` hands over."""

from alembic import context

from catalogue.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, transaction_per_migration=False
)
with context.begin_transaction():
    context.run_migrations()
