"""Writes with consequences on members' own data."""

from collections.abc import Iterable

from django.db import transaction

from communities.models import Organization

from .models import ExpertiseArea, User

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
    for name, value in values.items():
        setattr(member, name, value)
    # The password is not the profile's business; `bio` only mirrors bio_<active language>.
    member.full_clean(exclude=["password", "bio"])
    member.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    member.expertise_areas.set(expertise_areas)
    return member
