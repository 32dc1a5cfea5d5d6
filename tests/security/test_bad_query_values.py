"""Hostile or absurd query values get a clear answer in the page's language, never a 500
(issue #16, F7/F8: dates at the calendar's ends, months that are not months, ids that are not
ids)."""

import pytest

from communities.models import Membership
from tests.communities.factories import CommunityFactory, make_member
from tests.helpers import url
from tests.knowledge.factories import community_with_lead, thread
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1-1-1", "²"])
@pytest.mark.parametrize("field", ["start", "end"])
def test_event_list_dates_out_of_range_are_refused_with_a_message(client, field, value):
    response = client.get(url("events:list"), {field: value})

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2200." in response.content.decode() or (
        "Enter a valid date." in response.content.decode()
    )


def test_the_date_message_is_in_french_on_french_pages(client):
    response = client.get(url("events:list", lang="fr"), {"end": "9999-12-31"})

    assert response.status_code == 200
    assert "Entrez une date entre les années 1900 et 2200." in response.content.decode()


@pytest.mark.parametrize("month", ["9999-12", "1-1", "0001-01", "2026-13", "abc", "2026-1²"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_calendar_months_that_cannot_be_shown_fall_back_to_this_month(client, month, lang):
    response = client.get(url("events:calendar", lang=lang), {"month": month})

    assert response.status_code == 200
    notice = {
        "en": "That month cannot be shown",
        "fr": "Impossible d’afficher ce mois",
    }[lang]
    assert notice in response.content.decode()


def test_ids_that_are_not_ids_answer_404(client):
    community, lead = community_with_lead()
    client.force_login(lead)
    started = thread(community, lead)
    other = CommunityFactory()
    make_member(other, lead, Membership.Role.LEAD)

    folder = client.get(url("knowledge:folder_create", community.slug), {"parent": "abc"})
    huge = client.get(url("knowledge:folder_create", community.slug), {"parent": "9" * 20})
    unshare = client.post(url("knowledge:thread_share", started.pk), {"unshare": "abc"})

    assert folder.status_code == 404
    assert huge.status_code == 404
    assert unshare.status_code == 404


def test_a_stranger_gets_the_same_answers(client):
    client.force_login(UserFactory(verified=True))

    assert client.get(url("events:list"), {"start": "0001-01-01"}).status_code == 200
    assert client.get(url("events:calendar"), {"month": "9999-12"}).status_code == 200
