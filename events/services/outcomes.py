"""What an event produced: its outcomes and the documents shared with them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import policies
from events.models import Event, EventDocument, EventOutcome
from members.models import User


@transaction.atomic
def outcome_save(*, outcome: EventOutcome, by: User, publish: bool) -> EventOutcome:
    """Record (and optionally publish to the community) what an event produced. Possible once
    the event has started; publishing marks the event completed."""
    event = Event.objects.select_for_update().get(pk=outcome.event_id)
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    if event.start > timezone.now() or event.status in (
        Event.Status.DRAFT,
        Event.Status.CANCELLED,
    ):
        raise ValidationError(_("Outcomes are recorded after the event."))
    if publish and outcome.published_at is None:
        outcome.published_at = timezone.now()
    if not publish:
        outcome.published_at = None
    outcome.full_clean()
    outcome.save()
    if publish and event.status == Event.Status.PUBLISHED:
        event.status = Event.Status.COMPLETED
        event.save(update_fields=["status", "updated_at"])
    return outcome


@transaction.atomic
def document_add(*, document: EventDocument, by: User) -> EventDocument:
    if not policies.can_manage_event(by, document.event):
        raise PermissionDenied
    document.uploaded_by = by
    document.full_clean()
    document.save()
    return document
