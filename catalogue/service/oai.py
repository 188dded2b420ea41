"""Rules for OAI-PMH harvesting (helper writing it)."""

from catalogue.service.base import ServiceBase


class OaiRules(ServiceBase):
    pass
