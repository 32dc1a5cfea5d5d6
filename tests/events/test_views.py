import csv
import datetime
import io

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from events import services
from events.models import Event, Registration
from tests.communities.factories import (
    CommunityFactory,
    OrganizationFactory,
    make_member,
    person_as,
)
from tests.events.factories import EventFactory
from tests.helpers import page, statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(name_en="Border Security", name_fr="Sécurité frontalière")


@pytest.fixture
def lead(community):
    user = UserFactory(verified=True)
    make_member(community, user, role=Membership.Role.LEAD)
    return user


def _form_data(**overrides):
    data = {
        "title_en": "Tabletop exercise",
        "title_fr": "Exercice sur table",
        "event_type": Event.Type.EXERCISE,
        "format": Event.Format.HYBRID,
        "summary_en": "A cross-border flooding scenario.",
        "summary_fr": "Un scénario d'inondation transfrontalière.",
        "time_zone": "America/Toronto",
        "start": "2027-02-23T14:30",
        "end": "2027-02-23T16:00",
        "venue_en": "Room 200",
        "venue_fr": "Salle 200",
        "city": "Ottawa",
        "virtual_link": "https://teams.example.ca/meet/42",
        "capacity_in_person": "1",
        "capacity_virtual": "",
        "visibility": Event.Visibility.MEMBERS,
        "reminder_hours": "48, 2",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("lang", "when", "saved"),
    [
        (
            "en",
            "Tuesday, 23 February 2027, 2:30 p.m. to 4 p.m. (EST)",
            "The event was saved as a draft.",
        ),
        (
            "fr",
            "mardi 23 février 2027, de 14\xa0h\xa030 à 16\xa0h (HNE)",
            "L’événement a été enregistré comme ébauche.",
        ),
    ],
)
def test_lead_creates_publishes_and_member_registers_then_is_waitlisted(
    client, community, lead, lang, when, saved
):
    client.force_login(lead)
    response = client.post(
        url("events:create", community.slug, lang=lang), _form_data(), follow=True
    )
    assert saved in page(response)
    event = Event.objects.get()
    # The wall-clock time typed is read in the event's zone, not the server's.
    assert event.start == datetime.datetime(2027, 2, 23, 19, 30, tzinfo=datetime.UTC)
    assert event.status == Event.Status.DRAFT
    assert when in page(response)

    # The draft does not exist for members until published.
    member, other = UserFactory(verified=True), UserFactory(verified=True)
    make_member(community, member)
    make_member(community, other)
    client.force_login(member)
    assert client.get(url("events:detail", event.slug, lang=lang)).status_code == 404

    client.force_login(lead)
    client.post(url("events:publish", event.slug, lang=lang))

    client.force_login(member)
    response = client.post(
        url("events:register", event.slug, lang=lang), {"mode": "in_person"}, follow=True
    )
    expected = {"en": "You are registered", "fr": "Votre inscription est confirmée"}[lang]
    assert expected in page(response)
    # Registered: the meeting link is shown.
    assert "https://teams.example.ca/meet/42" in page(response)

    client.force_login(other)
    detail = page(client.get(url("events:detail", event.slug, lang=lang)))
    assert "https://teams.example.ca/meet/42" not in detail
    response = client.post(
        url("events:register", event.slug, lang=lang), {"mode": "in_person"}, follow=True
    )
    expected = {"en": "you are on the waitlist", "fr": "vous êtes sur la liste d’attente"}[lang]
    assert expected in page(response)
    assert {"en": "position 1", "fr": "rang 1"}[lang] in page(response)


def test_edit_shows_local_times_and_saves_changes(client, community, lead):
    client.force_login(lead)
    client.post(url("events:create", community.slug), _form_data())
    event = Event.objects.get()

    form_page = page(client.get(url("events:edit", event.slug)))
    assert 'value="2027-02-23T14:30"' in form_page

    response = client.post(
        url("events:edit", event.slug),
        _form_data(start="2027-02-23T15:00", time_zone="America/Vancouver"),
        follow=True,
    )
    assert "The event was updated." in page(response)
    event.refresh_from_db()
    assert event.start == datetime.datetime(2027, 2, 23, 23, 0, tzinfo=datetime.UTC)
    assert "(PST)" in page(response)


