"""Co-hosting needs the named community's consent (issue #16, F3).

Naming another community as co-host sends a request its leads accept or decline; until one
accepts, the event shows nowhere in that community; its leads may withdraw later; the attendee
details of a co-host's members go only to managers both communities allow.
"""

import csv
import importlib
import io

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from events import policies, selectors, services
from events.models import CoHosting, Event
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import page, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def host():
    return CommunityFactory(name_en="Border Security", name_fr="Sécurité frontalière")


@pytest.fixture
def host_lead(host):
    user = UserFactory(verified=True, first_name="Hana", last_name="Host")
    make_member(host, user, role=Membership.Role.LEAD)
    return fresh(user)


@pytest.fixture
def guest():
    """A members-only community the host names as co-host."""
    return CommunityFactory(
        name_en="Paramedic Services",
        name_fr="Services paramédicaux",
        visibility=Community.Visibility.MEMBERS,
    )


@pytest.fixture
def guest_lead(guest, host):
    # A lead of the guest community who also belongs to the host (so the host's lead sees it
    # through nothing: the host's lead is not a member of the members-only guest).
    user = UserFactory(
        verified=True, first_name="Gaëlle", last_name="Guest", preferred_language="fr"
    )
    make_member(guest, user, role=Membership.Role.LEAD)
    return fresh(user)


@pytest.fixture
def guest_member(guest):
    user = UserFactory(verified=True, first_name="Gus", last_name="Member", email="gus@example.ca")
    make_member(guest, user)
    return fresh(user)


@pytest.fixture
def hosts_only_event(host):
    return EventFactory(
        community=host, visibility=Event.Visibility.HOSTS, title_en="Mass casualty drill"
    )


def _ask(event, community, by):
    """The host names `community` as co-host (as the event form does)."""
    services.co_hosts_request(event=event, communities=[community], by=by)
    return CoHosting.objects.get(event=event, community=community)


def _make_guest_visible_to(lead, guest):
    """The host's lead joins the members-only guest community, so they may name it."""
    make_member(guest, lead)
    return fresh(lead)


# --- Naming a co-host asks it; until it accepts the event shows nowhere in it -------------------


