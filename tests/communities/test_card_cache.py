"""The community cards are kept as a rendered fragment, keyed by each card's own version."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from communities.models import Community, CommunityOrganization
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.helpers import statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def led_community():
    community = CommunityFactory(name_en="Explosives", name_fr="Explosifs")
    organization = OrganizationFactory(name_en="Defence Research", name_fr="Recherche défense")
    CommunityOrganization.objects.create(
        community=community, organization=organization, role=CommunityOrganization.Role.LEAD
    )
    return community, organization


def test_the_cards_are_served_from_the_fragment_cache(client, led_community, monkeypatch):
    cache.clear()
    client.get(url("communities:list"))
    # Rendered once: now the fragment answers, whatever happens to the template.
    monkeypatch.setattr(Community, "get_absolute_url", lambda self: "/changed-link/")

    again = client.get(url("communities:list")).content.decode()

    assert "Explosives" in again
    assert "/changed-link/" not in again


def test_a_changed_community_shows_at_once(client, led_community):
    community, _organization = led_community
    client.get(url("communities:list"))

    community.name_en = "Explosives and blast"
    community.save()
    page = client.get(url("communities:list")).content.decode()

    assert "Explosives and blast" in page


def test_a_renamed_lead_organization_shows_at_once(client, led_community):
    _community, organization = led_community
    client.get(url("communities:list"))

    organization.name_en = "Defence Research and Development"
    organization.save()
    page = client.get(url("communities:list")).content.decode()

    assert "Defence Research and Development" in page


def test_each_language_and_each_audience_has_its_own_fragment(client, led_community):
    private = CommunityFactory(
        name_en="Secret working group", visibility=Community.Visibility.MEMBERS
    )
    member = UserFactory(verified=True)
    make_member(private, member)

    outsider_page = client.get(url("communities:list")).content.decode()
    french_page = client.get(url("communities:list", lang="fr")).content.decode()
    client.force_login(member)
    member_page = client.get(url("communities:list")).content.decode()

    assert "Secret working group" not in outsider_page
    assert "Explosifs" in french_page
    assert "Secret working group" in member_page


def test_a_second_lead_organization_shows_at_once_as_co_led(client, led_community):
    community, _organization = led_community
    assert "Led by" in client.get(url("communities:list")).content.decode()

    CommunityOrganization.objects.create(
        community=community,
        organization=OrganizationFactory(name_en="Public Safety Canada"),
        role=CommunityOrganization.Role.CO_LEAD,
    )
    page = client.get(url("communities:list")).content.decode()

    assert "Co-led by" in page
    assert "Public Safety Canada" in page


def test_a_kept_directory_and_home_page_build_no_community_row(client, led_community):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for address in (url("communities:list"), home_url()):
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(address).content.decode()

        # the versions are read (ids, update times, lead organizations' digest), no card row
        wide_reads = [
            sql for sql in statements(captured) if '"communities_community"."summary' in sql
        ]
        assert wide_reads == [], address
        assert "Explosives" in page and "Defence Research" in page


def home_url(lang="en"):
    with translation.override(lang):
        return reverse("home")
