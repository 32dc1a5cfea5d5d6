"""Deleting one's account (Privacy Act; issue #18, item 9): the profile erased, and every app's
records of the person kept as "Former member", removed or ended, in one transaction.

In the top layer because it touches every app (registrations, library and discussions,
consultations, the program's gaps, API tokens, notifications): members, below them, cannot.
"""

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from api.models import ApiToken
from communities.access import forget_standing
from communities.models import CommunityUserObjectPermission, Invitation, Membership
from communities.services.membership import membership_leave
from consultations.models import Response
from events.models import CalendarFeed, Registration
from events.services import registration_cancel
from knowledge.models import Follow, Post, Thread
from knowledge.services.discussions import posts_unmention
from members.kinds import MEMBER_ACCOUNT_DELETED
from members.models import DELETED_EMAIL_DOMAIN, User
from members.selectors import communities_led_by
from notifications.models import Digest, DigestSchedule, Notification, NotificationPreference
from notifications.services import notify_address
from proposals.models import GapComment, GapVote


class LeadMustHandOver(ValidationError):
    """The person leads or co-leads communities: they hand over before deleting their account.
    `communities` lists them, for the page to name."""

    def __init__(self, communities):
        self.communities = list(communities)
        names = ", ".join(str(community.name) for community in self.communities)
        super().__init__(
            _(
                "You lead or co-lead these communities: %(names)s. Name another lead or hand "
                "over your role before you delete your account."
            )
            % {"names": names}
        )


def _deleted_address() -> str:

    return f"former-member-{uuid.uuid4().hex}@{DELETED_EMAIL_DOMAIN}"


@transaction.atomic
def account_delete(*, user: User, remove_contributions: bool = False) -> User:
    """Delete `user`'s account at their request (or an administrator's, through the admin
    action), in one transaction.

    Refused with LeadMustHandOver, with nothing changed, while they lead or co-lead a
    community. Otherwise: the profile is erased (names, biography in both languages,
    telephone, title, organization, expertise), the address replaced by a unique address on
    a reserved, non-routable domain (the account then shows as "Former member" everywhere:
    User.get_full_name), the password made unusable and the account inactive (which ends
    every session: Django checks the password hash of a session on each request). Deleted:
    the allauth addresses, two-factor authenticators, API tokens, calendar feed, follows,
    notifications and their preferences, pending invitations and join requests, future event
    registrations (cancelled through events.services, so the waitlist moves up), the person's
    groups and object permissions (django-guardian) and their own change history. Kept, as
    history without the name: memberships (ended), past registrations, and what they wrote,
    unless `remove_contributions`: then their replies are blanked, discussions only they
    wrote in are deleted (an opening message others answered is blanked), their consultation
    answers, gap comments and votes are deleted. Proposals, announcements, events and library
    items are program and community records: kept, under "Former member".

    Queues (after commit) a confirmation email in the person's language to the address they
    had, recorded before it is erased."""

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    led = communities_led_by(user)
    if led:
        raise LeadMustHandOver(led)

    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    to_them = Q()
    for address in addresses:
        to_them |= Q(email__iexact=address)
    farewell = {
        "email": user.email,
        "language": user.language,
        "name": f"{user.first_name} {user.last_name}".strip(),
    }
    now = timezone.now()

    # Seats first, through the events service: the waitlist moves up and is told.
    for registration in Registration.objects.filter(
        user=user,
        state__in=[Registration.State.CONFIRMED, Registration.State.WAITLISTED],
        event__start__gt=now,
    ):
        registration_cancel(registration=registration, by=user)

    # Rosters keep the history; pending requests and invitations simply go.
    Membership.objects.filter(
        user=user, state__in=[Membership.State.REQUESTED, Membership.State.INVITED]
    ).delete()
    for membership in Membership.objects.filter(user=user, state=Membership.State.ACTIVE):
        membership_leave(membership=membership, user=user)
    if remove_contributions:
        Membership.objects.filter(user=user).update(message="")
    Invitation.objects.filter(to_them, state=Invitation.State.PENDING).delete()
    Invitation.objects.filter(to_them | Q(accepted_by=user)).update(email=_deleted_address())

    # Others' messages that mention the person: the mention no longer names them.
    posts_unmention(user=user, addresses=addresses)

    if remove_contributions:
        _remove_contributions(user, Post=Post, Thread=Thread)
        Response.objects.filter(respondent=user).delete()
        GapComment.objects.filter(author=user).delete()
        GapVote.objects.filter(voter=user).delete()

    # Credentials, preferences and the outbox addressed to the person.
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    DigestSchedule.objects.filter(user=user).delete()
    Notification.objects.filter(Q(recipient=user) | (Q(recipient__isnull=True) & to_them)).delete()
    Digest.objects.filter(recipient=user).delete()
    _delete_social_accounts(user)

    # Permissions: groups (community roles, portfolio managers), direct and object grants.
    user.groups.clear()
    user.user_permissions.clear()
    user.managed_portfolios.clear()
    CommunityUserObjectPermission.objects.filter(user=user).delete()
    UserObjectPermission.objects.filter(user=user).delete()

    # The profile itself, without writing its old values into the change history; the history
    # of the profile goes, and the person's own actions elsewhere keep no address.
    user.first_name = user.last_name = user.job_title = user.phone = user.role_type = ""
    user.bio = user.bio_en = user.bio_fr = ""
    user.organization = None
    user.listed_in_directory = False
    user.contact_visibility = User.ContactVisibility.PRIVATE
    user.email = _deleted_address()
    user.is_active = user.is_staff = user.is_superuser = False
    user.vetted_by = user.sponsor = None
    user.set_unusable_password()
    with disable_auditlog():
        user.save()
        user.expertise_areas.clear()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ).delete()
    LogEntry.objects.filter(actor=user).update(actor_email=None, remote_addr=None)

    forget_standing(user)

    # Last, and to the address recorded above: the account no longer has one.
    notify_address(
        kind=MEMBER_ACCOUNT_DELETED,
        email=farewell["email"],
        language=farewell["language"],
        context={
            "name": farewell["name"],
            "contributions_kept": not remove_contributions,
            "contact_email": settings.CSSP_CONTACT_EMAIL,
        },
        key=f"member:{user.pk}:deleted",
    )
    return user


def _remove_contributions(user: User, *, Post, Thread) -> None:
    """Discussions only the person wrote in go; elsewhere their messages are blanked in place,
    so that the replies of others keep their place and their sense."""

    others = Post.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    Thread.objects.filter(author=user).exclude(Exists(others)).delete()
    # An empty message reads "removed at its author's request" in the reader's language
    # (knowledge/thread_detail.html); search indexes and excerpts find nothing left of it.
    Post.objects.filter(author=user).update(body="", body_html="")


def _delete_social_accounts(user: User) -> None:
    # Imported only when installed: the model cannot even be imported otherwise.
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
