"""What the curator dashboard reads: one museum's records by status, image and warning filters, counts, recent changes. A mix-in of ``Store``."""


class CurationQueries:
    pass
