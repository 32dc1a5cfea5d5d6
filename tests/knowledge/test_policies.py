"""Who may read, post, moderate and download what: role x action tables."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Community, Membership
from communities.services import portfolio_managers_group
from knowledge import policies, services
from knowledge.models import Resource, Sensitivity
from tests.communities.factories import CommunityFactory, make_member
from tests.knowledge.factories import (
    AnnouncementFactory,
    FolderFactory,
    ResourceFactory,
    ThreadFactory,
    community_with_lead,
    document,
    folder,
    fresh,
    member_of,
    thread,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "non_member",
    "observer",
    "member",
    "co_lead",
    "lead",
    "lead_elsewhere",
    "portfolio_manager",
    "admin",
]
READERS = {"observer", "member", "co_lead", "lead", "portfolio_manager", "admin"}
PARTICIPANTS = {"member", "co_lead", "lead", "admin"}
LEADS = {"co_lead", "lead", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def _person(role, community):
    if role == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if role in ("observer", "member", "co_lead", "lead"):
        make_member(community, user, role)
    elif role == "lead_elsewhere":
        make_member(CommunityFactory(), user, Membership.Role.LEAD)
    elif role == "portfolio_manager":
        user.groups.add(portfolio_managers_group())
    elif role == "admin":
        user.is_superuser = user.is_staff = True
        user.save()
    return fresh(user)


@pytest.fixture(params=[Community.Visibility.MEMBERS, Community.Visibility.PUBLIC])
def setting(request):
    """A community (members-only or public) with a thread, a message by someone else, a
    folder and an announcement."""
    community, lead = community_with_lead(visibility=request.param)
    author = member_of(community)
    discussion = ThreadFactory(community=community, author=author)
    box = FolderFactory(community=community)
    announcement = AnnouncementFactory(communities=[community], author=lead)
    resource = ResourceFactory(folder=box, created_by=author)
    return {
        "community": community,
        "thread": discussion,
        "post": discussion.posts.get(),
        "folder": box,
        "announcement": announcement,
        "resource": resource,
    }


ACTIONS = {
    "read_announcement": lambda u, s: policies.can_view_announcement(u, s["announcement"]),
    "post_announcement": lambda u, s: policies.can_post_announcement(u, s["community"]),
    "edit_announcement": lambda u, s: policies.can_edit_announcement(u, s["announcement"]),
    "read_thread": lambda u, s: policies.can_view_thread(u, s["thread"]),
    "start_thread": lambda u, s: policies.can_start_thread(u, s["community"]),
    "reply": lambda u, s: policies.can_reply(u, s["thread"]),
    "moderate": lambda u, s: policies.can_moderate_thread(u, s["thread"]),
    "report": lambda u, s: policies.can_report_post(u, s["post"]),
    "view_folder": lambda u, s: policies.can_view_folder(u, s["folder"]),
    "add_resource": lambda u, s: policies.can_add_resource(u, s["folder"]),
    "manage_library": lambda u, s: policies.can_manage_library(u, s["community"]),
    "edit_others_resource": lambda u, s: policies.can_edit_resource(u, s["resource"]),
    "download_community_resource": lambda u, s: policies.can_download(u, s["resource"]),
}


def expected(action, role, visibility):
    public = visibility == Community.Visibility.PUBLIC
    return (
        role
        in {
            "read_announcement": set(ROLES) if public else READERS,
            "post_announcement": LEADS,
            "edit_announcement": LEADS,
            # Discussions are for members, whatever the community's own visibility.
            "read_thread": READERS,
            "start_thread": PARTICIPANTS,
            "reply": PARTICIPANTS,
            "moderate": LEADS,
            "report": READERS,
            "view_folder": set(ROLES) if public else READERS,
            "add_resource": PARTICIPANTS,
            "manage_library": LEADS,
            "edit_others_resource": LEADS,
            "download_community_resource": READERS,
        }[action]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_knowledge_permissions(setting, role, action):
    person = _person(role, setting["community"])

    allowed = ACTIONS[action](person, setting)

    assert allowed == expected(action, role, setting["community"].visibility)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("community_visibility", "resource_visibility", "who"),
    [
        ("public", "public", set(ROLES)),
        ("public", "members", SIGNED_IN),
        ("public", "community", READERS),
        # A members-only community's library never reaches outsiders, whatever the resource says.
        ("members", "public", READERS),
        ("members", "members", READERS),
        ("members", "community", READERS),
    ],
)
def test_who_may_download_a_resource(role, community_visibility, resource_visibility, who):
    community = CommunityFactory(visibility=community_visibility)
    resource = ResourceFactory(folder__community=community, visibility=resource_visibility)
    person = _person(role, community)

    assert policies.can_download(person, resource) == (role in who)


def test_hidden_thread_is_seen_by_its_leads_only():
    community, lead = community_with_lead()
    member = member_of(community)
    discussion = ThreadFactory(community=community, author=member, hidden_at=timezone.now())

    assert policies.can_view_thread(lead, discussion)
    assert not policies.can_view_thread(member, discussion)


def test_locked_thread_takes_replies_from_leads_only():
    community, lead = community_with_lead()
    member = member_of(community)
    discussion = ThreadFactory(community=community, author=member, locked=True)

    assert policies.can_reply(lead, discussion)
    assert not policies.can_reply(member, discussion)


def test_shared_thread_is_read_and_answered_by_the_other_community():
    home, lead = community_with_lead(visibility="members")
    other = CommunityFactory(visibility="members")
    make_member(other, lead, Membership.Role.MEMBER)
    outsider_member = member_of(other)
    discussion = thread(home, fresh(lead))
    assert not policies.can_view_thread(outsider_member, discussion)

    services.thread_share(thread=discussion, by=fresh(lead), communities=[other])

    assert policies.can_view_thread(outsider_member, discussion)
    assert policies.can_reply(outsider_member, discussion)
    assert not policies.can_moderate_thread(outsider_member, discussion)


def test_a_lead_cannot_share_into_a_community_they_have_no_part_in():
    home, lead = community_with_lead()
    stranger = CommunityFactory()
    discussion = thread(home, lead)

    assert not policies.can_share_thread_with(lead, discussion, stranger)
    with pytest.raises(PermissionDenied):
        services.thread_share(thread=discussion, by=lead, communities=[stranger])


def test_announcement_to_two_communities_is_edited_only_by_someone_leading_both():
    first, lead = community_with_lead()
    second, other_lead = community_with_lead()
    make_member(second, lead, Membership.Role.LEAD)
    announcement = AnnouncementFactory(communities=[first, second], author=lead)

    assert policies.can_edit_announcement(fresh(lead), announcement)
    assert not policies.can_edit_announcement(other_lead, announcement)


def test_protected_resources_cannot_be_public():
    community, lead = community_with_lead()

    with pytest.raises(ValidationError):
        document(
            folder(community, lead),
            lead,
            visibility=Resource.Visibility.PUBLIC,
            sensitivity=Sensitivity.PROTECTED_A,
        )