def test_naming_a_co_host_sends_a_request_and_shows_the_event_nowhere_in_it(
    host,
    host_lead,
    guest,
    guest_lead,
    guest_member,
    hosts_only_event,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(hosts_only_event, guest, host_lead)

    assert request.state == CoHosting.State.REQUESTED
    assert list(hosts_only_event.co_hosts.all()) == []
    # not on the community's page, not in its members' calendars, not visible to its members
    assert hosts_only_event not in Event.objects.of_community(guest)
    assert hosts_only_event not in selectors.events_of_member_communities(guest_member)
    assert not policies.can_view_event(guest_member, hosts_only_event)
    assert not policies.can_view_event(guest_lead, hosts_only_event)
    # its leads are asked, by e-mail, in their own language (the guest's lead reads French)
    assert [m.to for m in mailoutbox] == [[guest_lead.email]]
    assert mailoutbox[0].subject == f"Coorganiser «\xa0{hosts_only_event.title_fr}\xa0»?"
    assert request.get_absolute_url().split("/", 2)[2] in mailoutbox[0].body


def test_the_co_hosts_lead_accepts_and_the_event_joins_the_community(
    client, host, host_lead, guest, guest_lead, guest_member, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    client.force_login(guest_lead)

    shown = client.get(url("events:co_hosting", request.pk))
    assert shown.status_code == 200
    assert "Mass casualty drill" in page(shown) and "Border Security" in page(shown)
    response = client.post(
        url("events:co_hosting", request.pk), {"decision": "accept"}, follow=True
    )

    assert "Your community now co-hosts this event." in page(response)
    request.refresh_from_db()
    assert request.state == CoHosting.State.ACCEPTED and request.decided_by == guest_lead
    assert hosts_only_event in Event.objects.of_community(guest)
    assert policies.can_view_event(fresh(guest_member), hosts_only_event)
    feed = services.calendar_feed_get_or_create(user=guest_member)
    client.force_login(guest_member)
    calendar = client.get(url("events:feed", feed.token))
    assert "Mass casualty drill" in calendar.content.decode()


def test_a_declined_request_keeps_the_event_out(
    client, host_lead, guest, guest_lead, guest_member, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    client.force_login(guest_lead)

    client.post(url("events:co_hosting", request.pk), {"decision": "decline"})

    request.refresh_from_db()
    assert request.state == CoHosting.State.DECLINED
    assert hosts_only_event not in Event.objects.of_community(guest)
    assert not policies.can_view_event(fresh(guest_member), hosts_only_event)
    # a decided request cannot be accepted afterwards by replaying the form
    response = client.post(
        url("events:co_hosting", request.pk), {"decision": "accept"}, follow=True
    )
    assert "no longer awaiting that answer" in page(response)
    assert hosts_only_event not in Event.objects.of_community(guest)


def test_the_co_hosts_lead_withdraws_and_the_event_leaves_the_community(
    client, host_lead, guest, guest_lead, guest_member, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    services.co_hosting_answer(co_hosting=request, by=guest_lead, decision="accept")
    client.force_login(guest_lead)

    response = client.post(
        url("events:co_hosting", request.pk, lang="fr"), {"decision": "withdraw"}, follow=True
    )

    assert "Votre communauté ne coorganise plus cet événement." in page(response)
    request.refresh_from_db()
    assert request.state == CoHosting.State.WITHDRAWN
    assert hosts_only_event not in Event.objects.of_community(guest)
    assert not policies.can_view_event(fresh(guest_member), hosts_only_event)


@pytest.mark.parametrize("who", ["host_lead", "guest_member", "outsider", "anonymous"])
def test_only_the_co_hosts_leads_answer(
    client, who, host_lead, guest, guest_lead, guest_member, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    person = {
        "host_lead": host_lead,
        "guest_member": guest_member,
        "outsider": UserFactory(verified=True),
        "anonymous": None,
    }[who]
    if person is not None:
        client.force_login(person)

    got = client.get(url("events:co_hosting", request.pk))
    posted = client.post(url("events:co_hosting", request.pk), {"decision": "accept"})

    assert got.status_code in (302, 404) and posted.status_code in (302, 404)
    if person is not None:
        assert got.status_code == 404 and posted.status_code == 404
    request.refresh_from_db()
    assert request.state == CoHosting.State.REQUESTED
    assert hosts_only_event not in Event.objects.of_community(guest)


def test_an_unknown_decision_or_id_is_refused_plainly(client, host_lead, guest, guest_lead):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(
        EventFactory(community=host_lead.memberships.first().community), guest, host_lead
    )
    client.force_login(guest_lead)

    response = client.post(
        url("events:co_hosting", request.pk), {"decision": "take-over"}, follow=True
    )
    assert "Choose to accept, decline or withdraw." in page(response)
    assert client.get(url("events:co_hosting", 10**30)).status_code == 404


# --- The form offers only what the lead may name ---------------------------------------------


def test_the_form_never_offers_a_members_only_community_the_lead_cannot_see(
    client, host, host_lead, guest
):
    public = CommunityFactory(name_en="Open Harbour Safety")
    client.force_login(host_lead)

    form = client.get(url("events:create", host.slug))
    assert "Open Harbour Safety" in page(form)
    assert "Paramedic Services" not in page(form)

    data = {
        "title_en": "Drill",
        "title_fr": "Exercice",
        "event_type": "meeting",
        "format": "in_person",
        "summary_en": "x",
        "summary_fr": "x",
        "time_zone": "America/Toronto",
        "start": "2030-01-10T10:00",
        "end": "2030-01-10T12:00",
        "visibility": "hosts",
        "co_hosts": [guest.pk],
    }
    refused = client.post(url("events:create", host.slug), data)
    assert refused.status_code == 400
    assert "Select a valid choice" in page(refused)
    assert not CoHosting.objects.exists() and not Event.objects.filter(title_en="Drill").exists()

    data["co_hosts"] = [public.pk]
    client.post(url("events:create", host.slug), data)
    event = Event.objects.get(title_en="Drill")
    assert CoHosting.objects.get(event=event).community == public
    assert list(event.co_hosts.all()) == []  # asked, not yet a co-host


def test_the_service_refuses_a_community_the_lead_cannot_see(host_lead, guest, hosts_only_event):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.co_hosts_request(event=hosts_only_event, communities=[guest], by=host_lead)
    assert not CoHosting.objects.exists()


def test_unticking_a_co_host_ends_its_request_or_co_hosting(
    host_lead, guest, guest_lead, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    services.co_hosting_answer(co_hosting=request, by=guest_lead, decision="accept")

    services.co_hosts_request(event=hosts_only_event, communities=[], by=host_lead)

    request.refresh_from_db()
    assert request.state == CoHosting.State.WITHDRAWN and request.decided_by == host_lead
    assert hosts_only_event not in Event.objects.of_community(guest)


def test_a_copy_asks_its_co_hosts_again(host_lead, guest, guest_lead, hosts_only_event):
    host_lead = _make_guest_visible_to(host_lead, guest)
    request = _ask(hosts_only_event, guest, host_lead)
    services.co_hosting_answer(co_hosting=request, by=guest_lead, decision="accept")

    copy = services.event_copy(event=hosts_only_event, by=host_lead)

    assert CoHosting.objects.get(event=copy).state == CoHosting.State.REQUESTED
    assert list(copy.co_hosts.all()) == []


# --- Attendee details of a co-host's members ----------------------------------------------------


def _csv_rows(client, event):
    response = client.get(url("events:attendees_csv", event.slug))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_co_hosts_members_details_go_only_to_managers_both_communities_allow(
    client, host_lead, guest, guest_lead, guest_member, hosts_only_event
):
    host_lead = _make_guest_visible_to(host_lead, guest)
    # The host's lead is now a member of the guest too: use another lead of the host, who is not.
    other_lead = UserFactory(verified=True)
    make_member(hosts_only_event.community, other_lead, role=Membership.Role.LEAD)
    request = _ask(hosts_only_event, guest, host_lead)
    services.co_hosting_answer(co_hosting=request, by=guest_lead, decision="accept")
    guest_member.organization = OrganizationFactory(name_en="Paramedic Academy")
    guest_member.save()
    services.event_register(event=hosts_only_event, user=fresh(guest_member))
    client.force_login(other_lead)

    # accepted: the host's managers read the details
    assert any("gus@example.ca" in row for row in _csv_rows(client, hosts_only_event))
    assert "Paramedic Academy" in page(client.get(url("events:attendees", hosts_only_event.slug)))

    services.co_hosting_answer(co_hosting=request, by=guest_lead, decision="withdraw")

    rows = _csv_rows(client, hosts_only_event)
    assert not any("gus@example.ca" in row for row in rows)
    assert any(row[0] == "Details withheld" for row in rows)
    listing = page(client.get(url("events:attendees", hosts_only_event.slug)))
    assert "Gus" not in listing and "Details withheld" in listing
    assert "Paramedic Academy" not in listing
    assert not any("Paramedic Academy" in row for row in rows)
    registration = hosts_only_event.registrations.get()
    assert (
        client.get(
            url("events:attendee_remove", hosts_only_event.slug, registration.pk)
        ).status_code
        == 404
    )
    # an administrator is allowed everywhere
    client.force_login(UserFactory(verified=True, is_superuser=True, is_staff=True))
    assert any("gus@example.ca" in row for row in _csv_rows(client, hosts_only_event))


# --- Pages: the lead's list, in a bounded number of queries, in French ---------------------------


def test_the_leads_list_shows_their_communities_requests_in_french_in_few_queries(
    client, guest, guest_lead, django_assert_max_num_queries
):
    for n in range(6):
        host = CommunityFactory()
        lead = UserFactory(verified=True)
        make_member(host, lead, role=Membership.Role.LEAD)
        make_member(guest, lead)
        _ask(
            EventFactory(community=host, title_en=f"Drill {n}", title_fr=f"Exercice {n}"),
            guest,
            fresh(lead),
        )
    elsewhere = EventFactory(title_fr="Pas pour vous")
    CoHosting.objects.create(event=elsewhere, community=CommunityFactory())
    client.force_login(guest_lead)

    with django_assert_max_num_queries(12):
        response = client.get(url("events:co_hosting_list", lang="fr"))

    text = page(response)
    assert "Demandes de coorganisation" in text
    assert text.count("En attente de réponse") == 6
    assert "Exercice 5" in text and "Pas pour vous" not in text


def test_existing_co_hosts_become_accepted_co_hostings():
    from django.apps import apps

    migration = importlib.import_module("events.migrations.0006_co_hosting_consent")
    event = EventFactory()
    community = CommunityFactory()
    event.co_hosts.add(community)

    migration.existing_co_hosts_accepted(apps, None)

    row = CoHosting.objects.get(event=event, community=community)
    assert row.state == CoHosting.State.ACCEPTED
    assert event in Event.objects.of_community(community)


def test_leads_find_their_requests_from_the_event_list(client, guest_lead, guest_member):
    link = url("events:co_hosting_list")
    client.force_login(guest_lead)
    assert f'href="{link}"' in page(client.get(url("events:list")))
    client.force_login(guest_member)
    assert f'href="{link}"' not in page(client.get(url("events:list")))


def test_the_admin_shows_co_hostings_read_only(client, host_lead, guest, hosts_only_event):
    host_lead = _make_guest_visible_to(host_lead, guest)
    _ask(hosts_only_event, guest, host_lead)
    client.force_login(UserFactory(verified=True, is_superuser=True, is_staff=True))

    response = client.get(reverse("admin:events_event_change", args=[hosts_only_event.pk]))

    assert response.status_code == 200
    assert "Paramedic Services" in page(response) and "Awaiting an answer" in page(response)
    assert 'name="co_hosts"' not in page(response)
