"""Writes with consequences on members' own data."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Invitation, Organization
from notifications.rendering import absolute
from notifications.services import notify

from .models import ExpertiseArea, TrustedDomain, User, VettedThrough

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
    fields = member.vet(through=VettedThrough.DOMAIN)
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
    member.save(update_fields=member.vet(through=VettedThrough.ADMINISTRATOR, by=by))

    from .kinds import MEMBER_APPROVED

    notify(
        kind=MEMBER_APPROVED,
        recipients=[member],
        about=member,
        context={},
        key=f"member:{member.pk}:approved",
    )
    return member


def _invited(member: User) -> bool:
    """A pending invitation awaits one of the person's addresses: accepting it will vet them,
    so the administrators need not review them."""
    from allauth.account.models import EmailAddress

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
