"""Reads about members that cross relations or depend on who is looking."""

from __future__ import annotations

import functools

from django.db.models import Prefetch, Q, QuerySet

from communities.access import VIEW, StandingQuery, standing_of
from communities.models import Community, Membership, Organization
from communities.selectors import communities_visible_to, community_choices
from cssp_portal.collation import order_by_name, person_ordering, sort_key
from cssp_portal.forms import option_rows
from cssp_portal.precompiled import FirstPage, Precompiled

from .models import ExpertiseArea, User

# Beyond this many words a search is a paste, not a query; the rest are ignored.
MAX_SEARCH_WORDS = 8


def active_community_ids_by_person(people) -> dict[int, set[int]]:
    """For each of `people`, the communities where they have an active membership: one query
    for the whole list (any database; the embedded default is SQLite)."""
    ids: dict[int, set[int]] = {person.pk: set() for person in people}
    for user_id, community_id in _ACTIVE_COMMUNITIES.list(people=list(ids)):
        ids[user_id].add(community_id)
    return ids


# Compiled once (cssp_portal.precompiled), the people one array whatever their number.
_ACTIVE_COMMUNITIES = Precompiled(
    "active communities of people",
    lambda people: (
        Membership.objects.filter(user_id__any=people, state=Membership.State.ACTIVE)
        .order_by()
        .values_list("user_id", "community_id")
    ),
    people=list,
)


def expertise_of(people) -> dict[int, list[tuple[int, str, str]]]:
    """For each of `people`, their expertise areas as (id, English name, French name), by
    name in the reader's language: one query for the whole list, its rows tuples (a directory
    page's hundred areas as model instances, through a prefetch, cost about 2 ms, tests/bench)."""
    shown: dict[int, list] = {person.pk: [] for person in people}
    for user_id, *area in _EXPERTISE.list(people=list(shown)):
        shown[user_id].append(tuple(area))
    return shown


# Compiled once per language (cssp_portal.precompiled), the people one array.
_EXPERTISE = Precompiled(
    "expertise areas of people",
    lambda people: order_by_name(
        User.expertise_areas.through.objects.filter(user_id__any=people),
        "expertisearea__name",
        "expertisearea_id",
    ).values_list(
        "user_id", "expertisearea_id", "expertisearea__name_en", "expertisearea__name_fr"
    ),
    people=list,
)


def listed_members() -> QuerySet[User]:
    """Everyone who chose to appear in the directory and whose account is active."""
    return User.objects.filter(listed_in_directory=True, is_active=True)


def _people_with_expertise(areas) -> QuerySet:
    """The ids of the people tagged with any of `areas` (a subquery, never duplicate rows)."""
    links = User.expertise_areas.through.objects
    return links.filter(expertisearea__in=areas).values("user_id")


def _search(words: list[str]) -> Q:
    """Each word must appear in the name, job title, organization (either language, acronym
    included) or an expertise area (either language). The email address is not searched:
    probing it would reveal addresses their owners keep private."""
    condition = Q()
    for word in words:
        expertise = ExpertiseArea.objects.filter(
            Q(name_en__icontains=word) | Q(name_fr__icontains=word)
        )
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(organization__name_en__icontains=word)
            | Q(organization__name_fr__icontains=word)
            | Q(organization__acronym_en__iexact=word)
            | Q(organization__acronym_fr__iexact=word)
            | Q(pk__in=_people_with_expertise(expertise))
        )
    return condition


def member_directory(
    viewer,
    *,
    q: str = "",
    organization: Organization | None = None,
    sector: str = "",
    role_type: str = "",
    expertise: ExpertiseArea | None = None,
    community: Community | None = None,
) -> QuerySet[User]:
    """The directory as `viewer` sees it, filtered, each person with their organization (their
    expertise areas: `expertise_of`). Filtering on a community the viewer may not see returns
    nobody."""
    people = listed_members()
    words = q.split()[:MAX_SEARCH_WORDS]
    if words:
        people = people.filter(_search(words))
    if organization is not None:
        people = people.filter(organization=organization)
    if sector:
        people = people.filter(organization__sector=sector)
    if role_type:
        people = people.filter(role_type=role_type)
    if expertise is not None:
        people = people.filter(pk__in=_people_with_expertise([expertise]))
    if community is not None:
        if not communities_visible_to(viewer).filter(pk=community.pk).exists():
            return User.objects.none()
        people = people.filter(
            pk__in=Membership.objects.filter(
                community=community, state=Membership.State.ACTIVE
            ).values("user_id")
        )
    # Root ICU collation, the expressions of the members_directory_order_icu index.
    return people.select_related("organization").order_by(*person_ordering())


