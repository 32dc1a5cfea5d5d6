import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from events import selectors, services
from events.models import Event, Registration
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def lead(community):
    user = UserFactory()
    make_member(community, user, role=Membership.Role.LEAD)
    return user


def _members(community, n, **kwargs):
    users = [UserFactory(**kwargs) for _ in range(n)]
    for user in users:
        make_member(community, user)
    return users


def test_register_confirms_while_seats_remain_then_waitlists(
    community, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community, capacity_in_person=1)
    first, second = _members(community, 2)

    with django_capture_on_commit_callbacks(execute=True):
        a = services.event_register(event=event, user=first)
        b = services.event_register(event=event, user=second)

    assert a.state == Registration.State.CONFIRMED
    assert b.state == Registration.State.WAITLISTED
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        f"You are on the waitlist: {event.title_en}",
        f"You are registered: {event.title_en}",
    ]


def test_registering_twice_is_refused(community):
    event = EventFactory(community=community)
    (user,) = _members(community, 1)
    services.event_register(event=event, user=user)

    with pytest.raises(ValidationError, match="already registered"):
        services.event_register(event=event, user=user)


OPENS = datetime.datetime(2027, 5, 3, 13, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2027, 5, 10, 13, 0, tzinfo=datetime.UTC)
STARTS = datetime.datetime(2027, 5, 20, 13, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
REGISTERED = None


@pytest.mark.parametrize(
    ("status", "at", "refusal"),
    [
        # the window is open from its first minute up to, not including, its closing time
        pytest.param(
            Event.Status.PUBLISHED,
            OPENS - MINUTE,
            (ValidationError, "has not opened yet"),
            id="published-before-it-opens",
        ),
        pytest.param(Event.Status.PUBLISHED, OPENS, REGISTERED, id="published-as-it-opens"),
        pytest.param(
            Event.Status.PUBLISHED, CLOSES - MINUTE, REGISTERED, id="published-before-it-closes"
        ),
        pytest.param(
            Event.Status.PUBLISHED,
            CLOSES,
            (ValidationError, "Registration is closed"),
            id="published-as-it-closes",
        ),
        # inside the window, only a published event takes registrations
        *(
            pytest.param(status, OPENS, (PermissionDenied, None), id=f"{status}-in-the-window")
            for status in (Event.Status.DRAFT, Event.Status.CANCELLED, Event.Status.COMPLETED)
        ),
    ],
)
def test_registration_respects_status_and_window(community, status, at, refusal):
    event = EventFactory(
        community=community,
        status=status,
        start=STARTS,
        end=STARTS + datetime.timedelta(hours=3),
        registration_opens_at=OPENS,
        registration_closes_at=CLOSES,
    )
    (user,) = _members(community, 1)

    with time_machine.travel(at, tick=False):
        if refusal is REGISTERED:
            services.event_register(event=event, user=user)
        else:
            error, message = refusal
            with pytest.raises(error, match=message):
                services.event_register(event=event, user=user)

    registered = Registration.objects.filter(event=event, user=user).exists()
    assert registered == (refusal is REGISTERED)


@pytest.mark.parametrize(
    ("at", "refusal"),
    [
        pytest.param(STARTS - MINUTE, REGISTERED, id="a-minute-before-the-start"),
        pytest.param(STARTS, "This event has already started", id="at-the-start"),
    ],
)
def test_without_a_window_registration_stays_open_until_the_event_starts(community, at, refusal):
    event = EventFactory(
        community=community, start=STARTS, end=STARTS + datetime.timedelta(hours=3)
    )
    (user,) = _members(community, 1)

    with time_machine.travel(at, tick=False):
        if refusal is REGISTERED:
            services.event_register(event=event, user=user)
        else:
            with pytest.raises(ValidationError, match=refusal):
                services.event_register(event=event, user=user)

    registered = Registration.objects.filter(event=event, user=user).exists()
    assert registered == (refusal is REGISTERED)


def test_a_freed_seat_goes_to_the_first_waitlisted_person_who_is_told(
    community, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community, capacity_in_person=1)
    holder, first_waiting, second_waiting = _members(community, 3)
    seat = services.event_register(event=event, user=holder)
    services.event_register(event=event, user=first_waiting)
    services.event_register(event=event, user=second_waiting)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seat, by=holder)

    states = dict(Registration.objects.filter(event=event).values_list("user_id", "state"))
    assert states == {
        holder.pk: Registration.State.CANCELLED,
        first_waiting.pk: Registration.State.CONFIRMED,
        second_waiting.pk: Registration.State.WAITLISTED,
    }
    assert [m.to for m in mailoutbox] == [[first_waiting.email]]
    assert mailoutbox[0].subject.startswith("A seat freed up")


