"""Organization pages: the index and one public page per organization."""

import pytest

from communities.models import Community, CommunityOrganization, Organization
from proposals.models import ProjectOrganization
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.helpers import url
from tests.members.factories import UserFactory
from tests.proposals.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drdc():
    organization = OrganizationFactory(
        name_en="Defence Research and Development Canada",
        name_fr="Recherche et développement pour la défense Canada",
        acronym_en="DRDC",
        acronym_fr="RDDC",
        slug="drdc",
        sector=Organization.Sector.FEDERAL,
    )
    public = CommunityFactory(name_en="CBRNE Community", name_fr="Communauté CBRNE")
    private = CommunityFactory(
        name_en="Secret Working Group",
        name_fr="Groupe secret",
        visibility=Community.Visibility.MEMBERS,
    )
    member_of = CommunityFactory(name_en="Border Community", name_fr="Communauté frontalière")
    for community, role in [
        (public, CommunityOrganization.Role.LEAD),
        (private, CommunityOrganization.Role.CO_LEAD),
        (member_of, CommunityOrganization.Role.MEMBER),
    ]:
        CommunityOrganization.objects.create(
            community=community, organization=organization, role=role
        )
    led = ProjectFactory(title_en="Led Project", title_fr="Projet dirigé")
    partnered = ProjectFactory(title_en="Partner Project", title_fr="Projet partenaire")
    ProjectOrganization.objects.create(
        project=led, organization=organization, role=ProjectOrganization.Role.LEAD
    )
    ProjectOrganization.objects.create(
        project=partnered, organization=organization, role=ProjectOrganization.Role.PARTNER
    )
    UserFactory(
        first_name="Lina", last_name="Listed", organization=organization, listed_in_directory=True
    )
    UserFactory(
        first_name="Hugo", last_name="Hidden", organization=organization, listed_in_directory=False
    )
    return organization, private


def test_visitors_see_the_organization_its_public_communities_and_projects(client, drdc):
    page = client.get(url("organizations:detail", slug="drdc")).content.decode()

    assert "Defence Research and Development Canada (DRDC)" in page
    assert "Recherche et développement pour la défense Canada (RDDC)" in page
    assert "Federal" in page
    assert "CBRNE Community" in page and "Border Community" in page
    assert "Secret Working Group" not in page  # members-only: not named to outsiders
    assert "Led Project" in page and "Partner Project" in page
    assert "Lina" not in page and "Hidden" not in page  # people: signed-in members only


def test_members_see_listed_people_and_the_private_community_they_belong_to(client, drdc):
    _organization, private = drdc
    viewer = UserFactory(verified=True)
    make_member(private, viewer)
    client.force_login(viewer)

    page = client.get(url("organizations:detail", slug="drdc")).content.decode()

    assert "Secret Working Group" in page
    assert "Lina Listed" in page
    assert "Hugo" not in page  # chose not to be listed


def test_organization_page_in_french(client, drdc):
    page = client.get(url("organizations:detail", slug="drdc", lang="fr")).content.decode()

    assert "Recherche et développement pour la défense Canada (RDDC)" in page
    assert "Communauté CBRNE" in page and "Projet dirigé" in page
    assert "Communautés qu’elle dirige" in page
    assert "Fédéral" in page


def test_unknown_organization_is_404(client):
    assert client.get(url("organizations:detail", slug="nowhere")).status_code == 404


def test_index_lists_filters_and_explains_a_bad_filter(client, drdc):
    OrganizationFactory(
        name_en="University of Ottawa",
        name_fr="Université d’Ottawa",
        sector=Organization.Sector.ACADEMIC,
    )

    everyone = client.get(url("organizations:list")).content.decode()
    academic = client.get(url("organizations:list"), {"sector": "academic"}).content.decode()
    bad = client.get(url("organizations:list"), {"sector": "nonsense", "page": "x"})

    assert "Defence Research" in everyone and "University of Ottawa" in everyone
    assert "University of Ottawa" in academic and "Defence Research" not in academic
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert (
        client.get(url("organizations:list"), {"q": "drdc"})
        .content.decode()
        .count("/organizations/drdc/")
        == 1
    )


def test_index_and_page_take_a_fixed_number_of_queries(client, drdc, django_assert_max_num_queries):
    organization, _private = drdc
    for _ in range(30):
        OrganizationFactory()
    for _ in range(5):
        community = CommunityFactory()
        CommunityOrganization.objects.create(community=community, organization=organization)
        UserFactory(organization=organization, listed_in_directory=True)
    client.force_login(UserFactory(verified=True))

    with django_assert_max_num_queries(8):
        assert client.get(url("organizations:list")).status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get(url("organizations:detail", slug="drdc")).content.decode()
    assert page.count("/members/") >= 6


def test_community_page_links_its_organizations(client, drdc):
    community = Community.objects.get(name_en="CBRNE Community")

    page = client.get(community.get_absolute_url()).content.decode()

    assert url("organizations:detail", slug="drdc") in page
