"""Writes with consequences on members' own data."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Organization

from .models import ExpertiseArea, TrustedDomain, User, VettedThrough, Vetting

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "organization",
    "role_type",
    "bio_en",
    "bio_fr",
    "phone",
    "contact_visibility",
    "listed_in_directory",
    "preferred_language",
)


@transaction.atomic
def member_update_profile(
    *,
    member: User,
    first_name: str,
    last_name: str,
    job_title: str,
    organization: Organization | None,
    role_type: str,
    expertise_areas: Iterable[ExpertiseArea],
    bio_en: str,
    bio_fr: str,
    phone: str,
    contact_visibility: str,
    listed_in_directory: bool,
    preferred_language: str,
) -> User:
    """Replace the profile of `member` with the given values (the whole profile: callers pass
    the current value of what they do not change).

    Who may call it is the caller's decision (views: `policies.can_edit_profile`). Text is
    stripped; the row is validated with `full_clean()` (ValidationError on bad values, with
    nothing saved) and saved with its expertise areas in one transaction.
    """
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "job_title": job_title.strip(),
        "organization": organization,
        "role_type": role_type,
        "bio_en": bio_en.strip(),
        "bio_fr": bio_fr.strip(),
        "phone": phone.strip(),
        "contact_visibility": contact_visibility,
        "listed_in_directory": listed_in_directory,
        "preferred_language": preferred_language,
    }
    if member.is_vetted and organization != member.organization:
        # F5: the organization of a vetted member is the program's word (a trusted domain or
        # an administrator's), and proposal eligibility rests on it.
        raise ValidationError(
            {"organization": _("Your organization is set by the program; ask an administrator.")}
        )
    for name, value in values.items():
        setattr(member, name, value)
    # The password is not the profile's business; `bio` only mirrors bio_<active language>.
    member.full_clean(exclude=["password", "bio"])
    member.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    member.expertise_areas.set(expertise_areas)
    return member


# --- Vetting ----------------------------------------------------------------------------------
#
# A self-registered account starts as a guest (members.adapters.AccountAdapter.save_user). It is
# vetted, once, by whichever comes first: a confirmed address on a trusted domain, an
# administrator's approval or a lead's invitation into a community. Nothing else changes it.


def _vet(member: User, *, through: str, by: User | None = None, sponsor: User | None = None):
    member.vetting = Vetting.VETTED
    member.vetted_through = through
    member.vetted_at = timezone.now()
    member.vetted_by = by
    member.sponsor = sponsor
    fields = ["vetting", "vetted_through", "vetted_at", "vetted_by", "sponsor", "updated_at"]
    return fields


@transaction.atomic
def member_email_confirmed(*, member: User, email: str) -> User:
    """A guest confirmed `email` (allauth's email_confirmed signal, see members.apps): on a
    trusted domain they become a vetted member of the domain's organization; otherwise the
    administrators are told a guest awaits review (once per person). A vetted member is left
    as they are. One query for the domain, one update."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_vetted or not member.is_active:
        return member
    trusted = TrustedDomain.objects.for_address(email)
    if trusted is None:
        if not _invited(member):
            _notify_administrators_of_guest(member)
        return member
    fields = _vet(member, through=VettedThrough.DOMAIN)
    member.organization = trusted.organization
    member.save(update_fields=[*fields, "organization"])
    return member


@transaction.atomic
def member_approve(*, member: User, by: User) -> User:
    """An administrator vets a guest (admin action); the person is told by e-mail in their
    language. Raises PermissionDenied to anyone but an administrator; approving a vetted member
    changes nothing and sends nothing."""
    from .policies import can_approve_guests

    if not can_approve_guests(by):
        raise PermissionDenied
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_vetted:
        return member
    member.save(update_fields=_vet(member, through=VettedThrough.ADMINISTRATOR, by=by))
    from notifications.services import notify

    from .kinds import MEMBER_APPROVED

    notify(
        kind=MEMBER_APPROVED,
        recipients=[member],
        about=member,
        context={},
        key=f"member:{member.pk}:approved",
    )
    return member


def member_vet_by_invitation(*, member: User, sponsor: User | None) -> User:
    """A guest accepted a lead's invitation into a community (communities.services
    .invitation_accept, inside its transaction): the lead who invited them is their sponsor.
    A vetted member is left as they are."""
    if member.is_vetted:
        return member
    member.save(update_fields=_vet(member, through=VettedThrough.INVITATION, sponsor=sponsor))
    return member


def _invited(member: User) -> bool:
    """A pending invitation awaits one of the person's addresses: accepting it will vet them,
    so the administrators need not review them."""
    from allauth.account.models import EmailAddress

    from communities.models import Invitation

    addresses = {
        member.email,
        *EmailAddress.objects.filter(user=member).values_list("email", flat=True),
    }
    to_them = Q()
    for address in addresses:
        to_them |= Q(email__iexact=address)
    return Invitation.objects.filter(
        to_them, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
    ).exists()


def _notify_administrators_of_guest(member: User) -> None:
    from notifications.rendering import absolute
    from notifications.services import notify

    from .kinds import MEMBER_NEW_GUEST

    administrators = User.objects.filter(is_superuser=True, is_active=True)
    # Each administrator reads the admin in their own language: both links are kept.
    with translation.override("en"):
        review_en = absolute(reverse("admin:members_user_change", args=[member.pk]))
    with translation.override("fr"):
        review_fr = absolute(reverse("admin:members_user_change", args=[member.pk]))
    notify(
        kind=MEMBER_NEW_GUEST,
        recipients=administrators,
        about=member,
        context={
            "guest_name": member.get_full_name() or member.email,
            "guest_email": member.email,
            "review_url_en": review_en,
            "review_url_fr": review_fr,
        },
        key=f"member:{member.pk}:new_guest",
    )


# --- Deleting one's account (Privacy Act; issue #18, item 9) ---------------------------------


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
    import uuid

    from .models import DELETED_EMAIL_DOMAIN

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
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from api.models import ApiToken
    from communities.models import CommunityUserObjectPermission, Invitation, Membership
    from communities.services.membership import membership_leave
    from consultations.models import Response
    from events.models import CalendarFeed, Registration
    from events.services import registration_cancel
    from knowledge.models import Follow, Post, Thread
    from notifications.models import Digest, DigestSchedule, Notification, NotificationPreference
    from notifications.services import notify_address
    from proposals.models import GapComment, GapVote

    from .kinds import MEMBER_ACCOUNT_DELETED
    from .selectors import communities_led_by

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
    for post in Post.objects.filter(mentioned=user).select_related("thread"):
        for address in addresses:
            post.body = _replace_mention(post.body, address)
        from knowledge.services import _render_post

        _render_post(post)
        post.save(update_fields=["body", "body_html"])
    user.mentions.clear()

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

    from communities.access import forget_standing

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


def _replace_mention(body: str, address: str) -> str:
    import re

    return re.sub(re.escape("@" + address), "@former-member", body, flags=re.IGNORECASE)


def _remove_contributions(user: User, *, Post, Thread) -> None:
    """Discussions only the person wrote in go; elsewhere their messages are blanked in place,
    so that the replies of others keep their place and their sense."""
    from django.db.models import Exists, OuterRef

    others = Post.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    Thread.objects.filter(author=user).exclude(Exists(others)).delete()
    # An empty message reads "removed at its author's request" in the reader's language
    # (knowledge/thread_detail.html); search indexes and excerpts find nothing left of it.
    Post.objects.filter(author=user).update(body="", body_html="")


def _delete_social_accounts(user: User) -> None:
    from django.apps import apps

    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
