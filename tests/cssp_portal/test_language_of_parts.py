"""Content in one language only says so on pages in the other (WCAG 3.1.2, issue #19)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from communities.models import CommunityOrganization
from cssp_portal.languages import guess_language, text_language
from tests.communities.factories import CommunityFactory, OrganizationFactory
from tests.helpers import url
from tests.members.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

FNESS = "First Nations Emergency Services Society"
SQ = "Sûreté du Québec"


def _link_to(page: str, text: str) -> str:
    """The opening tag of the link whose text is `text`."""
    match = re.search(r"<a [^>]*>" + re.escape(text) + "</a>", page)
    assert match, f"no link reading {text!r}"
    return match.group(0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (SQ, "fr"),
        ("Centre de santé et de services sociaux de la Montagne", "fr"),
        (FNESS, "en"),
        ("Paramedic Chiefs of Canada", "en"),
        ("Interdev Technologies", "en"),
        ("Sherpa", ""),
    ],
)
def test_a_name_that_exists_in_one_language_is_recognized(name, expected):
    assert guess_language(name) == expected


def test_the_language_of_a_translated_field_as_shown():
    both = OrganizationFactory(name_en="Transport Canada", name_fr="Transports Canada")
    english_only = OrganizationFactory(name_en=FNESS, name_fr=FNESS)
    unset_french = OrganizationFactory(name_en="Health Canada", name_fr="")

    with translation.override("fr"):
        assert text_language(both, "name") == "fr"
        assert text_language(english_only, "name") == "en"
        assert text_language(unset_french, "name") == "en"
        assert text_language(both, "slug") == ""


def test_french_pages_mark_english_only_organization_names_and_no_others(client):
    community = CommunityFactory()
    english_only = OrganizationFactory(name_en=FNESS, name_fr=FNESS)
    both = OrganizationFactory(name_en="Transport Canada", name_fr="Transports Canada")
    for organization in (english_only, both):
        CommunityOrganization.objects.create(
            community=community, organization=organization, role=CommunityOrganization.Role.LEAD
        )

    page = client.get(url("communities:detail", slug=community.slug, lang="fr")).content.decode()

    assert 'lang="en"' in _link_to(page, FNESS)
    assert "lang=" not in _link_to(page, "Transports Canada")


def test_english_pages_mark_french_only_names(client):
    organization = OrganizationFactory(name_en=SQ, name_fr=SQ)
    person = UserFactory(verified=True, organization=organization)
    client.force_login(person)

    profile = client.get(url("members:profile", pk=person.pk)).content.decode()
    detail = client.get(url("organizations:detail", slug=organization.slug))

    assert 'lang="fr"' in _link_to(profile, SQ)
    text = detail.content.decode()
    assert re.search(r'<h1 class="page-title" lang="fr">' + re.escape(SQ), text)
    # "Name in English" holds the French name too: it says so.
    assert f'<dd lang="fr">{SQ}' in text


def test_a_proposal_written_in_english_says_so_on_its_french_page(client):
    proposal = ProposalFactory(title_en="Sensors for responders", title_fr="")
    client.force_login(proposal.proposer)

    page = client.get(url("proposals:detail", pk=proposal.pk, lang="fr")).content.decode()

    assert '<h1 class="page-title" lang="en">Sensors for responders</h1>' in page
    assert re.search(r'<div lang="en"><p>Sensors for first responders.</p>', page)


@pytest.mark.parametrize(
    ("page_language", "code", "expected"),
    [("fr", "en", ' lang="en"'), ("en", "fr", ' lang="fr"'), ("fr", "fr", ""), ("fr", "both", "")],
)
def test_a_document_in_a_known_language_says_so_on_the_other_languages_pages(
    page_language, code, expected
):
    with translation.override(page_language):
        rendered = Template("<a{{ code|lang_attr_code }}>").render(Context({"code": code}))
    assert rendered == f"<a{expected}>"
