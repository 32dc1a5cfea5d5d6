"""The community page as its leads keep it: texts in both languages, objectives and member
organizations. Names, visibility and the lead and co-lead organizations are the program's
decisions and stay in the administration site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import policies
from communities.models import Community, CommunityObjective, CommunityOrganization, Organization

if TYPE_CHECKING:
    from members.models import User

# What a lead may change on the page (modeltranslation's per-language columns included).
PAGE_FIELDS = (
    "summary_en",
    "summary_fr",
    "objectives_intro_en",
    "objectives_intro_fr",
    "member_description_en",
    "member_description_fr",
    "contact_email",
    "working_languages",
    "join_policy",
    "notify_portfolio_managers_of_new_members",
)


def _require_manager(user: User, community: Community) -> None:
    if not policies.can_edit_community_page(user, community):
        raise PermissionDenied


@transaction.atomic
def community_page_update(
    *,
    community: Community,
    by: User,
    values: dict,
    objectives: list[tuple[str, str]],
) -> Community:
    """Save the page texts and settings in `values` (keys of PAGE_FIELDS only) and replace the
    objectives with `objectives`, a list of (English, French) pairs in display order.

    Raises PermissionDenied unless `by` may edit the page, ValidationError when a value is
    invalid (nothing is saved then)."""
    _require_manager(by, community)
    unknown = set(values) - set(PAGE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable on the community page: {sorted(unknown)}")
    for name, value in values.items():
        setattr(community, name, value)
    community.full_clean()
    community.save(update_fields=[*values, "updated_at"])

    existing = list(community.objectives.order_by("position", "pk"))
    kept = []
    for position, (text_en, text_fr) in enumerate(objectives):
        if not text_en.strip() or not text_fr.strip():
            raise ValidationError(_("Each objective needs its English and French text."))
        objective = (
            existing[position]
            if position < len(existing)
            else CommunityObjective(community=community)
        )
        objective.position = position
        objective.text_en, objective.text_fr = text_en.strip(), text_fr.strip()
        objective.full_clean()
        objective.save()
        kept.append(objective.pk)
    community.objectives.exclude(pk__in=kept).delete()
    return community


@transaction.atomic
def community_organization_add(
    *, community: Community, by: User, organization: Organization
) -> CommunityOrganization:
    """Add `organization` to the community's member organizations (after the others).

    Raises PermissionDenied unless `by` may edit the page, ValidationError when the organization
    already takes part in the community (as lead, co-lead or member)."""
    _require_manager(by, community)
    Community.objects.select_for_update().get(pk=community.pk)
    if community.organization_links.filter(organization=organization).exists():
        raise ValidationError(
            _("%(organization)s already takes part in this community.")
            % {"organization": organization.name}
        )
    last = community.organization_links.order_by("-position").values_list("position", flat=True)
    link = CommunityOrganization.objects.create(
        community=community,
        organization=organization,
        role=CommunityOrganization.Role.MEMBER,
        position=(last.first() or 0) + 1,
    )
    _page_changed(community)
    return link


@transaction.atomic
def community_organization_remove(*, link: CommunityOrganization, by: User) -> None:
    """Take a member organization off the community. The lead and co-lead organizations are
    set by the program's administrators: ValidationError for those; PermissionDenied unless
    `by` may edit the page."""
    _require_manager(by, link.community)
    if link.role != CommunityOrganization.Role.MEMBER:
        raise ValidationError(
            _("Lead and co-lead organizations are set by the program's administrators.")
        )
    link.delete()
    _page_changed(link.community)


def _page_changed(community: Community) -> None:
    """The page's organization list changed: its date modified moves, and so does the version
    its cached fragment is kept under (communities/community_detail.html)."""
    Community.objects.filter(pk=community.pk).update(updated_at=timezone.now())
