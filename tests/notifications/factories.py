"""Notification rows for tests, written directly.

A test about who is told, and how, goes through notifications.services.notify (preferences,
keys, the queue after commit); these factories are for tests that need an outbox row, a
preference or a schedule to exist already.
"""

import factory
from django.utils import timezone

from communities import kinds as community_kinds
from notifications.models import (
    DeliveryState,
    Digest,
    DigestSchedule,
    Frequency,
    Notification,
    NotificationPreference,
)
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A pending immediate email to a member, about a new member of a community."""

    class Meta:
        model = Notification

    kind = community_kinds.COMMUNITY_NEW_MEMBER
    recipient = factory.SubFactory(UserFactory, verified=True)
    email = factory.LazyAttribute(lambda o: o.recipient.email if o.recipient else "")
    community = factory.SubFactory(CommunityFactory)
    context = factory.LazyFunction(lambda: {"member_name": "Sam Singh"})
    frequency = Frequency.IMMEDIATE
    state = DeliveryState.PENDING
    # As notify writes it: an immediate email is due now, a digest item waits for its digest.
    next_attempt_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.frequency == Frequency.IMMEDIATE else None
    )


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    """A member's choice for one kind, everywhere (`community=…` for one community)."""

    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory, verified=True)
    kind = community_kinds.COMMUNITY_NEW_MEMBER
    community = None
    frequency = Frequency.IMMEDIATE


class DigestScheduleFactory(factory.django.DjangoModelFactory):
    """When a member's digests go out: the defaults (8:00 Eastern, weekly on Monday)."""

    class Meta:
        model = DigestSchedule

    user = factory.SubFactory(UserFactory, verified=True)
    hour = DigestSchedule.DEFAULT_HOUR
    weekday = DigestSchedule.DEFAULT_WEEKDAY
    time_zone = DigestSchedule.DEFAULT_TIME_ZONE


class DigestFactory(factory.django.DjangoModelFactory):
    """A pending daily digest due now; its items are Notifications with `digest=` this."""

    class Meta:
        model = Digest

    recipient = factory.SubFactory(UserFactory, verified=True)
    frequency = Frequency.DAILY
    period_end = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0))
    state = DeliveryState.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)
