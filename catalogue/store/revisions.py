"""Every revision of every record: written with each change, read by the history page and revert. A mix-in of ``Store``."""


class RevisionQueries:
    pass
