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
]
