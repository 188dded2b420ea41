"""Reads for bulk exports of records (helper writing it). A mix-in of ``Store``."""

from catalogue.store.queries import Queries


class ExportQueries(Queries):
    pass
