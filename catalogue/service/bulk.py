"""Bulk uploads from the curator pages: upload, column mapping, dry run, then the import in the background with progress and a report."""

from catalogue.service.base import ServiceBase


class BulkUploadRules(ServiceBase):
    pass
