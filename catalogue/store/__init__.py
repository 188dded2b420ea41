"""The store: the only package that talks to the database."""

from sqlalchemy.exc import OperationalError as StoreUnavailable  # the database cannot be reached or is busy

from catalogue.store.accounts import token_hash
from catalogue.store.image_sources import FAILED, FETCHED, PENDING, ImageSource
from catalogue.store.store import Store, now

__all__ = ["FAILED", "FETCHED", "PENDING", "ImageSource", "Store", "StoreUnavailable", "now", "token_hash"]
