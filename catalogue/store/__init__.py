"""The store: the only package that talks to the database."""
from catalogue.store.store import Store, now, token_hash

__all__ = ["Store", "now", "token_hash"]
