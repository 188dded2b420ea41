"""Bulk ingest: read files row by row (with row numbers), map them to records, import in batches."""

from catalogue.ingest.importer import Importer, ImportReport, RowError

__all__ = ["ImportReport", "Importer", "RowError"]
