"""Reads for IIIF Change Discovery activities (helper writing it). A mix-in of ``Store``."""

from catalogue.store.queries import Queries


class ActivityQueries(Queries):
    pass
