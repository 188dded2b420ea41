"""Bulk uploads from the curator pages: upload, column mapping, dry run, then the import in the
background with progress and a report."""

from catalogue.service.base import ServiceBase


class BulkUploadRules(ServiceBase):
    def run_pending_imports(self) -> None:
        """Run the bulk uploads that wait (or that a stopped process left running)."""