def test_form_errors_are_shown_next_to_fields_and_in_a_summary(client, community, lead):
    client.force_login(lead)

    response = client.post(
        url("events:create", community.slug, lang="fr"),
        _form_data(end="2027-02-23T13:00", virtual_link="", title_fr=""),
    )

    assert response.status_code == 400
    text = page(response)
    assert "error-summary" in text
    assert "L’événement doit se terminer après son début." in text
    assert 'aria-invalid="true"' in text


def test_members_cannot_create_edit_or_see_the_attendee_list(client, community):
    member = UserFactory(verified=True)
    make_member(community, member)
    event = EventFactory(community=community)
    client.force_login(member)

    assert client.get(url("events:create", community.slug)).status_code == 403
    assert client.get(url("events:edit", event.slug)).status_code == 403
    assert client.get(url("events:attendees", event.slug)).status_code == 403
    assert client.get(url("events:attendees_csv", event.slug)).status_code == 403
    assert client.post(url("events:cancel", event.slug)).status_code == 403
    assert client.post(url("events:copy", event.slug)).status_code == 403
    assert client.get(url("events:register", event.slug)).status_code == 405


def test_events_of_private_communities_do_not_exist_for_outsiders(client):
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    event = EventFactory(community=private, visibility=Event.Visibility.MEMBERS)
    client.force_login(UserFactory(verified=True))

    assert client.get(url("events:detail", event.slug)).status_code == 404
    assert client.post(url("events:register", event.slug)).status_code == 404
    assert client.get(url("events:ics", event.slug)).status_code == 404
    assert client.get(url("events:attendees", event.slug)).status_code == 404
    assert event.title_en not in page(client.get(url("events:list")))


def test_cancelling_a_registration_promotes_the_waitlist(client, community):
    event = EventFactory(community=community, capacity_in_person=1)
    holder, waiting = UserFactory(verified=True), UserFactory(verified=True)
    for person in (holder, waiting):
        make_member(community, person)
        services.event_register(event=event, user=person)
    client.force_login(holder)

    response = client.post(url("events:unregister", event.slug, lang="fr"), follow=True)

    assert "Votre inscription a été annulée." in page(response)
    assert Registration.objects.get(user=waiting).state == Registration.State.CONFIRMED


def test_attendee_list_csv_and_attendance(client, community, lead):
    organization = OrganizationFactory(name_en="=Health Canada")
    event = EventFactory(community=community, capacity_in_person=1)
    people = [UserFactory(verified=True, organization=organization) for _ in range(3)]
    for person in people:
        make_member(community, person)
        services.event_register(event=event, user=person)
    client.force_login(lead)

    text = page(client.get(url("events:attendees", event.slug)))
    assert "Waitlist (2)" in text
    assert text.index(people[1].last_name) < text.index(people[2].last_name)

    response = client.get(url("events:attendees_csv", event.slug))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Last name", "First name", "Email address"]
    assert [row[5] for row in rows[1:]] == ["Confirmed", "Waitlisted", "Waitlisted"]
    assert [row[6] for row in rows[1:]] == ["", "1", "2"]
    assert rows[1][3] == "'=Health Canada"  # no formula runs in a spreadsheet

    # Attendance: refused before the start, then recorded.
    confirmed = Registration.objects.get(user=people[0])
    response = client.post(
        url("events:attendance", event.slug), {"attended": [confirmed.pk]}, follow=True
    )
    assert "Attendance can be recorded once the event has started." in page(response)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    response = client.post(
        url("events:attendance", event.slug), {"attended": [confirmed.pk]}, follow=True
    )
    assert "Attendance saved: 1 person attended." in page(response)
    confirmed.refresh_from_db()
    assert confirmed.state == Registration.State.ATTENDED


