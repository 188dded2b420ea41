"""Membership applications from the public form, and the secretariat's decisions on them. A mix-in of ``Store``."""


class MembershipQueries:
    pass
