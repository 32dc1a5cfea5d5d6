"""The pages that compose several apps: the home page and a community's page (its events,
consultations, program and announcements beside the community's own information)."""

import datetime
from functools import cache as cache_result
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import JSONArray
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from communities import policies
from communities.access import standing_of
from communities.forms import JoinRequestForm
from communities.models import Community, CommunityOrganization, Membership, Organization
from communities.selectors import CardListing, communities_visible_to
from consultations.models import Consultation
from consultations.policies import can_open_consultation
from consultations.selectors import community_consultations_heard
from cssp_portal.collation import person_ordering
from cssp_portal.fragments import content_digest, shown_version
from cssp_portal.precompiled import Precompiled
from events.models import Event
from events.policies import can_create_event
from events.selectors import COMMUNITY_ENTRY_SHOWN, community_events, upcoming_events_for_home
from knowledge.policies import can_post_announcement
from knowledge.selectors import community_announcements, home_announcements
from proposals.selectors import community_program, program_in_community_row


def home(request):
    """The portal's front page: what the program is, news and upcoming events of the member's
    communities, and the communities of practice."""
    announcements = home_announcements(request.user)
    home_events = upcoming_events_for_home(request.user)
    return render(
        request,
        "home.html",
        {
            "communities": CardListing.directory(request.user),
            "announcements": announcements,
            "home_events": home_events,
            # The news and the events are kept rendered under a digest of what they show of
            # the rows just read (with the language, home.html): members who see the same
            # rows share them, and any change to a shown value gives another digest.
            "announcements_version": content_digest(
                (
                    announcement.pk,
                    announcement.title,
                    announcement.published_at,
                    tuple(community.name for community in announcement.communities.all()),
                )
                for announcement in announcements
            ),
            "events_version": shown_version((home_events, _HOME_EVENT_SHOWN)),
        },
    )


# What events/_home_events.html shows of an event (with the language).
_HOME_EVENT_SHOWN = (
    "pk",
    "slug",
    "title",
    "start",
    "end",
    "time_zone",
    "community.name",
    "my_state",
)


def _community_page(slug):
    # The parent (a working group's) is read by the breadcrumbs only when there is one.
    communities = Community.objects.annotate(
        has_working_groups=Exists(Community.objects.filter(parent=OuterRef("pk"))),
        co_hosts_events=Exists(Event.co_hosts.through.objects.filter(community=OuterRef("pk"))),
        has_published_consultations=Exists(
            Consultation.objects.filter(communities=OuterRef("pk"), published_at__isnull=False)
        ),
        organizations_changed_at=Subquery(
            Organization.objects.filter(community_links__community=OuterRef("pk"))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        ),
    ).filter(slug=slug)
    # Its portfolio managers, as their names need them (get_full_name reads the address of a
    # deleted account), and its program's gaps and projects: on PostgreSQL arrays in the
    # community's own row, three queries fewer on every visit (the embedded SQLite default
    # reads them with a prefetch and two queries).
    if connection.vendor == "postgresql":
        managers = Community.portfolio_managers.through.objects.filter(community=OuterRef("pk"))
        return communities.annotate(
            **program_in_community_row(),
            leader_rows=ArraySubquery(
                _leaders(OuterRef("pk")).values(row=JSONArray(*_LEADER_FIELDS))
            ),
            portfolio_rows=ArraySubquery(
                managers.order_by(*person_ordering("user__")).values(
                    row=JSONArray("user__first_name", "user__last_name", "user__email")
                )
            ),
        )
    return communities.prefetch_related(
        Prefetch(
            "portfolio_managers",
            queryset=get_user_model().objects.only("first_name", "last_name", "email"),
        )
    )


def _portfolio_manager_names(community) -> list[str]:
    """The names the community page gives its portfolio managers (`_community_page`)."""
    if hasattr(community, "portfolio_rows"):
        user = get_user_model()
        people = [
            user(first_name=first, last_name=last, email=email)
            for first, last, email in community.portfolio_rows
        ]
    else:
        people = community.portfolio_managers.all()
    return [person.get_full_name() for person in people]


# The same for every visitor: compiled once per process and language.
_COMMUNITY_PAGE = Precompiled("community page", _community_page, slug=str)