def test_lead_messages_the_registrants(
    client, community, lead, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community)
    member = UserFactory(verified=True, preferred_language="fr")
    make_member(community, member)
    services.event_register(event=event, user=member)
    mailoutbox.clear()
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("events:message", event.slug),
            {"audience": "all", "subject": "Parking", "body": "Use the east entrance."},
            follow=True,
        )

    assert "Your message was sent to 1 person." in page(response)
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert message.subject == f"Parking ({event.title_fr})"
    assert "Use the east entrance." in message.body


def test_lead_cancels_and_copies(client, community, lead):
    event = EventFactory(community=community)
    client.force_login(lead)

    assert "Cancel the event" in page(client.get(url("events:cancel", event.slug)))
    response = client.post(url("events:cancel", event.slug), follow=True)
    assert "This event was cancelled." in page(response)

    response = client.post(url("events:copy", event.slug), follow=True)
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT
    assert response.redirect_chain[-1][0] == url("events:edit", copy.slug)


def test_outcomes_are_recorded_and_published_with_attendance(client, community, lead):
    event = EventFactory(
        community=community,
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(hours=2),
    )
    member = UserFactory(verified=True, organization=OrganizationFactory(name_en="CBSA"))
    make_member(community, member)
    Registration.objects.create(event=event, user=member, state=Registration.State.ATTENDED)
    client.force_login(lead)

    response = client.post(
        url("events:outcomes", event.slug),
        {
            "summary_en": "We tested the plan.",
            "summary_fr": "Nous avons mis le plan à l'épreuve.",
            "key_takeaways_en": "Radio gaps.",
            "publish": "on",
        },
        follow=True,
    )

    text = page(response)
    assert "We tested the plan." in text
    assert "Attendance by organization" in text and "CBSA" in text
    event.refresh_from_db()
    assert event.status == Event.Status.COMPLETED
    client.force_login(member)
    assert "Radio gaps." in page(client.get(url("events:detail", event.slug)))


def test_list_filters_and_shows_my_status_in_a_fixed_number_of_queries(
    client, community, django_assert_max_num_queries
):
    other = CommunityFactory()
    member = UserFactory(verified=True)
    make_member(community, member)
    for _ in range(8):
        event = EventFactory(community=community, event_type=Event.Type.MEETING)
        event.co_hosts.add(other)
        services.event_register(event=event, user=member)
    EventFactory(community=other, event_type=Event.Type.CONFERENCE, title_en="Annual conference")
    client.force_login(member)

    # Built from the database (nothing kept yet): the page's ids, their versions, then rows.
    with django_assert_max_num_queries(13):
        response = client.get(url("events:list"))
    text = page(response)
    assert "9 events found." in text
    assert text.count("You are registered") == 8

    response = client.get(url("events:list"), {"type": Event.Type.CONFERENCE})
    assert "1 event found." in page(response) and "Annual conference" in page(response)
    response = client.get(url("events:list"), {"community": other.pk})
    assert "9 events found." in page(response)  # co-hosted events count for the co-host


def test_month_calendar_places_events_on_their_days(
    client, community, django_assert_max_num_queries
):
    start = datetime.datetime(2027, 2, 23, 19, 30, tzinfo=datetime.UTC)
    for i in range(6):
        EventFactory(
            community=community,
            visibility=Event.Visibility.PUBLIC,
            start=start + datetime.timedelta(days=i),
            end=start + datetime.timedelta(days=i, hours=2),
            title_en=f"Session {i}",
            title_fr=f"Séance {i}",
        )

    with django_assert_max_num_queries(8):
        response = client.get(url("events:calendar", lang="fr"), {"month": "2027-02"})

    text = page(response)
    assert "Événements – février 2027" in text
    assert "Séance 5" in text  # 28 February
    response = client.get(url("events:calendar"), {"month": "2027-03"})
    assert "Session 0" not in page(response)


