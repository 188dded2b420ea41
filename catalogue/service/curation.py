"""What a museum's curators see of their own records: the dashboard's lists, filters, counts and recent changes."""

from catalogue.service.base import ServiceBase


class CurationRules(ServiceBase):
    pass
