"""The filter forms' fields are kept rendered under a digest of everything they show
(cssp_portal.forms.kept_fields): a second visit renders none of them, and any change to a
choice, a value or an error shows at once."""

import pytest
from django.core.cache import cache

from tests.communities.factories import CommunityFactory, OrganizationFactory
from tests.helpers import page, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

FIELD_TEMPLATE = "components/field.html"


def _fields_rendered(response) -> int:
    return sum(template.name == FIELD_TEMPLATE for template in response.templates)


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory(verified=True))
    cache.clear()
    return client


# The member directory's search box is rendered on its own, above the kept filters.
@pytest.mark.parametrize(
    ("name", "rendered_again"),
    [("members:directory", 1), ("events:list", 0), ("communities:list", 0)],
)
def test_a_second_visit_renders_no_filter_field_and_shows_the_same_form(
    member_client, name, rendered_again
):
    OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    CommunityFactory(name_en="Chemical", name_fr="Chimique")
    first = member_client.get(url(name))
    second = member_client.get(url(name))

    assert _fields_rendered(first) > rendered_again
    assert _fields_rendered(second) == rendered_again
    assert page(second) == page(first)


def test_a_renamed_organization_shows_at_once_in_both_languages(member_client):
    organization = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    member_client.get(url("members:directory"))
    member_client.get(url("members:directory", lang="fr"))

    organization.name_en, organization.name_fr = "Health Canada (HC)", "Santé Canada (SC)"
    organization.save()

    assert "Health Canada (HC)</option>" in page(member_client.get(url("members:directory")))
    french = page(member_client.get(url("members:directory", lang="fr")))
    assert "Santé Canada (SC)</option>" in french


def test_the_chosen_filter_is_selected_and_only_for_that_search(member_client):
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    member_client.get(url("events:list"))

    chosen = page(member_client.get(url("events:list") + f"?community={community.pk}"))
    plain = page(member_client.get(url("events:list")))

    selected = f'<option value="{community.pk}" selected>Chemical</option>'
    assert selected in chosen
    assert selected not in plain and f'<option value="{community.pk}">Chemical</option>' in plain


def test_an_invalid_choice_is_reported_next_to_its_field(member_client):
    member_client.get(url("members:directory"))

    html = page(member_client.get(url("members:directory") + "?organization=999999"))

    assert 'id="id_organization_errors"' in html
    assert 'aria-invalid="true"' in html


class _BrokenCache:
    """A cache whose every call fails (a backend configured without django-redis's
    IGNORE_EXCEPTIONS would raise like this while Redis is down)."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_the_filter_fields_and_event_entries_render_while_the_cache_raises(
    member_client, monkeypatch, caplog
):
    from tests.events.factories import EventFactory

    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    EventFactory(community=community, title_en="Open drill", visibility="public")
    monkeypatch.setattr("cssp_portal.fragments.cache", _BrokenCache())

    html = page(member_client.get(url("events:list")))

    assert f'<option value="{community.pk}">Chemical</option>' in html
    assert "Open drill" in html
    assert "Cache unavailable: filter fields" in caplog.text
    assert "Cache unavailable: event entries" in caplog.text
