"""Run by the load benchmark in the benchmark's own environment (cssp_portal.settings.bench and
its database), never imported by the test process:

    python -m tests.bench.load_probe [--community SLUG --event SLUG --member EMAIL
                                     --portfolio-manager EMAIL]

Picks the objects the pages are measured on (the biggest public community, one of its public
upcoming events, one of its members), signs the member and a portfolio manager in by writing
sessions straight into the session store (no password, no login request), and prints one JSON
object: the session cookie name and keys, the objects, and the size of the data set. Passing the
objects back in keeps them the same at both sizes of the data set.
"""

import argparse
import json
import os
import time
from importlib import import_module

import django


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from cssp_portal.middleware import _LAST_SEEN, _STARTED

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # As SessionLifetimeMiddleware stamps a sign-in: the idle and absolute clocks start now.
    store[_STARTED] = store[_LAST_SEEN] = int(time.time())
    store.create()
    return store.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--community")
    parser.add_argument("--event")
    parser.add_argument("--member")
    parser.add_argument("--portfolio-manager")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.bench")
    django.setup()
    from django.conf import settings
    from django.db.models import Count, Q

    from communities.models import Community, Membership
    from cssp_portal.management.commands.bench_generate import MANAGER_DOMAIN, MEMBER_DOMAIN
    from events.models import Event, Registration
    from members.models import User
    from proposals.models import Proposal

    active = Q(memberships__state=Membership.State.ACTIVE)
    if args.community:
        community = Community.objects.get(slug=args.community)
    else:
        community = (
            Community.objects.filter(
                visibility=Community.Visibility.PUBLIC,
                status=Community.Status.ACTIVE,
                parent__isnull=True,
            )
            .annotate(members=Count("memberships", filter=active))
            .order_by("-members", "pk")
            .first()
        )
    if args.event:
        event = Event.objects.get(slug=args.event)
    else:
        public = Event.objects.upcoming().filter(visibility=Event.Visibility.PUBLIC)
        event = (
            public.filter(community=community).first()
            or public.first()
            or Event.objects.published().filter(visibility=Event.Visibility.PUBLIC).first()
        )
    if args.member:
        member = User.objects.get(email=args.member)
    else:
        # A plain member of that community who belongs to as many communities as anyone.
        member = (
            User.objects.filter(
                email__endswith="@" + MEMBER_DOMAIN,
                memberships__community=community,
                memberships__state=Membership.State.ACTIVE,
                memberships__role=Membership.Role.MEMBER,
            )
            .annotate(communities=Count("memberships", filter=active, distinct=True))
            .order_by("-communities", "pk")
            .first()
        )
    if args.portfolio_manager:
        manager = User.objects.get(email=args.portfolio_manager)
    else:
        # The portfolio manager with the most proposals assigned: a dashboard with rows.
        manager = (
            User.objects.filter(email__endswith="@" + MANAGER_DOMAIN)
            .annotate(assigned=Count("assigned_proposals"))
            .order_by("-assigned", "pk")
            .first()
        )

    from django.middleware.csrf import _get_new_csrf_string

    print(
        json.dumps(
            {
                "cookie_name": settings.SESSION_COOKIE_NAME,
                # A signed-in browser also holds the CSRF cookie that signing in set.
                "csrf_cookie": f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}",
                "sessions": {
                    "member": _session_for(member),
                    "portfolio_manager": _session_for(manager),
                },
                "objects": {
                    "community": community.slug,
                    "event": event.slug if event else None,
                    "member": member.email,
                    "portfolio_manager": manager.email,
                },
                "counts": {
                    "communities": Community.objects.count(),
                    "people": User.objects.count(),
                    "memberships": Membership.objects.count(),
                    "events": Event.objects.count(),
                    "registrations": Registration.objects.count(),
                    "proposals": Proposal.objects.count(),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
