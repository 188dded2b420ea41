"""Reads for OAI-PMH harvesting (helper writing it). A mix-in of ``Store``."""

from catalogue.store.queries import Queries


class OaiQueries(Queries):
    pass
