"""What the demo's steps share: the DemoContext (when, in which communities, acting as whom, and
the report of what was created), the demo people's addresses and local times."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from communities.models import Community
from members.models import User

from .accounts import DEMO_DOMAIN

ZONE = zoneinfo.ZoneInfo("America/Toronto")


@dataclass
class DemoContentReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n


def demo_email(local: str) -> str:
    """A demo person's address: every one is under the demo domain."""
    return f"{local}@{DEMO_DOMAIN}"


def demo_time(
    now: datetime.datetime, *, days: int, hour: int, minute: int = 0
) -> datetime.datetime:
    """`days` after `now`, at the given time of day in Ottawa (the demo's dates are relative to
    when it is made)."""
    local = (now + datetime.timedelta(days=days)).astimezone(ZONE)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


class DemoContext:
    """The demo as it is being made: when, in which communities, acting as whom, and what was
    created (the report)."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.report = DemoContentReport()
        self.communities = {c.slug: c for c in Community.objects.top_level()}
        self.pm = User.objects.filter(email=demo_email("pm")).first()

    # Standings (what a person may do) are kept on the user object: fetch people afresh after
    # their memberships change.
    def user(self, local: str) -> User | None:
        return User.objects.filter(email=demo_email(local)).first()

    def lead(self, slug: str) -> User | None:
        return self.user(f"lead.{slug}")
