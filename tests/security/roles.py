"""The roles of the security tests, named relative to the world's private community."""

ROLES = [
    "anonymous",
    "non_member",
    "lead_elsewhere",
    "observer",
    "member",
    "co_lead",
    "lead",
    "portfolio_manager",
    "admin",
    # issue #16: a self-registered guest (public content only) and a vetted member of another
    # organization (a trusted domain's), neither of them anything in the private community
    "guest",
    "vetted_elsewhere",
]