def test_hybrid_seats_and_waitlists_are_counted_per_mode(community):
    event = EventFactory(
        community=community,
        format=Event.Format.HYBRID,
        virtual_link="https://teams.example.ca/meet/1",
        capacity_in_person=1,
        capacity_virtual=1,
    )
    a, b, c = _members(community, 3)

    assert services.event_register(event=event, user=a, mode="in_person").state == "confirmed"
    assert services.event_register(event=event, user=b, mode="virtual").state == "confirmed"
    assert services.event_register(event=event, user=c, mode="in_person").state == "waitlisted"


def test_raising_the_capacity_promotes_the_waitlist(community, lead):
    event = EventFactory(community=community, capacity_in_person=1)
    a, b = _members(community, 2)
    services.event_register(event=event, user=a)
    services.event_register(event=event, user=b)

    event.capacity_in_person = 2
    services.event_update(event=event, by=lead)

    assert Registration.objects.get(user=b).state == Registration.State.CONFIRMED


def test_changing_the_time_tells_registrants_and_raises_the_revision(
    community, lead, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community)
    (member,) = _members(community, 1, preferred_language="fr")
    services.event_register(event=event, user=member)
    mailoutbox.clear()

    event.start += datetime.timedelta(hours=1)
    event.end += datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, by=lead)

    event.refresh_from_db()
    assert event.sequence == 1
    assert [m.subject for m in mailoutbox] == [f"Modifié\xa0: {event.title_fr}"]


def test_a_change_of_summary_only_tells_nobody(
    community, lead, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community)
    (member,) = _members(community, 1)
    services.event_register(event=event, user=member)
    mailoutbox.clear()

    event.summary_en = "New summary."
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, by=lead)

    assert mailoutbox == []


def test_cancelling_tells_registrants(
    community, lead, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(community=community, capacity_in_person=1)
    a, b = _members(community, 2)
    services.event_register(event=event, user=a)
    services.event_register(event=event, user=b)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, by=lead)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([a.email, b.email])
    assert all(m.subject == f"Cancelled: {event.title_en}" for m in mailoutbox)


def test_only_leads_create_publish_and_copy(community, lead):
    (member,) = _members(community, 1)
    draft = EventFactory.build(community=community, slug="")

    with pytest.raises(PermissionDenied):
        services.event_create(event=draft, community=community, by=member)
    event = services.event_create(event=draft, community=community, by=lead)
    assert event.status == Event.Status.DRAFT
    assert event.slug.startswith("workshop")
    assert sorted(event.reminders.values_list("hours_before", flat=True)) == [2, 48]

    with pytest.raises(PermissionDenied):
        services.event_publish(event=event, by=member)
    services.event_publish(event=event, by=lead)
    with pytest.raises(PermissionDenied):
        services.event_copy(event=event, by=member)
    copy = services.event_copy(event=event, by=lead)

    assert copy.pk != event.pk and copy.slug != event.slug
    assert copy.status == Event.Status.DRAFT
    assert copy.title_fr == event.title_fr
    assert sorted(copy.reminders.values_list("hours_before", flat=True)) == [2, 48]


def test_attendance_marks_who_came_and_is_counted_by_organization_and_sector(community, lead):
    from tests.communities.factories import OrganizationFactory

    event = EventFactory(community=community)
    organization = OrganizationFactory(name_en="Health Canada")
    a, b = _members(community, 2, organization=organization)
    ra = services.event_register(event=event, user=a)
    services.event_register(event=event, user=b)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=1),
    )
    event.refresh_from_db()

    count = services.registrations_mark_attendance(event=event, by=lead, attended_ids=[ra.pk])

    assert count == 1
    breakdown = selectors.attendance_breakdown(event)
    assert breakdown["organizations"] == [("Health Canada", 1)]
    assert breakdown["sectors"] == [("Federal", 1)]