# Who sees which of a public community's events: public ones, those for all (vetted) members,
# those for its hosts only.
SEES_BY_ROLE = pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("anonymous", {"Open day"}),
        ("guest", {"Open day"}),
        ("non_member", {"Open day", "Members day"}),
        ("member", {"Open day", "Members day", "Hosts day"}),
        ("admin", {"Open day", "Members day", "Hosts day"}),
    ],
)
EVENTS_BY_VISIBILITY = [
    ("Open day", Event.Visibility.PUBLIC),
    ("Members day", Event.Visibility.MEMBERS),
    ("Hosts day", Event.Visibility.HOSTS),
]


def _titles_shown(text: str) -> set[str]:
    return {title for title, _visibility in EVENTS_BY_VISIBILITY if title in text}


@SEES_BY_ROLE
def test_the_calendar_shows_each_person_the_events_they_may_see(client, role, shown):
    # given a public community's public, all-members and host-only events in one month
    host = CommunityFactory()
    start = datetime.datetime(2027, 4, 14, 15, 0, tzinfo=datetime.UTC)
    for day, (title, visibility) in enumerate(EVENTS_BY_VISIBILITY):
        moment = start + datetime.timedelta(days=day)
        EventFactory(
            community=host,
            visibility=visibility,
            title_en=title,
            start=moment,
            end=moment + datetime.timedelta(hours=2),
        )
    person = person_as(role, host)
    if person is not None:
        client.force_login(person)
    # when the person opens that month
    text = page(client.get(url("events:calendar"), {"month": "2027-04"}))
    # then they see exactly the events the policies let them see
    assert _titles_shown(text) == shown


@SEES_BY_ROLE
def test_the_event_list_counts_and_shows_each_person_the_events_they_may_see(client, role, shown):
    # given a public community's public, all-members and host-only upcoming events
    host = CommunityFactory()
    for title, visibility in EVENTS_BY_VISIBILITY:
        EventFactory(community=host, visibility=visibility, title_en=title)
    person = person_as(role, host)
    if person is not None:
        client.force_login(person)
    # when the person opens the event list, with no filter
    text = page(client.get(url("events:list")))
    # then it counts and lists exactly the events the policies let them see
    assert _titles_shown(text) == shown
    assert f"{len(shown)} event{'s' if len(shown) > 1 else ''} found." in text


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("anonymous", False),
        ("guest", False),
        ("non_member", False),
        ("observer", True),
        ("portfolio_manager", True),
        ("admin", True),
    ],
)
def test_the_event_filters_offer_a_members_only_community_only_to_those_who_see_it(
    client, role, offered
):
    # given a members-only community and a public one
    hidden = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Vault")
    shown = CommunityFactory(name_en="Harbour")
    person = person_as(role, hidden)
    if person is not None:
        client.force_login(person)
    for name in ("events:list", "events:calendar", "past_events:list"):
        # when the person opens the list, the calendar or the past events
        html = page(client.get(url(name)))
        # then the community filter offers the public community, and the members-only one
        # exactly to those who may see it
        assert f'<option value="{shown.pk}">Harbour</option>' in html, name
        assert (f'<option value="{hidden.pk}">Vault</option>' in html) is offered, name


def test_lead_cancels_a_registration_and_the_waitlist_moves_up(client, community, lead):
    event = EventFactory(community=community, capacity_in_person=1)
    holder, waiting = UserFactory(verified=True), UserFactory(verified=True)
    for person in (holder, waiting):
        make_member(community, person)
        services.event_register(event=event, user=person)
    seat = Registration.objects.get(user=holder)
    client.force_login(lead)

    confirm = page(client.get(url("events:attendee_remove", event.slug, seat.pk, lang="fr")))
    assert "Annuler l’inscription" in confirm
    response = client.post(url("events:attendee_remove", event.slug, seat.pk), follow=True)

    assert "was cancelled" in page(response)
    assert Registration.objects.get(user=waiting).state == Registration.State.CONFIRMED
    client.force_login(holder)
    assert client.post(url("events:attendee_remove", event.slug, seat.pk)).status_code == 403


