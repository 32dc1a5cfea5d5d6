"""Object checks agree with their querysets for the notification centre, organizations and the
resource centre (the same method as test_policy_agreement.py, on its world)."""

import pytest

from communities import kinds as community_kinds
from communities import policies as community_policies
from communities.access import standing_of
from communities.models import Organization
from knowledge import policies as knowledge_policies
from knowledge.models import Resource
from notifications import kinds, services
from notifications import policies as notification_policies
from notifications.models import Notification
from tests.communities.factories import OrganizationFactory
from tests.security.test_policy_agreement import _fresh, knowledge, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_notifications_visible_to_agrees_with_can_view_notification(world):  # noqa: F811
    people = [person for person in world["people"].values() if person.is_authenticated]
    services.notify(
        kind=community_kinds.COMMUNITY_JOIN_DECISION,
        recipients=people,
        community=world["private"],
        context={"approved": True},
    )
    services.notify_account_email(
        template_prefix="account/email/password_reset_key",
        email=people[0].email,
        context={},
        user=people[0],
        language="en",
    )
    for role, person in world["people"].items():
        who = standing_of(_fresh(person))
        listed = set(notification_policies.notifications_visible_to(who))
        for notification in Notification.objects.all():
            allowed = notification_policies.can_view_notification(who, notification)
            assert (notification in listed) == allowed, (role, notification.kind)
        # one's own notifications only, never an account email (its one-time links)
        assert all(n.recipient_id == person.pk and n.kind != kinds.ACCOUNT for n in listed), role
        if role not in ("anonymous", "deactivated"):
            assert any(n.kind == community_kinds.COMMUNITY_JOIN_DECISION for n in listed), role


def test_organizations_visible_to_agrees_with_can_view_organization(world):  # noqa: F811
    OrganizationFactory()
    for role, person in world["people"].items():
        who = standing_of(_fresh(person))
        listed = set(community_policies.organizations_visible_to(who))
        for organization in Organization.objects.all():
            allowed = community_policies.can_view_organization(who, organization)
            assert (organization in listed) == allowed, (role, organization.slug)


def test_resource_centre_agrees_with_its_check_and_never_lists_protected(world, knowledge):  # noqa: F811
    for role, person in world["people"].items():
        who = standing_of(_fresh(person))
        listed = set(knowledge_policies.resource_centre_resources(who))
        for resource in Resource.objects.select_related("folder__community"):
            allowed = knowledge_policies.can_list_in_resource_centre(who, resource)
            assert (resource in listed) == allowed, (role, resource.title_en)
        assert not any(resource.is_protected for resource in listed), role
