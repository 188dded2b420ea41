"""Reads for sitemaps of published objects (helper writing it). A mix-in of ``Store``."""

from catalogue.store.queries import Queries


class SitemapQueries(Queries):
    pass