def test_only_my_communities_filter(client, community):
    other = CommunityFactory()
    member = UserFactory(verified=True)
    make_member(community, member)
    EventFactory(community=community, title_en="Ours")
    EventFactory(community=other, title_en="Theirs")
    client.force_login(member)

    text = page(client.get(url("events:list"), {"mine": "on"}))

    assert "Ours" in text and "Theirs" not in text


def test_event_page_runs_a_fixed_number_of_queries(
    client, community, lead, django_assert_max_num_queries
):
    event = EventFactory(
        community=community,
        format=Event.Format.HYBRID,
        virtual_link="https://teams.example.ca/meet/1",
        capacity_in_person=3,
    )
    co_hosts = [
        CommunityFactory(name_en=f"Harbour Partner {n}", name_fr=f"Partenaire portuaire {n}")
        for n in range(3)
    ]
    event.co_hosts.add(*co_hosts)
    for _ in range(5):
        person = UserFactory()
        make_member(community, person)
        services.event_register(event=event, user=person, mode="virtual")
    client.force_login(lead)

    with django_assert_max_num_queries(21):
        response = client.get(url("events:detail", event.slug))

    html = page(response)
    assert "3 seats left of 3" in html
    for co_host in co_hosts:
        assert f'<a href="{co_host.get_absolute_url()}">{co_host.name_en}</a>' in html
    # The co-hosts are read for their names and addresses, not their whole rows.
    shown = list(response.context["event"].co_hosts.all())
    assert sorted(c.pk for c in shown) == sorted(c.pk for c in co_hosts)
    assert all({"summary_en", "objectives_intro_en"} <= c.get_deferred_fields() for c in shown)
    # and they stay the event's own: a further filter does not reach other communities
    assert not response.context["event"].co_hosts.filter(pk=community.pk).exists()
    assert response.context["event"].co_hosts.filter(pk=co_hosts[0].pk).exists()
    french = page(client.get(url("events:detail", event.slug, lang="fr")))
    assert "Partenaire portuaire 2" in french


def test_the_event_page_lists_the_documents_with_the_outcomes_it_shows(
    client, community, lead, django_assert_max_num_queries
):
    """Documents belong to the outcomes: a member sees them once the outcomes are published, the
    lead already while they are a draft; a page without outcomes to show does not read them."""
    from django.core.files.base import ContentFile

    from events.models import EventDocument, EventOutcome

    event = EventFactory(community=community)
    member = UserFactory(verified=True)
    make_member(community, member)
    for title in ("Slides", "Minutes"):
        EventDocument.objects.create(
            event=event,
            title_en=title,
            title_fr=f"{title} (fr)",
            file=ContentFile(b"%PDF-1.7\n%%EOF\n", name="d.pdf"),
            original_name="d.pdf",
        )
    client.force_login(member)
    client.get(url("events:detail", event.slug))
    with django_assert_max_num_queries(30) as no_outcome:
        text = page(client.get(url("events:detail", event.slug)))
    assert "Minutes" not in text and "Documents" not in text
    outcome = EventOutcome.objects.create(event=event, summary_en="Done", summary_fr="Fait")

    draft_for_member = page(client.get(url("events:detail", event.slug)))
    client.force_login(lead)
    draft_for_lead = page(client.get(url("events:detail", event.slug)))
    outcome.published_at = timezone.now()
    outcome.save()
    client.force_login(member)
    with django_assert_max_num_queries(30) as published:
        shown = page(client.get(url("events:detail", event.slug, lang="fr")))

    assert "Minutes" not in draft_for_member
    assert "Minutes" in draft_for_lead and "Slides" in draft_for_lead
    assert "Minutes (fr)" in shown and "Slides (fr)" in shown
    assert shown.index("Minutes (fr)") < shown.index("Slides (fr)")
    assert not any("events_eventdocument" in sql for sql in statements(no_outcome))
    # Both documents from one query, each linked through the event already read.
    assert sum("events_eventdocument" in sql for sql in statements(published)) == 1


