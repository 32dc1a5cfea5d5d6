"""The community page keeps its objectives and organizations as fragments keyed by the
community's version and its organizations': on a hit they cost no query, and every change a
lead or an administrator makes shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from communities.models import Community, CommunityObjective, CommunityOrganization
from communities.services import community_organization_add
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_url(community, lang="en"):
    with translation.override(lang):
        return reverse("communities:detail", args=[community.slug])


@pytest.fixture
def community():
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    CommunityObjective.objects.create(
        community=community, position=0, text_en="Detect agents", text_fr="Détecter les agents"
    )
    lead_org = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    CommunityOrganization.objects.create(
        community=community, organization=lead_org, role=CommunityOrganization.Role.LEAD
    )
    for index in range(20):
        CommunityOrganization.objects.create(
            community=community,
            organization=OrganizationFactory(name_en=f"Partner {index}"),
            role=CommunityOrganization.Role.MEMBER,
        )
    cache.clear()
    return community


@pytest.fixture
def member(community):
    user = UserFactory(verified=True)
    make_member(community, user)
    return user


def test_a_member_s_community_page_takes_at_most_ten_queries_once_its_fragments_are_kept(
    client, community, member, django_assert_max_num_queries
):
    client.force_login(member)
    client.get(page_url(community))

    with django_assert_max_num_queries(10):
        page = client.get(page_url(community)).content.decode()

    assert "Detect agents" in page
    assert "Health Canada" in page and "Partner 19" in page


def test_the_objectives_and_organizations_are_served_from_their_fragments(
    client, community, member
):
    client.force_login(member)
    client.get(page_url(community))
    # Their rows are not read again.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(page_url(community)).content.decode()

    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "communities_communityobjective" not in tables
    assert 'FROM "communities_communityorganization"' not in tables
    assert "Detect agents" in page and "Partner 3" in page


def test_a_renamed_organization_shows_at_once(client, community, member):
    client.force_login(member)
    client.get(page_url(community))
    organization = community.organization_links.get(
        role=CommunityOrganization.Role.LEAD
    ).organization

    organization.name_en = "Health Canada Branch"
    organization.save()
    page = client.get(page_url(community)).content.decode()

    assert "Health Canada Branch" in page


def test_an_organization_added_by_a_lead_shows_at_once_in_both_languages(client, community):
    lead = UserFactory(verified=True)
    make_member(community, lead, role="lead")
    client.force_login(lead)
    client.get(page_url(community))
    client.get(page_url(community, "fr"))

    community_organization_add(
        community=community,
        by=lead,
        organization=OrganizationFactory(name_en="City of Halifax", name_fr="Ville d’Halifax"),
    )

    assert "City of Halifax" in client.get(page_url(community)).content.decode()
    assert "Ville d’Halifax" in client.get(page_url(community, "fr")).content.decode()


def test_an_objective_changed_in_the_admin_shows_at_once(client, community, member):
    client.force_login(member)
    client.get(page_url(community))

    objective = community.objectives.get()
    objective.text_en = "Detect and identify agents"
    objective.save()
    # The admin saves the community with its inline objectives: its version moves.
    Community.objects.get(pk=community.pk).save()
    page = client.get(page_url(community)).content.decode()

    assert "Detect and identify agents" in page


def test_working_groups_are_listed_when_the_community_has_some(client, community, member):
    CommunityFactory(name_en="Detection working group", parent=community)
    client.force_login(member)

    page = client.get(page_url(community)).content.decode()

    assert "Working groups" in page and "Detection working group" in page
