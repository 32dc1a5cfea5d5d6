"""Run by the crowd benchmark in the benchmark's own environment (cssp_portal.settings.bench and
its database), never imported by the test process:

    python -m tests.bench.load_probe plan --out PLAN.json [--visitors 200 --anonymous 20
                                      --writes 120 --seed 2026]
    python -m tests.bench.load_probe sign-in
    python -m tests.bench.load_probe verify --attempted ATTEMPTED.json

`plan` builds the crowd from the generated data and writes one JSON file:

- `visitors`: signed-in people (half preferring English, half French, on /en/ or /fr/ URLs; a
  few portfolio managers among them), each with a fresh session written straight into the
  session store (no password, no login request) and their own pages: their home, the community
  directory, THEIR communities' pages (members-only ones included), upcoming events of those
  communities, the event list and calendar, the member directory, a fellow member's profile,
  the library and discussions of one of their communities, the project and call lists, and the
  dashboard for portfolio managers; plus anonymous visitors on the public pages.
- `writes`: what the writer does, each a real row a person could create through a form: join a
  public community they are not in, register for an open upcoming event, reply to a discussion
  of one of their communities; each by one of a separate group of signed-in people.
- `counts`: the size of the data set.

`sign-in` gives the first generated member (never one of the writers) a fresh random password
and prints the address and password, for a sign-in through the form.

`verify` reads the writes the benchmark attempted and prints how many rows exist in the
database, and which are missing: a write answered with a redirect is not proof that it was saved.

People and objects are picked with a seeded random generator over rows ordered by key: the same
data set gives the same crowd.
"""

import argparse
import json
import os
import random
import time
from importlib import import_module

import django

from tests.helpers import url

# Page kinds: the label the report shows for each URL name.
HOME = "Home"
COMMUNITY_DIRECTORY = "Community directory"
COMMUNITY_PAGE = "Community page"
EVENT_LIST = "Event list"
CALENDAR = "Calendar"
EVENT_PAGE = "Event page"
MEMBER_DIRECTORY = "Member directory"
PROFILE = "Member profile"
LIBRARY = "Library"
DISCUSSIONS = "Discussions"
PROJECT_LIST = "Project list"
CALL_LIST = "Call list"
DASHBOARD = "Portfolio dashboard"

ANONYMOUS, MEMBER, MANAGER = "signed out", "member", "portfolio manager"


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


