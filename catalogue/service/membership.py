"""Membership: the public application form, and the secretariat's review (approve: the museum and its first admin's invitation; reject: a reason)."""

from catalogue.service.base import ServiceBase


class MembershipRules(ServiceBase):
    pass
