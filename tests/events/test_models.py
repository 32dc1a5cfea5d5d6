import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event, Registration
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
OTTAWA = zoneinfo.ZoneInfo("America/Toronto")


def _event(**overrides):
    start = datetime.datetime(2027, 2, 23, 9, 0, tzinfo=OTTAWA)
    values = {
        "community": CommunityFactory(),
        "title_en": "Workshop",
        "title_fr": "Atelier",
        "slug": "workshop",
        "event_type": Event.Type.WORKSHOP,
        "summary_en": "s",
        "summary_fr": "s",
        "start": start,
        "end": start + datetime.timedelta(hours=3),
    }
    values.update(overrides)
    return Event(**values)


def test_an_event_must_end_after_it_starts():
    event = _event()
    event.end = event.start

    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_a_virtual_event_needs_a_link_and_has_no_seats_in_the_room():
    event = _event(format=Event.Format.VIRTUAL, capacity_in_person=20)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert {"virtual_link", "capacity_in_person"} <= set(error.value.message_dict)


def test_a_person_holds_one_current_registration_per_event():
    event = _event()
    event.save()
    user = UserFactory()
    Registration.objects.create(event=event, user=user, state=Registration.State.CONFIRMED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=user, state=Registration.State.WAITLISTED)


def test_a_cancelled_registration_does_not_block_registering_again():
    event = _event()
    event.save()
    user = UserFactory()
    Registration.objects.create(event=event, user=user, state=Registration.State.CANCELLED)

    Registration.objects.create(event=event, user=user, state=Registration.State.CONFIRMED)

    assert event.registrations.count() == 2
