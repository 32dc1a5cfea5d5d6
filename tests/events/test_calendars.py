"""The .ics download and the personal feed, parsed back with the icalendar library."""

import datetime

import icalendar
import pytest

from communities.models import Community
from events import services
from events.models import CalendarFeed, Event
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _parse(response) -> icalendar.Calendar:
    """Parse the file back and check what RFC 5545 requires of it."""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = response.content.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF, folded lines
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    defined = {str(tz["tzid"]) for tz in calendar.timezones}
    for vevent in calendar.events:
        assert vevent["uid"] and vevent["dtstamp"] and vevent["dtstart"]
        for name in ("dtstart", "dtend"):
            assert vevent[name].params["TZID"] in defined
    return calendar


def test_ics_download_is_valid_with_its_time_zone_and_a_link_back(client):
    event = EventFactory(
        visibility=Event.Visibility.PUBLIC,
        time_zone="America/Vancouver",
        start=datetime.datetime(2027, 3, 1, 17, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 3, 1, 19, 0, tzinfo=datetime.UTC),
    )

    calendar = _parse(client.get(url("events:ics", event.slug)))

    (vevent,) = calendar.events
    assert vevent["summary"] == event.title_en
    assert vevent.start == datetime.datetime(2027, 3, 1, 17, 0, tzinfo=datetime.UTC)
    assert vevent.decoded("dtstart").tzinfo.key == "America/Vancouver"
    assert vevent["dtstart"].params["TZID"] == "America/Vancouver"
    assert [tz["tzid"] for tz in calendar.timezones] == ["America/Vancouver"]
    assert str(vevent["url"]) == f"http://testserver/en/events/{event.slug}/"
    assert event.slug in vevent["description"]
    assert vevent["status"] == "CONFIRMED"
    assert calendar["version"] == "2.0" and calendar["prodid"]


def test_the_virtual_link_is_only_in_the_ics_of_confirmed_people(client):
    community = CommunityFactory()
    event = EventFactory(
        community=community,
        format=Event.Format.VIRTUAL,
        virtual_link="https://teams.example.ca/meet/secret",
    )
    stranger, registered = UserFactory(), UserFactory()
    make_member(community, registered)
    services.event_register(event=event, user=registered)

    client.force_login(stranger)
    assert b"meet/secret" not in client.get(url("events:ics", event.slug)).content
    client.force_login(registered)
    calendar = _parse(client.get(url("events:ics", event.slug)))
    assert "meet/secret" in calendar.events[0]["location"]


def test_ics_text_is_in_the_page_language(client):
    event = EventFactory(visibility=Event.Visibility.PUBLIC)

    calendar = _parse(client.get(url("events:ics", event.slug, lang="fr")))

    assert calendar.events[0]["summary"] == event.title_fr
    assert "/fr/events/" in str(calendar.events[0]["url"])


def test_personal_feed_carries_my_communities_events_and_my_status_without_a_session(client):
    mine = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    private_other = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    member = UserFactory(preferred_language="fr")
    make_member(mine, member)
    registered = EventFactory(community=mine, capacity_in_person=0)
    hosts_only = EventFactory(community=mine, visibility=Event.Visibility.HOSTS)
    cancelled = EventFactory(community=mine, status=Event.Status.CANCELLED)
    EventFactory(community=mine, status=Event.Status.DRAFT, title_fr="Brouillon")
    EventFactory(community=private_other, title_fr="Secret d'une autre communauté")
    services.event_register(event=registered, user=member)
    feed = services.calendar_feed_get_or_create(user=member)

    # A calendar client sends no cookie: only the token, under any language prefix.
    response = client.get(url("events:feed", feed.token, lang="en"))

    calendar = _parse(response)
    summaries = {str(e["summary"]) for e in calendar.events}
    assert summaries == {
        registered.title_fr,
        hosts_only.title_fr,
        f"Annulé\xa0: {cancelled.title_fr}",
    }
    by_uid = {str(e["summary"]): e for e in calendar.events}
    assert "Votre inscription\xa0: En liste d’attente" in by_uid[registered.title_fr]["description"]
    assert by_uid[f"Annulé\xa0: {cancelled.title_fr}"]["status"] == "CANCELLED"
    assert calendar.timezones
    assert calendar["x-wr-calname"] == "Événements du PCSS"


def test_revoking_the_feed_replaces_its_address(client):
    member = UserFactory()
    feed = services.calendar_feed_get_or_create(user=member)
    old = url("events:feed", feed.token)
    client.force_login(member)

    client.post(url("events:feed_settings"))

    assert client.get(old).status_code == 404
    new_token = CalendarFeed.objects.get(user=member).token
    assert new_token != feed.token
    client.logout()
    assert client.get(url("events:feed", new_token)).status_code == 200


def test_feed_settings_page_shows_the_address(client):
    member = UserFactory()
    client.force_login(member)

    page = client.get(url("events:feed_settings", lang="fr")).content.decode()

    token = CalendarFeed.objects.get(user=member).token
    assert f"/events/feed/{token}.ics" in page
    assert "Remplacer mon adresse de calendrier" in page
