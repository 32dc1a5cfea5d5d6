"""Two people asking for the last seat at the same moment, on the real PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from communities.models import Membership
from events import services
from events.models import Registration
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory


def _run_together(*calls):
    """Start every call at the same instant, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_people_registering_for_the_last_seat_get_one_seat(attempt):
    assert connection.vendor == "postgresql"
    community = CommunityFactory()
    event = EventFactory(community=community, capacity_in_person=1)
    people = [UserFactory() for _ in range(2)]
    for person in people:
        make_member(community, person)

    errors = _run_together(
        *[
            lambda person=person: services.event_register(event=event, user=person)
            for person in people
        ]
    )

    assert errors == []
    states = sorted(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states == [Registration.State.CONFIRMED, Registration.State.WAITLISTED]


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_racing_a_new_registration_never_gives_the_seat_twice():
    community = CommunityFactory()
    event = EventFactory(community=community, capacity_in_person=1)
    lead = UserFactory()
    make_member(community, lead, role=Membership.Role.LEAD)
    holder, waiting, newcomer = (UserFactory() for _ in range(3))
    for person in (holder, waiting, newcomer):
        make_member(community, person)
    seat = services.event_register(event=event, user=holder)
    services.event_register(event=event, user=waiting)

    errors = _run_together(
        lambda: services.registration_cancel(registration=seat, by=holder),
        lambda: services.event_register(event=event, user=newcomer),
    )

    assert errors == []
    confirmed = Registration.objects.filter(event=event, state=Registration.State.CONFIRMED)
    # The waitlisted person had priority over the newcomer, whatever the order of the race.
    assert list(confirmed.values_list("user_id", flat=True)) == [waiting.pk]
    assert Registration.objects.get(user=newcomer).state == Registration.State.WAITLISTED
