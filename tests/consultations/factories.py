import datetime

from django.utils import timezone

from consultations.models import Consultation, Question

HOUR = datetime.timedelta(hours=1)


def consultation(
    *communities,
    by=None,
    audience=Consultation.Audience.COMMUNITY,
    state="open",
    questions=(("What do you think?", "Qu’en pensez-vous?"), ("Anything else?", "Autre chose?")),
    **values,
) -> Consultation:
    """A consultation of `communities` in a given state: scheduled, open, closed or published
    (written directly: the services are tested on their own)."""
    now = timezone.now()
    opens, closes = {
        "scheduled": (now + 24 * HOUR, now + 240 * HOUR),
        "open": (now - HOUR, now + 240 * HOUR),
        "closed": (now - 240 * HOUR, now - HOUR),
        "published": (now - 240 * HOUR, now - HOUR),
    }[state]
    item = Consultation.objects.create(
        title_en=values.pop("title_en", "Draft strategy"),
        title_fr=values.pop("title_fr", "Ébauche de stratégie"),
        context_en="Tell us what you think.",
        context_fr="Dites-nous ce que vous en pensez.",
        audience=audience,
        opens_at=opens,
        closes_at=closes,
        created_by=by,
        published_at=now if state == "published" else None,
        summary_en="We heard a lot." if state == "published" else "",
        summary_fr="Nous avons beaucoup entendu." if state == "published" else "",
        opening_notified_at=opens if state != "scheduled" else None,
        **values,
    )
    item.communities.set(communities)
    for position, (en, fr) in enumerate(questions, start=1):
        Question.objects.create(consultation=item, position=position, text_en=en, text_fr=fr)
    return item