@functools.cache
def _directory_queries(fields: tuple[str, ...], per_page: int, cap: int):
    """The unfiltered directory counted (at most `cap` + 1) and its first page: each compiled
    once, the same for every viewer (cssp_portal.precompiled). member_directory reads its
    viewer only for a community filter, so none is given here."""
    return (
        Precompiled(
            "directory count", lambda: member_directory(None).order_by().values("pk")[: cap + 1]
        ),
        Precompiled(
            "directory first page", lambda: member_directory(None).only(*fields)[:per_page]
        ),
    )


def directory_pages(fields, *, per_page: int, cap: int) -> FirstPage:
    """The unfiltered directory (the page's usual visit) for a CappedPaginator with `cap`:
    its count and first page read by queries compiled once, any other page sliced from
    `member_directory`, its cards' `fields` only."""
    count, first = _directory_queries(tuple(fields), per_page, cap)
    return FirstPage(
        count=count.count,
        first=first.list,
        queryset=lambda: member_directory(None).only(*fields),
        per_page=per_page,
    )


def directory_organizations() -> QuerySet[Organization]:
    """The organization filter's choices: every organization in the portal, by name.

    Organizations are a public, curated list (each has its public page), so listing them all
    tells nothing about who is listed; one without a listed member gives the page's "no
    members match" message. Narrowing the list to organizations with a listed member cost an
    EXISTS over the members for every directory page (about 3.5 ms of its 30, tests/bench)."""
    return order_by_name(Organization.objects.all(), "name")


def directory_expertise_areas() -> QuerySet[ExpertiseArea]:
    """The expertise filter's choices: every expertise area (a curated list), by name."""
    return order_by_name(ExpertiseArea.objects.all(), "name")


# The directory filter's organizations and expertise areas, the same for everyone: their
# option rows compiled once per language (cssp_portal.forms.option_rows).
_ORGANIZATION_OPTIONS = Precompiled(
    "directory organization options",
    lambda: option_rows(directory_organizations(), Organization.LABEL_FIELDS),
)
_EXPERTISE_OPTIONS = Precompiled(
    "directory expertise options", lambda: option_rows(directory_expertise_areas())
)


def directory_filter_choices(viewer) -> dict:
    """DirectoryFilterForm's choices for `viewer`: each list's queryset (which cleans a chosen
    value) and its option rows, read once."""
    communities = community_choices(viewer)
    return {
        "organizations": directory_organizations(),
        "organization_options": _ORGANIZATION_OPTIONS.list(),
        "expertise_areas": directory_expertise_areas(),
        "expertise_options": _EXPERTISE_OPTIONS.list(),
        "communities": communities["communities"],
        "community_options": communities["community_options"],
    }


def _profile_memberships(viewer, person_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user_id=person_id,
        state=Membership.State.ACTIVE,
        community__in=communities_visible_to(viewer),
    ).select_related("community")


# For a signed-in viewer: compiled once per shape of their standing (communities.access).
_PROFILE_MEMBERSHIPS = StandingQuery(
    "profile memberships", _profile_memberships, asks=(VIEW,), person_id=int
)


def profile_memberships(person: User, viewer) -> list[Membership]:
    """`person`'s active memberships in communities `viewer` may see, by community name."""
    standing = standing_of(viewer)
    if standing.signed_in:
        memberships = _PROFILE_MEMBERSHIPS.list(standing, person_id=person.pk)
    else:
        memberships = _profile_memberships(standing, person.pk)
    return sorted(memberships, key=lambda membership: sort_key(membership.community.name))


def profile_for(pk: int) -> User | None:
    """One person with what their profile page shows, or None."""
    return _PROFILE.first(pk=pk)


# The same for every viewer: compiled once (cssp_portal.precompiled).
_PROFILE = Precompiled(
    "profile",
    lambda pk: (
        User.objects.filter(pk=pk)
        .select_related("organization")
        .prefetch_related(
            Prefetch("expertise_areas", queryset=order_by_name(ExpertiseArea.objects.all(), "name"))
        )
    ),
    pk=int,
)


def communities_led_by(user) -> list:
    """The communities `user` leads or co-leads now (an active lead role), by name: what they
    hand over before deleting their account. One query."""
    return list(
        Community.objects.filter(
            memberships__user=user,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__in=Membership.LEAD_ROLES,
        )
        .distinct()
        .order_by("name")
    )
