"""Fictional demo content for the embedded default (`make run`): what a newcomer needs to see
what the portal is for.

Upcoming and past events in several communities (two full with a waitlist, one hybrid, one held
in French only), announcements, discussions with replies and mentions, library folders with a
document of each security marking, an open call with draft and submitted proposals, gaps with
votes, and filled demo profiles, in English and French. Everything is marked "[Demo]" /
"[Démo]" and "fictional" / « fictif », and every address is under the demo domain.

Written through the portal's services (memberships, events, knowledge, proposals), acting as
the demo leads, members and portfolio manager, so grants, counters and notifications are those
of real use. Dates are relative to now: the events are upcoming when the content is created
(spread over the next months). Idempotent: each item is looked up first by its slug or title
and created only when absent, so running `make run` again adds nothing. The command creates it
only on the embedded SQLite default, never on a real database.

Each part has its module beside this one (people.py, events.py, knowledge.py, program.py), with
functions `create_demo_<part>(demo)` taking the DemoContext (context.py).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from .context import DemoContentReport, DemoContext
from .events import create_demo_events
from .knowledge import create_demo_announcements, create_demo_discussions, create_demo_library
from .people import create_demo_people, create_demo_profiles
from .program import create_demo_program


def create_demo_content(*, now: datetime.datetime | None = None) -> DemoContentReport:
    """Create what is missing of the demo content; returns what was created. Needs the CSSP
    data and the demo accounts (load_cssp, create_demo_accounts).

    The notifications the demo's own activity would send (registrations, mentions,
    submissions) are recorded but not printed: the terminal shows the demo accounts, and the
    emails of what happens next (reminders, digests, what you do) are printed as usual."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _create(now or timezone.now())


@transaction.atomic
def _create(now: datetime.datetime) -> DemoContentReport:
    demo = DemoContext(now)
    if demo.pm is None:
        return demo.report  # no demo accounts: nothing to act as
    create_demo_people(demo)
    create_demo_profiles(demo)
    create_demo_events(demo)
    create_demo_announcements(demo)
    create_demo_discussions(demo)
    create_demo_library(demo)
    create_demo_program(demo)
    return demo.report