def _cookie(user) -> tuple[str, str]:
    """The cookies of a signed-in browser (session, and the CSRF cookie signing in set) and
    that CSRF secret, which a form posts back."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    return (
        f"{settings.SESSION_COOKIE_NAME}={_session_for(user)}; "
        f"{settings.CSRF_COOKIE_NAME}={secret}",
        secret,
    )


def spread(items: list, count: int) -> list:
    """`count` items evenly spread over `items` (all of them when there are fewer)."""
    if count <= 0:
        return []
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(index * step)] for index in range(count)]


def plan(args) -> dict:
    from communities.models import Community, Membership
    from events.models import Event, Registration
    from knowledge.models import Post, Thread
    from members.models import User
    from proposals.models import Proposal
    from tests.bench.generate.dataset import MANAGER_DOMAIN, MEMBER_DOMAIN

    # Which people and pages, reproducible from the seed: not a secret.
    rng = random.Random(args.seed)
    active = Membership.State.ACTIVE
    participating = (Membership.Role.LEAD, Membership.Role.CO_LEAD, Membership.Role.MEMBER)
    members = User.objects.filter(
        email__endswith="@" + MEMBER_DOMAIN, is_active=True, memberships__state=active
    ).distinct()

    # Who: half English, half French; portfolio managers are 1 in 20 of the crowd.
    managers = list(
        User.objects.filter(email__endswith="@" + MANAGER_DOMAIN, is_active=True).order_by("pk")
    )
    managers = managers[: max(1, args.visitors // 20)] if args.visitors >= 20 else []
    wanted = args.visitors - len(managers)
    crowd = []
    for index, language in enumerate(("en", "fr")):
        share = wanted // 2 + (wanted % 2 if index == 0 else 0)
        ids = list(
            members.filter(preferred_language=language).order_by("pk").values_list("pk", flat=True)
        )
        crowd += [(pk, language, MEMBER) for pk in spread(ids, share)]
    crowd += [(user.pk, ("en", "fr")[index % 2], MANAGER) for index, user in enumerate(managers)]
    users = User.objects.in_bulk([pk for pk, _language, _audience in crowd])

    # What: each person's communities, upcoming events of those communities, fellow members.
    communities = {c.pk: c for c in Community.objects.filter(status=Community.Status.ACTIVE)}
    mine: dict[int, list[int]] = {}
    for user, community in (
        Membership.objects.filter(user__in=users, state=active)
        .order_by("user_id", "community_id")
        .values_list("user_id", "community_id")
    ):
        if community in communities:
            mine.setdefault(user, []).append(community)
    # A portfolio manager's own communities are those of their portfolio.
    for user, community in (
        Community.portfolio_managers.through.objects.filter(user__in=managers)
        .order_by("user_id", "community_id")
        .values_list("user_id", "community_id")
    ):
        if community in communities:
            mine.setdefault(user, []).append(community)
    upcoming: dict[int, list[str]] = {}
    public_events = []
    for slug, community, visibility in (
        Event.objects.upcoming()
        .filter(status=Event.Status.PUBLISHED)
        .values_list("slug", "community_id", "visibility")
    ):
        if len(upcoming.setdefault(community, [])) < 20:
            upcoming[community].append(slug)
        # A public event of a members-only community does not exist for outsiders (404).
        host = communities.get(community)
        host_is_public = host is not None and host.visibility == Community.Visibility.PUBLIC
        if visibility == Event.Visibility.PUBLIC and host_is_public and len(public_events) < 200:
            public_events.append(slug)
    fellows: dict[int, list[int]] = {}
    for community, user in (
        Membership.objects.filter(
            state=active, community__in=communities, user__listed_in_directory=True
        )
        .order_by("community_id", "pk")
        .values_list("community_id", "user_id")
        .iterator(chunk_size=10_000)
    ):
        if len(fellows.setdefault(community, [])) < 30:
            fellows[community].append(user)

    visitors = []
    for pk, language, audience in crowd:
        user = users[pk]
        own = mine.get(pk, [])
        pages = [
            (HOME, url("home", lang=language)),
            (COMMUNITY_DIRECTORY, url("communities:list", lang=language)),
            (EVENT_LIST, url("events:list", lang=language)),
            (CALENDAR, url("events:calendar", lang=language)),
            (MEMBER_DIRECTORY, url("members:directory", lang=language)),
            (PROJECT_LIST, url("proposals:project_list", lang=language)),
            (CALL_LIST, url("proposals:call_list", lang=language)),
        ]
        for community in own[:3]:
            pages.append(
                (
                    COMMUNITY_PAGE,
                    url("communities:detail", slug=communities[community].slug, lang=language),
                )
            )
        events = [slug for community in own for slug in upcoming.get(community, [])]
        for slug in rng.sample(events, min(3, len(events))):
            pages.append((EVENT_PAGE, url("events:detail", slug=slug, lang=language)))
        if own:
            home = communities[rng.choice(own)]
            pages.append((LIBRARY, url("knowledge:library", slug=home.slug, lang=language)))
            pages.append((DISCUSSIONS, url("knowledge:threads", slug=home.slug, lang=language)))
            others = [other for other in fellows.get(home.pk, []) if other != pk]
            if others:
                pages.append(
                    (PROFILE, url("members:profile", pk=rng.choice(others), lang=language))
                )
        if audience == MANAGER:
            pages.append((DASHBOARD, url("proposals:dashboard", lang=language)))
        cookie, _secret = _cookie(user)
        visitors.append(
            {"audience": audience, "language": language, "cookie": cookie, "pages": pages}
        )

    public = [c.slug for c in communities.values() if c.visibility == Community.Visibility.PUBLIC]
    for index in range(args.anonymous):
        language = ("en", "fr")[index % 2]
        pages = [
            (HOME, url("home", lang=language)),
            (COMMUNITY_DIRECTORY, url("communities:list", lang=language)),
            (EVENT_LIST, url("events:list", lang=language)),
            (CALENDAR, url("events:calendar", lang=language)),
            (PROJECT_LIST, url("proposals:project_list", lang=language)),
            (CALL_LIST, url("proposals:call_list", lang=language)),
        ]
        for slug in rng.sample(sorted(public), min(2, len(public))):
            pages.append((COMMUNITY_PAGE, url("communities:detail", slug=slug, lang=language)))
        for slug in rng.sample(public_events, min(2, len(public_events))):
            pages.append((EVENT_PAGE, url("events:detail", slug=slug, lang=language)))
        visitors.append({"audience": ANONYMOUS, "language": language, "cookie": "", "pages": pages})

    writes = _plan_writes(
        args,
        rng,
        exclude={pk for pk, _language, _audience in crowd},
        members=members,
        communities=communities,
        participating=participating,
    )
    from django.conf import settings

    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "visitors": visitors,
        "writes": writes,
        "counts": {
            "communities": Community.objects.count(),
            "people": User.objects.count(),
            "memberships": Membership.objects.count(),
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
            "proposals": Proposal.objects.count(),
            "discussions": Thread.objects.count(),
            "messages": Post.objects.count(),
        },
    }


def _plan_writes(args, rng, *, exclude, members, communities, participating) -> list[dict]:
    """Writes a person could make through the portal's forms, each creating a row: joining a
    public community they are not in, registering for an open upcoming event they are not
    registered for, replying to a discussion in one of their communities; by a separate group of
    signed-in people (20), in turns."""
    from communities.models import Community, Membership
    from events.models import Event, Registration
    from knowledge.models import Thread

    if not args.writes:
        return []
    ids = [pk for pk in members.order_by("pk").values_list("pk", flat=True) if pk not in exclude]
    writers = list(members.filter(pk__in=spread(ids[1::2], 20)).order_by("pk"))
    joined: dict[int, set[int]] = {}
    participates: dict[int, set[int]] = {}
    for user, community, state, role in Membership.objects.filter(user__in=writers).values_list(
        "user_id", "community_id", "state", "role"
    ):
        # Any membership row, current or not, rules the community out for a join.
        joined.setdefault(user, set()).add(community)
        if state == Membership.State.ACTIVE and role in participating:
            participates.setdefault(user, set()).add(community)
    registered: dict[int, set[int]] = {}
    for user, event in Registration.objects.filter(user__in=writers).values_list(
        "user_id", "event_id"
    ):
        registered.setdefault(user, set()).add(event)
    open_communities = sorted(
        pk
        for pk, community in communities.items()
        if community.visibility == Community.Visibility.PUBLIC
        and community.join_policy != Community.JoinPolicy.INVITATION
    )
    events = [
        event
        for event in Event.objects.upcoming()
        .filter(
            status=Event.Status.PUBLISHED,
            visibility__in=(Event.Visibility.PUBLIC, Event.Visibility.MEMBERS),
            # A members-only community's events do not exist for outsiders (they answer 404).
            community__visibility=Community.Visibility.PUBLIC,
        )
        .order_by("start", "pk")[:500]
        if not event.registration_closed_reason()
    ]
    threads: dict[int, list[int]] = {}
    for pk, community in (
        Thread.objects.listed()
        .filter(locked=False, community__in=communities)
        .order_by("pk")
        .values_list("pk", "community_id")
    ):
        threads.setdefault(community, []).append(pk)

    sessions = {}
    writes = []
    kinds = ["join", "register", "reply"]
    attempts = 0
    while len(writes) < args.writes and attempts < args.writes * 20:
        attempts += 1
        kind = kinds[attempts % len(kinds)]
        user = writers[attempts % len(writers)]
        language = ("en", "fr")[attempts % 2]
        task = None
        if kind == "join":
            choices = [pk for pk in open_communities if pk not in joined.get(user.pk, set())]
            if choices:
                community = communities[rng.choice(choices)]
                joined.setdefault(user.pk, set()).add(community.pk)
                task = {
                    "form": url("communities:detail", slug=community.slug, lang=language),
                    "action": url("communities:join", slug=community.slug, lang=language),
                    "data": {"message": "Hello from the crowd benchmark."},
                    "check": {"user": user.pk, "community": community.pk},
                }
        elif kind == "register":
            choices = [e for e in events if e.pk not in registered.get(user.pk, set())]
            if choices:
                event = rng.choice(choices)
                registered.setdefault(user.pk, set()).add(event.pk)
                task = {
                    "form": url("events:detail", slug=event.slug, lang=language),
                    "action": url("events:register", slug=event.slug, lang=language),
                    "data": {"mode": event.registration_modes[-1]},
                    "check": {"user": user.pk, "event": event.pk},
                }
        else:
            choices = [
                pk
                for community in sorted(participates.get(user.pk, ()))
                for pk in threads.get(community, [])
            ]
            if choices:
                thread = rng.choice(choices)
                body = f"Crowd benchmark reply {rng.getrandbits(64):016x}."
                task = {
                    "form": url("knowledge:thread", pk=thread, lang=language),
                    "action": url("knowledge:thread_reply", pk=thread, lang=language),
                    "data": {"body": body},
                    "check": {"user": user.pk, "thread": thread, "body": body},
                }
        if task is None:
            continue
        if user.pk not in sessions:
            sessions[user.pk] = _cookie(user)
        cookie, secret = sessions[user.pk]
        writes.append({"kind": kind, "cookie": cookie, "csrf": secret, **task})
    return writes


def sign_in() -> dict:
    import secrets

    from communities.models import Membership
    from members.models import User
    from tests.bench.generate.dataset import MEMBER_DOMAIN

    # The writers are every second member from the second one on: the first never writes.
    user = (
        User.objects.filter(
            email__endswith="@" + MEMBER_DOMAIN,
            is_active=True,
            memberships__state=Membership.State.ACTIVE,
        )
        .order_by("pk")
        .first()
    )
    password = secrets.token_urlsafe(18)
    user.set_password(password)
    user.save(update_fields=["password"])
    return {"email": user.email, "password": password}


def verify(args) -> dict:
    from communities.models import Membership
    from events.models import Registration
    from knowledge.models import Post

    with open(args.attempted, encoding="utf-8") as handle:
        attempted = json.load(handle)
    missing = []
    for write in attempted:
        check = write["check"]
        if "community" in check:
            found = Membership.objects.filter(
                user_id=check["user"],
                community_id=check["community"],
                state__in=(Membership.State.ACTIVE, Membership.State.REQUESTED),
            ).exists()
        elif "event" in check:
            found = Registration.objects.filter(
                user_id=check["user"],
                event_id=check["event"],
                state__in=Registration.CURRENT_STATES,
            ).exists()
        else:
            found = Post.objects.filter(
                author_id=check["user"], thread_id=check["thread"], body=check["body"]
            ).exists()
        if not found:
            missing.append(f"{write['kind']} {write['action']}")
    return {"attempted": len(attempted), "found": len(attempted) - len(missing), "missing": missing}


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    planning = commands.add_parser("plan")
    planning.add_argument("--out", required=True)
    planning.add_argument("--visitors", type=int, default=200)
    planning.add_argument("--anonymous", type=int, default=20)
    planning.add_argument("--writes", type=int, default=120)
    planning.add_argument("--seed", type=int, default=2026)
    commands.add_parser("sign-in")
    checking = commands.add_parser("verify")
    checking.add_argument("--attempted", required=True)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.bench")
    django.setup()
    if args.command == "plan":
        result = plan(args)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle)
        print(json.dumps({"visitors": len(result["visitors"]), "writes": len(result["writes"])}))
    elif args.command == "sign-in":
        print(json.dumps(sign_in()))
    else:
        print(json.dumps(verify(args)))


if __name__ == "__main__":
    main()
