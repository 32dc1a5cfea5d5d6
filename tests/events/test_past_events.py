"""Past events beside the upcoming ones, and each community's outcomes library."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Community
from events.models import Event, EventOutcome
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def past(days, **kwargs):
    start = timezone.now() - datetime.timedelta(days=days)
    return EventFactory(
        start=start,
        end=start + datetime.timedelta(hours=3),
        status=Event.Status.COMPLETED,
        visibility=Event.Visibility.PUBLIC,
        reminders=[],
        **kwargs,
    )


def outcome(event, published=True, **kwargs):
    return EventOutcome.objects.create(
        event=event,
        summary_en=kwargs.get("summary", "Members recommended more exercises."),
        summary_fr="Les membres ont recommandé plus d’exercices.",
        key_takeaways_en="Practise together.",
        key_takeaways_fr="S’exercer ensemble.",
        published_at=timezone.now() if published else None,
    )


@pytest.fixture
def world():
    public = CommunityFactory(name_en="Resilience", name_fr="Résilience", slug="resilience")
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS, slug="hidden")
    roundtable = past(
        2000, community=public, title_en="CCRS roundtable 2018", title_fr="Table ronde TRTS 2018"
    )
    outcome(roundtable)
    recent = past(3, community=public, title_en="Recent debrief", title_fr="Bilan récent")
    draft_outcome = past(10, community=public, title_en="Draft outcome event")
    outcome(draft_outcome, published=False, summary="Secret draft summary")
    secret = past(5, community=private, title_en="Secret past meeting")
    outcome(secret, summary="Private outcome text")
    EventFactory(community=public, title_en="Future forum", visibility=Event.Visibility.PUBLIC)
    return {"public": public, "private": private, "roundtable": roundtable, "recent": recent}


def titles_in_order(page, titles):
    positions = [page.index(title) for title in titles]
    return positions == sorted(positions)


def test_past_events_list_outcomes_first_and_only_what_the_viewer_may_see(client, world):
    page = client.get(url("past_events:list")).content.decode()

    assert "CCRS roundtable 2018" in page and "Recent debrief" in page
    assert titles_in_order(page, ["CCRS roundtable 2018", "Recent debrief"])  # outcomes first
    assert "Outcomes published" in page
    assert "Future forum" not in page
    assert "Secret past meeting" not in page  # members-only community
    assert "3 past events found." in page


def test_members_see_their_private_communitys_past_events(client, world):
    member = UserFactory(verified=True)
    make_member(world["private"], member)
    client.force_login(member)

    assert "Secret past meeting" in client.get(url("past_events:list")).content.decode()


def test_the_roundtable_is_reachable_from_the_events_page(client, world):
    events_page = client.get(reverse("events:list")).content.decode()
    assert url("past_events:list") in events_page

    page = client.get(url("past_events:list")).content.decode()
    assert world["roundtable"].get_absolute_url() in page


def test_past_events_in_french_and_bad_parameters_are_explained(client, world):
    page = client.get(url("past_events:list", lang="fr")).content.decode()
    assert "Table ronde TRTS 2018" in page and "Événements passés" in page

    bad = client.get(
        url("past_events:list"), {"community": "abc", "start": "9999-99-99", "page": "²"}
    )
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_outcomes_library_lists_published_outcomes_of_visible_events(client, world):
    page = client.get(url("past_events:community_outcomes", slug="resilience")).content.decode()

    assert "CCRS roundtable 2018" in page and "Members recommended more exercises." in page
    assert "Practise together." in page
    assert "Secret draft summary" not in page  # not published
    assert "Recent debrief" not in page  # no outcomes
    french = client.get(
        url("past_events:community_outcomes", slug="resilience", lang="fr")
    ).content.decode()
    assert "Les membres ont recommandé plus d’exercices." in french
    assert "Bibliothèque des résultats" in french


def test_outcomes_library_of_a_private_community_is_404_to_outsiders(client, world):
    assert client.get(url("past_events:community_outcomes", slug="hidden")).status_code == 404
    member = UserFactory(verified=True)
    make_member(world["private"], member)
    client.force_login(member)
    page = client.get(url("past_events:community_outcomes", slug="hidden")).content.decode()
    assert "Private outcome text" in page


def test_past_list_and_library_take_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(12):
        outcome(past(20 + n, community=world["public"]))

    with django_assert_max_num_queries(8):
        assert client.get(url("past_events:list")).status_code == 200
    with django_assert_max_num_queries(7):
        page = client.get(url("past_events:community_outcomes", slug="resilience")).content.decode()
    assert page.count('class="outcome-entry"') == 10  # a page


def test_the_seeded_2018_ccrs_roundtable_is_reachable_from_events(client):
    from portal.seed.cssp import load_cssp

    load_cssp()
    roundtable = Event.objects.get(start__year=2018)
    with translation.override("en"):
        detail = roundtable.get_absolute_url()

    events = client.get(reverse("events:list")).content.decode()
    past_page = client.get(url("past_events:list")).content.decode()
    french = client.get(url("past_events:list", lang="fr")).content.decode()

    assert url("past_events:list") in events  # the tab
    assert detail in past_page
    assert "Cross-Cultural Roundtable on Security" in past_page
    assert "Table ronde transculturelle sur la sécurité" in french
    assert client.get(detail).status_code == 200