def community_detail(request, slug):
    # A members-only community does not exist for outsiders. Its objectives and organizations
    # are read only when their fragment is not cached (community_detail.html keys it by the
    # community's version and its organizations'); working groups only when it has some.
    community = policies.community_for_viewing(request, slug=slug, read=_COMMUNITY_PAGE)
    upcoming_events, past_events = community_events(
        request.user, community, co_hosts=community.co_hosts_events
    )
    # The people who lead it, as far as they chose to be listed in the member directory, read
    # once as plain values: the version of their kept fragment, and what builds it on a miss.
    leader_rows = getattr(community, "leader_rows", None)
    if leader_rows is None:  # SQLite (the embedded default)
        leader_rows = _LEADERS.list(community_id=community.pk)
    links = cache_result(lambda: list(community.organization_links.select_related("organization")))
    program = community_program(community, request.user)
    announcements = _ANNOUNCEMENTS.list(community_id=community.pk, now=timezone.now())
    context = {
        "community": community,
        "lead_links": SimpleLazyObject(
            lambda: [link for link in links() if link.role != CommunityOrganization.Role.MEMBER]
        ),
        "member_links": SimpleLazyObject(
            lambda: [link for link in links() if link.role == CommunityOrganization.Role.MEMBER]
        ),
        "working_groups": communities_visible_to(request.user).filter(parent=community)
        if community.has_working_groups
        else [],
        "upcoming_events": upcoming_events,
        "past_events": past_events,
        "can_create_event": can_create_event(request.user, community),
        "consultations_heard": community_consultations_heard(community)
        if community.has_published_consultations
        else [],
        "can_open_consultation": can_open_consultation(request.user, community),
        "program": program,
        "announcements": announcements,
        # The events, program and announcements sections are kept rendered under a digest of
        # the rows the page has just read (what each section shows of them), the language and
        # the viewer's rights the section shows: viewers who see the same rows share them,
        # and a change to any shown value gives another digest (about 4 ms of rendering a
        # page, tests/bench).
        "events_version": shown_version(
            (upcoming_events, COMMUNITY_ENTRY_SHOWN), (past_events, COMMUNITY_ENTRY_SHOWN)
        ),
        "program_version": shown_version(
            (program["gaps"], _GAP_SHOWN), (program["projects"], _PROJECT_SHOWN)
        ),
        "announcements_version": shown_version((announcements, ("pk", "title", "published_at"))),
        "can_post_announcement": can_post_announcement(request.user, community),
        "can_manage": policies.can_manage_community(request.user, community),
        "can_edit_page": policies.can_edit_community_page(request.user, community),
        "leaders": SimpleLazyObject(lambda: _leaders_from_rows(leader_rows)),
        # Empty when the community has no lead to show.
        "leaders_version": content_digest(leader_rows) if leader_rows else "",
        "can_join": policies.can_join(request.user, community),
        # Active or requested, from the standing (no query); an invitation is answered from
        # its own page.
        "membership": _shown_membership(standing_of(request).membership_in(community)),
        "join_form": JoinRequestForm(),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        "date_modified": community.updated_at,
        "portfolio_manager_names": _portfolio_manager_names(community),
    }
    return render(request, "communities/community_detail.html", context)


# What the leads' list shows of each lead (the name as User.get_full_name writes it: the
# address tells a deleted account).
_LEADER_FIELDS = (
    "role",
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__organization__slug",
    "user__organization__name_en",
    "user__organization__name_fr",
)


def _leaders(community_id):
    """The people who lead a community, as far as they chose to be listed in the member
    directory."""
    return Membership.objects.filter(
        community_id=community_id,
        state=Membership.State.ACTIVE,
        role__in=Membership.LEAD_ROLES,
        user__is_active=True,
        user__listed_in_directory=True,
    ).order_by("role", *person_ordering("user__"))


_LEADERS = Precompiled(
    "community leads",
    lambda community_id: _leaders(community_id).values_list(*_LEADER_FIELDS),
    community_id=int,
)
# Its latest three announcements, their titles and dates only
# (knowledge/_community_announcements.html).
_ANNOUNCEMENTS = Precompiled(
    "community announcements",
    lambda community_id, now: (
        community_announcements(community_id, now=now)
        .select_related(None)
        .prefetch_related(None)
        .only("title", "published_at")[:3]
    ),
    community_id=int,
    now=datetime.datetime,
)


def _leaders_from_rows(rows) -> list[Membership]:
    """The leads as their list shows them (community_detail.html), built from the rows their
    digest was taken from: rebuilding the kept list costs no second query. A big community's
    hundred leads cost no model instance while their list is kept."""
    leaders = []
    for role, user_id, first_name, last_name, email, slug, name_en, name_fr in rows:
        organization = (
            None if slug is None else Organization(slug=slug, name_en=name_en, name_fr=name_fr)
        )
        user = get_user_model()(
            pk=user_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organization=organization,
        )
        leaders.append(Membership(role=role, user=user))
    return leaders


# What the community page's program shows of its rows (proposals/_community_program.html): a
# value missing here would show stale once changed.
_GAP_SHOWN = ("pk", "slug", "title", "kind", "status")
# Read with only() (proposals.selectors.community_program): a field not read would cost a
# query per project.
_PROJECT_SHOWN = ("pk", "slug", "title", "year")


def _shown_membership(membership):
    if membership is None or membership.state == Membership.State.INVITED:
        return None
    return membership
