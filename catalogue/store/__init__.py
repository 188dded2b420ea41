"""The store: the only package that talks to the database."""

from sqlalchemy.exc import OperationalError as StoreUnavailable  # the database cannot be reached or is busy

from catalogue.store.store import Store, now, token_hash

__all__ = ["Store", "StoreUnavailable", "now", "token_hash"]
