import datetime

import factory
from django.utils import timezone

from events.models import Event, EventReminder
from tests.communities.factories import CommunityFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A published in-person workshop a week from now, three hours long, in Ottawa time."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    event_type = Event.Type.WORKSHOP
    format = Event.Format.IN_PERSON
    summary_en = "Sharing lessons learned."
    summary_fr = "Mise en commun des leçons apprises."
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    time_zone = "America/Toronto"
    venue_en = "Shirley's Bay campus"
    venue_fr = "Campus de Shirley's Bay"
    city = "Ottawa"
    province = "ON"
    visibility = Event.Visibility.MEMBERS
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def reminders(self, create, extracted, **kwargs):
        if create:
            for hours in extracted if extracted is not None else (48, 2):
                EventReminder.objects.create(event=self, hours_before=hours)
