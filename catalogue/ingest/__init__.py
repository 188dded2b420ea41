"""Bulk ingest: read files row by row (with row numbers), map them to records, validate them
(validation.py, also in worker processes), import them in batches (importer.py)."""
