"""The event list's entries are kept as a fragment keyed by the events' own versions, their
hosts' and the viewer's registrations: any of them changing shows at once."""

import pytest
from django.urls import reverse
from django.utils import translation

from communities.models import Community
from events import services
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_registration_an_edit_and_a_renamed_host_show_at_once(client):
    host = CommunityFactory(name_en="Explosives", join_policy=Community.JoinPolicy.OPEN)
    event = EventFactory(community=host, title_en="Blast workshop", visibility="public")
    member = UserFactory(verified=True)
    make_member(host, member)
    client.force_login(member)
    assert "You are registered" not in client.get(url("events:list")).content.decode()

    services.event_register(event=event, user=member)
    registered = client.get(url("events:list")).content.decode()
    event.title_en = "Blast and debris workshop"
    event.save()
    edited = client.get(url("events:list")).content.decode()
    host.name_en = "Explosives and blast"
    host.save()
    renamed = client.get(url("events:list")).content.decode()

    assert "You are registered" in registered
    assert "Blast and debris workshop" in edited
    assert "Hosted by Explosives and blast" in renamed


def test_another_person_does_not_see_my_registration(client):
    event = EventFactory(visibility="public", community=CommunityFactory())
    me, other = UserFactory(verified=True), UserFactory(verified=True)
    make_member(event.community, me)
    services.event_register(event=event, user=me)
    client.force_login(me)
    client.get(url("events:list"))

    client.force_login(other)
    page = client.get(url("events:list")).content.decode()

    assert event.title_en in page
    assert "You are registered" not in page


def calendar_url(month):
    with translation.override("en"):
        return reverse("events:calendar") + f"?month={month}"


def test_a_renamed_or_added_co_host_shows_at_once_in_the_list_and_the_calendar(client):
    event = EventFactory(visibility="public", community=CommunityFactory(name_en="Explosives"))
    co_host = CommunityFactory(name_en="Fire services")
    month = event.start.strftime("%Y-%m")
    client.get(url("events:list"))
    client.get(calendar_url(month))

    event.co_hosts.add(co_host)
    added = client.get(url("events:list")).content.decode()
    co_host.name_en = "Fire and rescue services"
    co_host.save()
    renamed_list = client.get(url("events:list")).content.decode()
    renamed_calendar = client.get(calendar_url(month)).content.decode()

    assert "with Fire services" in added
    assert "with Fire and rescue services" in renamed_list
    assert "with Fire and rescue services" in renamed_calendar


def test_a_kept_month_builds_no_event_row(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = EventFactory(visibility="public", community=CommunityFactory())
    month = event.start.strftime("%Y-%m")
    client.get(calendar_url(month))

    with CaptureQueriesContext(connection) as captured:
        page = client.get(calendar_url(month)).content.decode()

    wide_reads = [sql for sql in statements(captured) if '"events_event"."title' in sql]
    assert wide_reads == []
    assert event.title in page


def test_a_months_entries_are_built_from_the_columns_they_show(client):
    """Building a month's entries reads what they show (title, time, type, format, host and
    co-host names, in the page's language), not each event's description and the rest of its
    row: up to 500 events a month."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    host = CommunityFactory(name_en="Explosives", name_fr="Explosifs")
    event = EventFactory(
        visibility="public",
        community=host,
        title_en="Blast workshop",
        title_fr="Atelier sur les explosions",
        description_en="A long description nobody reads in a calendar cell.",
    )
    event.co_hosts.add(CommunityFactory(name_en="Fire services", name_fr="Services d'incendie"))
    month = event.start.strftime("%Y-%m")

    with CaptureQueriesContext(connection) as captured:
        english = client.get(calendar_url(month)).content.decode()
    # (Read before the next request: each request empties the connection's query log.)
    rows = [sql for sql in statements(captured) if '"events_event"."title' in sql]
    with translation.override("fr"):
        french_url = reverse("events:calendar") + f"?month={month}"
    french = client.get(french_url).content.decode()

    assert rows, "the month's entries were read"
    assert not any("description" in sql or "summary" in sql for sql in rows)
    assert "Blast workshop" in english and "Hosted by Explosives with Fire services" in english
    assert "Atelier sur les explosions" in french and "Explosifs" in french
    assert "Services d&#x27;incendie" in french
