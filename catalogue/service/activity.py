"""Rules for IIIF Change Discovery activities (helper writing it)."""

from catalogue.service.base import ServiceBase


class ActivityRules(ServiceBase):
    pass
