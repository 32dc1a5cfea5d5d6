"""Every permission decision about member profiles and their contact details.

A profile is what a person chose to publish: listed profiles are seen by vetted members,
unlisted ones only by their owner and administrators (for everyone else they do not exist).
Contact details (email address and telephone) follow the person's `contact_visibility`.
Guests (self-registered, not yet vetted: members.models.Vetting) are never counted among the
"signed-in members": they see their own profile only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from communities.access import standing_of
from communities.models import Membership
from cssp_portal.params import id_or_none

from .models import User
from .selectors import (
    active_community_ids_by_person,
    communities_led_by,
    listed_members,
    profile_for,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _signed_in(viewer) -> bool:
    return standing_of(viewer).signed_in


def _vetted(viewer) -> bool:
    return standing_of(viewer).vetted


def can_browse_directory(viewer) -> bool:
    """The member directory is for vetted members (guests are refused with 403 and a page
    that says why)."""
    return _vetted(viewer)


def can_approve_guests(who) -> bool:
    """Vetting a guest is an administrator's decision (members.services.member_approve and the
    admin action); staff without it do not see the action."""
    return standing_of(who).is_admin


def is_guest(viewer) -> bool:
    """Signed in but not vetted: the guest banner and the access page say what that means."""
    return standing_of(viewer).is_guest


def _is_admin(viewer) -> bool:
    return standing_of(viewer).is_admin


def can_view_profile(viewer: User | AnonymousUser, person: User) -> bool:
    """A listed, active person's profile is seen by any vetted member; one's own profile (guests
    included) and, for administrators, every profile too. Callers answer 404 when this is
    False, so an unlisted profile and an unknown id look the same."""
    standing = standing_of(viewer)
    if not standing.signed_in:
        return False
    if standing.user_id == person.pk or standing.is_admin:
        return True
    return standing.vetted and person.listed_in_directory and person.is_active


def profiles_visible_to(viewer) -> QuerySet[User]:
    """The people whose profile `viewer` may open (agrees with `can_view_profile`)."""
    standing = standing_of(viewer)
    if not standing.signed_in:
        return User.objects.none()
    if standing.is_admin:
        return User.objects.all()
    if not standing.vetted:
        return User.objects.filter(pk=standing.user_id)
    return listed_members() | User.objects.filter(pk=standing.user_id)


def can_edit_profile(viewer: User | AnonymousUser, person: User) -> bool:
    """Members edit their own profile only (administrators use the admin site)."""
    return _signed_in(viewer) and standing_of(viewer).user_id == person.pk


def profile_for_viewing(viewer, *, pk) -> User:
    """A person's profile with what the page shows: 404 when absent or not visible, so an
    unlisted profile and an unknown id look the same."""
    pk = id_or_none(pk)
    person = profile_for(pk) if pk is not None else None
    if person is None or not can_view_profile(viewer, person):
        raise Http404
    return person


def can_see_contact(
    viewer: User | AnonymousUser,
    person: User,
    *,
    viewer_community_ids: Iterable[int] | None = None,
    person_community_ids: Iterable[int] | None = None,
) -> bool:
    """Whether `viewer` may see `person`'s email address and telephone.

    - themselves and administrators: always;
    - "private": nobody else;
    - "communities": viewers with an active membership in a community where `person` has one;
    - "members": any vetted member (guests see no one's details but their own).

    The community ids (of active memberships) are read from the database when not given;
    listings pass them, computed once for the page (see selectors.member_directory and
    `contact_visible_ids`), so that a page does not query once per person.
    """
    standing = standing_of(viewer)
    if not standing.signed_in:
        return False
    if standing.user_id == person.pk or standing.is_admin:
        return True
    if not standing.vetted or not person.is_active:
        return False
    visibility = person.contact_visibility
    if visibility == User.ContactVisibility.MEMBERS:
        return True
    if visibility == User.ContactVisibility.COMMUNITIES:
        if viewer_community_ids is None:
            viewer_community_ids = standing.roles.keys()
        if person_community_ids is None:
            person_community_ids = active_community_ids_by_person([person])[person.pk]
        return not set(viewer_community_ids).isdisjoint(person_community_ids)
    return False


def contact_visible_ids(viewer: User | AnonymousUser, people: Iterable[User]) -> set[int]:
    """The ids of `people` whose contact details `viewer` may see, with two queries at most
    (the viewer's communities and those of the people who share with "my communities")."""
    people = list(people)
    viewer = standing_of(viewer)
    if not _signed_in(viewer) or not people:
        return set()
    # Only "communities" needs the viewer's memberships; skip the query when nobody asks.
    needs_ids = not _is_admin(viewer) and any(
        person.contact_visibility == User.ContactVisibility.COMMUNITIES for person in people
    )
    viewer_ids = set(standing_of(viewer).roles) if needs_ids else set()
    people_ids = active_community_ids_by_person(people) if needs_ids else {}
    return {
        person.pk
        for person in people
        if can_see_contact(
            viewer,
            person,
            viewer_community_ids=viewer_ids,
            person_community_ids=people_ids.get(person.pk, set()),
        )
    }


# --- Personal data (Privacy Act: access and deletion) ------------------------------------------


def can_manage_own_personal_data(viewer) -> bool:
    """Every signed-in person (guests included) reads, downloads and may delete what the portal
    holds about them; the pages have no id in their address, so nobody reaches another's."""
    return _signed_in(viewer)


def can_delete_accounts(who) -> bool:
    """Deleting someone else's account (the admin action, through the same service) is an
    administrator's decision."""
    return _is_admin(who)


def account_deletion_blockers(viewer) -> list:
    """What stands in the way of `viewer` deleting their account: the communities they lead or
    co-lead (read from the request's standing, no query when they lead none)."""
    standing = standing_of(viewer)
    if not any(role in Membership.LEAD_ROLES for role in standing.roles.values()):
        return []
    return communities_led_by(standing.user)
