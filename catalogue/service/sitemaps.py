"""Rules for sitemaps of published objects (helper writing it)."""

from catalogue.service.base import ServiceBase


class SitemapRules(ServiceBase):
    pass
