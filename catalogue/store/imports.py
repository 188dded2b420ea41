"""Bulk uploads from the curator pages: their files, mappings, dry-run reports, progress and reports. A mix-in of ``Store``."""


class ImportQueries:
    pass
