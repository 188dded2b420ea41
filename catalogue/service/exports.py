"""Rules for bulk exports of records (helper writing it)."""

from catalogue.service.base import ServiceBase


class ExportRules(ServiceBase):
    pass
