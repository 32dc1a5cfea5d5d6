"""The member directory and its filters read in alphabetical order (issue #19): « Émond » among
the E, small and capital letters together, in French as in English, with the same few queries."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import ExpertiseArea
from tests.communities.factories import OrganizationFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directory(client, lang, **params):
    with translation.override(lang):
        url = reverse("members:directory")
    response = client.get(url, params)
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


@pytest.fixture
def viewer(client):
    person = UserFactory(verified=True, listed_in_directory=False)
    client.force_login(person)
    return person


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_people_are_listed_with_accents_and_case_as_secondary(
    client, viewer, lang, django_assert_max_num_queries
):
    for last in ["Feu", "Zèbre", "Égalité", "Eau", "de Souza"]:
        UserFactory(last_name=last, first_name="Camille")

    _directory(client, lang)  # the first request of a session does more
    with django_assert_max_num_queries(10):
        response, _page = _directory(client, lang)

    names = [person.last_name for person, *_shown in response.context["cards"]]
    assert names == ["de Souza", "Eau", "Égalité", "Feu", "Zèbre"]


def test_the_filters_choices_follow_french_order_on_french_pages(client, viewer):
    for en, fr in [("Fire", "Feu"), ("Equality", "Égalité"), ("Water", "Eau")]:
        organization = OrganizationFactory(name_en=en, name_fr=fr)
        area = ExpertiseArea.objects.create(name_en=en, name_fr=fr, slug=en.lower())
        person = UserFactory(organization=organization)
        person.expertise_areas.add(area)

    _response, page = _directory(client, "fr")

    for select in ("organization", "expertise"):
        options = re.search(rf'<select name="{select}".*?</select>', page, re.S)
        assert options, select
        shown = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", options.group(0))
        assert shown == ["Eau", "Égalité", "Feu"], select
