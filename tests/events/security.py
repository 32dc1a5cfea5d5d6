"""The events app's part of tests/security: its objects in the private community's world and the
access rule of each of its URLs (see tests/security/rules.py and world.py, which load these)."""

from __future__ import annotations


def extend_world(world) -> None:
    """A published members-only event of the private community, with the author registered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events import services
    from events.models import Event, EventDocument
    from tests.events.factories import EventFactory

    world.event = EventFactory(
        community=world.private,
        visibility=Event.Visibility.MEMBERS,
        capacity_in_person=5,
        title_en="Private workshop",
        title_fr="Atelier privé",
    )
    world.event_registration = services.event_register(event=world.event, user=world.author)
    # another community's event that asks the private community to co-host it (not answered):
    # only the private community's leads answer it
    from events.models import CoHosting
    from tests.communities.factories import CommunityFactory

    world.co_hosting = CoHosting.objects.create(
        event=EventFactory(
            community=CommunityFactory(name_en="Neighbour CoP", name_fr="CdP voisine"),
            visibility=Event.Visibility.HOSTS,
            title_en="Neighbour drill",
            title_fr="Exercice voisin",
        ),
        community=world.private,
    )
    # an outcome document, its outcomes not published yet: only the event's managers read it
    world.event_document = EventDocument.objects.create(
        event=world.event,
        title_en="Draft minutes",
        title_fr="Procès-verbal provisoire",
        file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.7\n%%EOF\n"),
        original_name="minutes.pdf",
        content_type="application/pdf",
    )


def event_rules() -> dict:
    """Imported lazily: tests/security/rules.py calls this at its end."""
    from tests.security.rules import MANAGERS, VIEWERS, Rule, bad_token, public, signed_in

    def event(world):
        return {"slug": world.event.slug}

    event_form = {
        "title_en": "Taken over",
        "title_fr": "Pris",
        "event_type": "meeting",
        "format": "in_person",
        "summary_en": "x",
        "summary_fr": "x",
        "time_zone": "America/Toronto",
        "start": "2030-01-10T10:00",
        "end": "2030-01-10T12:00",
        "visibility": "public",
    }
    return {
        "events:list": public("lists only what events_visible_to lets through"),
        "events:calendar": public("lists only what events_visible_to lets through"),
        "events:feed_settings": signed_in("one's own calendar feed"),
        "events:feed": bad_token(),
        "events:create": Rule(
            MANAGERS,
            args=lambda w: {"community_slug": w.private.slug},
            data=lambda w: event_form,
        ),
        "events:detail": Rule(VIEWERS, args=event),
        "events:ics": Rule(VIEWERS, args=event),
        "events:register": Rule(
            VIEWERS, args=event, why="signed-in people who see a members event may register"
        ),
        "events:unregister": Rule(VIEWERS, args=event, why="one's own registration only"),
        "events:edit": Rule(MANAGERS, args=event, data=lambda w: event_form),
        "events:publish": Rule(MANAGERS, args=event),
        "events:cancel": Rule(MANAGERS, args=event),
        "events:copy": Rule(MANAGERS, args=event),
        "events:attendees": Rule(MANAGERS, args=event),
        "events:attendees_csv": Rule(MANAGERS, args=event),
        "events:attendance": Rule(
            MANAGERS, args=event, data=lambda w: {"attended": [w.event_registration.pk]}
        ),
        "events:attendee_remove": Rule(
            MANAGERS, args=lambda w: {"slug": w.event.slug, "pk": w.event_registration.pk}
        ),
        "events:message": Rule(
            MANAGERS,
            args=event,
            data=lambda w: {"audience": "all", "subject": "Spam", "body": "Spam"},
        ),
        "events:outcomes": Rule(
            MANAGERS,
            args=event,
            data=lambda w: {"summary_en": "x", "summary_fr": "x", "publish": "on"},
        ),
        "events:document_upload": Rule(
            MANAGERS, args=event, data=lambda w: {"title_en": "x", "title_fr": "x"}
        ),
        "events:co_hosting_list": signed_in("lists only the requests to one's own communities"),
        "events:co_hosting": Rule(
            MANAGERS,
            args=lambda w: {"pk": w.co_hosting.pk},
            data=lambda w: {"decision": "accept"},
            why="only the asked community's leads answer; the host's leads never do",
        ),
        "events:document_download": Rule(
            MANAGERS,
            args=lambda w: {"slug": w.event.slug, "pk": w.event_document.pk},
            why="outcomes not published yet",
        ),
    }
