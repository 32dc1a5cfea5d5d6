"""A person's data in the members app and its sign-in: the account and profile, the email
addresses, and whether two-factor authentication is on (never its secrets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _account(user: User, seen: dict) -> list[dict]:
    person = (
        User.objects.select_related("organization")
        .prefetch_related("expertise_areas")
        .get(pk=user.pk)
    )
    return [
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "preferred_language": person.get_preferred_language_display(),
            "organization": person.organization.name if person.organization else "",
            "job_title": person.job_title,
            "role_type": person.get_role_type_display() if person.role_type else "",
            "expertise_areas": "; ".join(area.name for area in person.expertise_areas.all()),
            "bio_en": person.bio_en,
            "bio_fr": person.bio_fr,
            "phone": person.phone,
            "contact_visibility": person.get_contact_visibility_display(),
            "listed_in_directory": person.listed_in_directory,
            "vetting": person.get_vetting_display(),
            "vetted_through": person.get_vetted_through_display() if person.vetted_through else "",
            "vetted_at": person.vetted_at,
            "administrator": person.is_superuser,
            "staff": person.is_staff,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
            "profile_updated_at": person.updated_at,
        }
    ]


def _email_addresses(user: User, seen: dict) -> list[dict]:
    from allauth.account.models import EmailAddress

    rows = [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]
    seen["addresses"] = {row["email"] for row in rows} | {user.email}
    return rows


def _two_factor(user: User, seen: dict) -> list[dict]:
    from allauth.mfa.models import Authenticator

    # That it is enabled, and when: never the secret, the codes or the key's data.
    return [
        {"method": a.get_type_display(), "enabled_on": a.created_at, "last_used": a.last_used_at}
        for a in Authenticator.objects.filter(user=user).only("type", "created_at", "last_used_at")
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("account", _("Account and profile"), _account),
    Category("email_addresses", _("Email addresses"), _email_addresses),
    Category("two_factor_authentication", _("Two-factor authentication"), _two_factor),
)