def test_outcome_documents_are_checked_private_and_read_only_through_the_policy(client):
    """A renamed web page is refused; a document is read through the event once its outcomes
    are published, never from a public URL."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.models import EventDocument, EventOutcome
    from tests.communities.factories import CommunityFactory, make_member
    from tests.events.factories import EventFactory
    from tests.members.factories import UserFactory

    community = CommunityFactory()
    lead, member = UserFactory(verified=True), UserFactory(verified=True)
    make_member(community, lead, role="lead")
    make_member(community, member)
    event = EventFactory(community=community)
    client.force_login(lead)
    upload_url = f"/en/events/{event.slug}/documents/"

    refused = client.post(
        upload_url,
        {
            "title_en": "Minutes",
            "title_fr": "Procès-verbal",
            "file": SimpleUploadedFile("minutes.pdf", b"<html><script>x</script></html>"),
        },
    )
    client.post(
        upload_url,
        {
            "title_en": "Minutes",
            "title_fr": "Procès-verbal",
            "file": SimpleUploadedFile("../../Minutes 2026.pdf", b"%PDF-1.7\n%%EOF\n"),
        },
    )

    assert "does not match its type" in refused.content.decode()
    document = EventDocument.objects.get()
    assert document.original_name == "Minutes 2026.pdf"
    assert "/media/" not in document.get_absolute_url()
    client.force_login(member)
    assert client.get(document.get_absolute_url()).status_code == 404  # not published yet
    EventOutcome.objects.create(
        event=event, summary_en="s", summary_fr="s", published_at=timezone.now()
    )
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert 'filename="Minutes 2026.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_event_list_is_paginated_and_counts_every_event(client):
    from tests.communities.factories import CommunityFactory
    from tests.events.factories import EventFactory

    community = CommunityFactory()
    for _ in range(30):
        EventFactory(community=community, visibility="public")

    first = client.get("/en/events/").content.decode()
    second = client.get("/en/events/?page=2").content.decode()

    assert "30 events found." in first
    assert first.count('class="event-item"') == 25
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert second.count('class="event-item"') == 5


def test_attendance_ignores_values_that_are_not_ids(client, community, lead):
    """F8: "²" passes str.isdigit() and a 30-digit number overflows the column."""
    event = EventFactory(community=community)
    person = UserFactory(verified=True)
    make_member(community, person)
    registration = services.event_register(event=event, user=person)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    client.force_login(lead)

    response = client.post(
        url("events:attendance", event.slug),
        {"attended": ["²", "9" * 30, "abc", str(registration.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Attendance saved: 1 person attended." in page(response)


def test_the_seats_left_count_those_holding_a_seat_for_each_mode(client, community):
    event = EventFactory(
        community=community,
        visibility="public",
        format=Event.Format.HYBRID,
        virtual_link="https://teams.example.ca/meet/2",
        capacity_in_person=4,
        capacity_virtual=2,
    )
    other = EventFactory(community=community, visibility="public", capacity_in_person=4)
    state = Registration.State
    for mode, states in (
        ("in_person", [state.CONFIRMED, state.CONFIRMED, state.ATTENDED, state.CANCELLED]),
        ("virtual", [state.CONFIRMED]),
    ):
        for each in states:
            Registration.objects.create(event=event, user=UserFactory(), mode=mode, state=each)
    Registration.objects.create(
        event=event, user=UserFactory(), mode="in_person", state=state.WAITLISTED
    )
    Registration.objects.create(
        event=other, user=UserFactory(), mode="in_person", state=state.CONFIRMED
    )

    for _visit in range(2):  # the second visit runs the prepared query
        html = page(client.get(url("events:detail", event.slug)))
        assert "1 seat left of 4" in html and "1 seat left of 2" in html
    assert "3 seats left of 4" in page(client.get(url("events:detail", other.slug)))
