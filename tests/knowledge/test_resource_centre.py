"""The CPSEN Resource Centre: what communities shared beyond their members, portal-wide."""

import pytest

from communities.models import Community
from knowledge.models import Resource, Sensitivity
from tests.communities.factories import CommunityFactory
from tests.helpers import url
from tests.knowledge.factories import (
    FolderFactory,
    ResourceFactory,
    community_with_lead,
    member_of,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC, MEMBERS, COMMUNITY = (
    Resource.Visibility.PUBLIC,
    Resource.Visibility.MEMBERS,
    Resource.Visibility.COMMUNITY,
)


@pytest.fixture
def library():
    cbrne, lead = community_with_lead(
        name_en="CBRNE", name_fr="CBRNE FR", working_languages=Community.WorkingLanguages.BOTH
    )
    francophone = CommunityFactory(
        name_en="Quebec group",
        name_fr="Groupe québécois",
        working_languages=Community.WorkingLanguages.FRENCH,
    )
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    box = FolderFactory(community=cbrne)
    for title_en, title_fr, visibility in [
        ("Public protocol", "Protocole public", PUBLIC),
        ("Members checklist", "Liste membres", MEMBERS),
        ("Own members only", "Membres seuls", COMMUNITY),
    ]:
        ResourceFactory(folder=box, title_en=title_en, title_fr=title_fr, visibility=visibility)
    ResourceFactory(
        folder=box,
        title_en="Protected plan",
        title_fr="Plan protégé",
        visibility=COMMUNITY,
        sensitivity=Sensitivity.PROTECTED_B,
    )
    ResourceFactory(
        folder__community=francophone,
        title_en="French tool",
        title_fr="Outil français",
        visibility=PUBLIC,
    )
    ResourceFactory(
        folder__community=private,
        title_en="Hidden community public doc",
        title_fr="Doc caché",
        visibility=PUBLIC,
    )
    return {"cbrne": cbrne, "lead": lead, "private": private}


def test_visitors_see_public_resources_of_visible_communities_only(client, library):
    page = client.get(url("resource_centre:index")).content.decode()

    assert "Public protocol" in page and "French tool" in page
    assert "Members checklist" not in page  # signed-in members only
    assert "Own members only" not in page and "Protected plan" not in page
    assert "Hidden community public doc" not in page  # members-only community
    assert "2 resources found." in page


def test_members_see_what_is_shared_with_every_member_but_never_a_protected_item(client, library):
    client.force_login(library["lead"])  # reads the Protected plan in its own library

    page = client.get(url("resource_centre:index")).content.decode()

    assert "Members checklist" in page and "Public protocol" in page
    assert "Protected plan" not in page and "Own members only" not in page


def test_filters_by_community_type_language_and_date_and_explains_bad_ones(client, library):
    client.force_login(UserFactory(verified=True))

    by_community = client.get(
        url("resource_centre:index"), {"community": library["cbrne"].pk}
    ).content.decode()
    french = client.get(url("resource_centre:index"), {"language": "fr"}).content.decode()
    links = client.get(url("resource_centre:index"), {"kind": "link"}).content.decode()
    future = client.get(url("resource_centre:index"), {"start": "2199-01-01"}).content.decode()
    bad = client.get(
        url("resource_centre:index"), {"community": "x", "end": "2020-01-01", "start": "2021-01-01"}
    )

    assert "Public protocol" in by_community and "French tool" not in by_community
    assert "French tool" in french and "Public protocol" in french  # bilingual community too
    assert "0 resources found." in links
    assert "No resource matches these filters" in future
    assert bad.status_code == 200
    assert "The end date must be on or after the start date." in bad.content.decode()


def test_resource_centre_in_french(client, library):
    page = client.get(url("resource_centre:index", lang="fr")).content.decode()

    assert "Protocole public" in page and "Outil français" in page
    assert "Centre de ressources du CPSEN" in page


def test_resource_centre_takes_a_fixed_number_of_queries(
    client, library, django_assert_max_num_queries
):
    box = FolderFactory(community=library["cbrne"])
    for n in range(12):
        ResourceFactory(folder=box, title_en=f"Tool {n}", title_fr=f"Outil {n}", visibility=PUBLIC)
    client.force_login(member_of(library["cbrne"]))

    with django_assert_max_num_queries(9):
        page = client.get(url("resource_centre:index")).content.decode()
    assert "Tool 11" in page
