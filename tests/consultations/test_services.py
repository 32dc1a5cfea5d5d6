"""Opening, answering, closing and publishing consultations, and their notices."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from consultations import seed, services, tasks
from consultations.models import Consultation, Response
from portal.seed.cssp import LoadReport, loader
from tests.communities.factories import CommunityFactory, make_member
from tests.consultations.factories import consultation
from tests.helpers import run_beat
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
OPENS = datetime.datetime(2027, 3, 1, 14, 0, tzinfo=datetime.UTC)
CLOSES = OPENS + datetime.timedelta(days=14)


@pytest.fixture
def community():
    community = CommunityFactory()
    lead = UserFactory(verified=True, preferred_language="en")
    make_member(community, lead, Membership.Role.LEAD)
    en = UserFactory(verified=True, preferred_language="en")
    fr = UserFactory(verified=True, preferred_language="fr")
    make_member(community, en)
    make_member(community, fr)
    observer = UserFactory(verified=True)
    make_member(community, observer, Membership.Role.OBSERVER)
    return community, lead, en, fr


def _open(community, lead, **values):
    return services.consultation_open(
        by=lead,
        communities=[community],
        values={
            "title_en": "Draft strategy",
            "title_fr": "Ébauche de stratégie",
            "context_en": "Context",
            "context_fr": "Contexte",
            "item_kind": Consultation.ItemKind.QUESTIONS,
            "audience": Consultation.Audience.COMMUNITY,
            "opens_at": OPENS,
            "closes_at": CLOSES,
            **values,
        },
        questions=[("First?", "Première?"), ("Second?", "Deuxième?")],
    )


def _tick(at, callbacks):
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        return tasks.consultations_notify_due_task.apply(throw=True).result


def test_celery_beat_sends_the_opening_notice_at_most_a_quarter_hour_after_it_opens(
    community, mailoutbox, django_capture_on_commit_callbacks
):
    # given a consultation scheduled to open at OPENS, and celery beat running since an hour
    # and a second before: its last pass before the opening comes a second too early
    community, lead, en, fr = community
    with time_machine.travel(OPENS - datetime.timedelta(days=2), tick=False):
        item = _open(community, lead)

    # when beat runs the portal's schedule until a quarter hour after the opening
    run_beat(
        OPENS - datetime.timedelta(hours=1, seconds=1),
        OPENS + datetime.timedelta(minutes=15),
        callbacks=django_capture_on_commit_callbacks,
    )

    # then the members and the lead have been told, once, at most a quarter hour late
    notices = [m.to[0] for m in mailoutbox if m.subject.startswith("Consultation")]
    assert sorted(notices) == sorted([lead.email, en.email, fr.email])
    item.refresh_from_db()
    assert OPENS <= item.opening_notified_at <= OPENS + datetime.timedelta(minutes=15)


def test_opening_notice_and_reminder_go_once_each_in_the_recipients_language(
    community, mailoutbox, django_capture_on_commit_callbacks
):
    community, lead, en, fr = community
    with (
        time_machine.travel(OPENS - datetime.timedelta(days=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        item = _open(community, lead)
    assert mailoutbox == []  # scheduled: nobody is told yet

    assert _tick(OPENS + datetime.timedelta(minutes=5), django_capture_on_commit_callbacks) == 1
    by_address = {m.to[0]: m for m in mailoutbox}
    # Members and the lead; the observer only reads.
    assert set(by_address) == {lead.email, en.email, fr.email}
    assert by_address[en.email].subject == "Consultation open: Draft strategy"
    assert by_address[fr.email].subject == "Consultation ouverte\xa0: Ébauche de stratégie"
    assert _tick(OPENS + datetime.timedelta(minutes=20), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 3

    # The English member answers; the reminder goes to the others only, once.
    with time_machine.travel(OPENS + datetime.timedelta(days=1), tick=False):
        services.response_save(
            consultation=item, by=en, answers={item.questions.first().pk: "Yes"}, submit=True
        )
    mailoutbox.clear()
    reminder_at = CLOSES - datetime.timedelta(hours=47)
    assert _tick(reminder_at, django_capture_on_commit_callbacks) == 1
    assert _tick(reminder_at, django_capture_on_commit_callbacks) == 0
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {lead.email, fr.email}
    assert by_address[fr.email].subject == "Consultation bientôt close\xa0: Ébauche de stratégie"


def test_a_member_saves_a_draft_submits_and_changes_until_it_closes(community):
    community, lead, _en, fr = community
    item = consultation(community, by=lead)
    first, second = item.questions.all()

    services.response_save(
        consultation=item, by=fr, answers={first.pk: "Brouillon"}, submit=False, language="fr"
    )
    response = Response.objects.get(consultation=item, respondent=fr)
    assert response.submitted_at is None
    services.response_save(
        consultation=item,
        by=fr,
        answers={first.pk: "Réponse", second.pk: "Autre", 999999: "ignored"},
        submit=True,
        language="fr",
    )
    response.refresh_from_db()
    assert response.submitted_at is not None
    services.response_save(
        consultation=item, by=fr, answers={second.pk: "Au\x00tre"}, submit=True, language="fr"
    )
    assert {a.question_id: a.text for a in response.answers.all()} == {
        first.pk: "Réponse",
        second.pk: "Autre",
    }

    services.consultation_close(consultation=item, by=lead)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.response_save(
            consultation=item, by=fr, answers={first.pk: "Trop tard"}, submit=True
        )


def test_an_empty_submission_is_refused_with_a_message(community):
    community, lead, en, _fr = community
    item = consultation(community, by=lead)

    with pytest.raises(ValidationError, match="Answer at least one question"):
        services.response_save(consultation=item, by=en, answers={}, submit=True)


def test_publishing_needs_both_languages_and_tells_the_audience_once(
    community, mailoutbox, django_capture_on_commit_callbacks
):
    community, lead, _en, fr = community
    item = consultation(community, by=lead, state="closed")

    with pytest.raises(ValidationError):
        services.consultation_publish(
            consultation=item, by=lead, summary={"en": "Heard"}, recommendations={}
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_publish(
            consultation=item,
            by=lead,
            summary={"en": "We heard", "fr": "Nous avons entendu"},
            recommendations={"en": "Act", "fr": "Agir"},
        )
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address[fr.email].subject == "Ce que nous avons entendu\xa0: Ébauche de stratégie"
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_publish(
            consultation=item,
            by=lead,
            summary={"en": "We heard, corrected", "fr": "Nous avons entendu, corrigé"},
            recommendations={},
        )
    assert len(mailoutbox) == len(by_address)


def test_only_those_who_may_open_one_open_a_consultation(community):
    community, _lead, en, _fr = community

    with pytest.raises(PermissionDenied):
        _open(community, en)


def test_a_core_group_consultation_reaches_the_core_group_only(community):
    community, lead, _en, fr = community
    Membership.objects.filter(community=community, user=fr).update(is_core=True)
    item = consultation(community, by=lead, audience=Consultation.Audience.CORE)

    assert list(services.audience_users(item)) == [fr]


def test_the_loader_brings_the_ccrs_consultations_closed_with_what_was_heard():
    CommunityFactory(slug=seed.HOST)
    report = LoadReport()
    assert seed.load_ccrs_consultations(report) == 2
    assert seed.load_ccrs_consultations(report) == 0  # idempotent
    assert report.created == {"consultations": 2}
    # load_cssp calls it (the full load is tested in tests/portal/test_loader.py).
    assert loader.load_ccrs_consultations is seed.load_ccrs_consultations

    items = Consultation.objects.order_by("pk")
    assert items.count() == 2
    assert all(item.status == Consultation.Status.PUBLISHED for item in items)
    assert items[0].title_fr.startswith("Ébauche de stratégie nationale")
    assert "sensibilisation du public" in items[0].summary_fr
    assert items[1].questions.count() == 3
    assert items[0].opens_at < timezone.now()


def test_the_vetted_audience_leaves_guests_out(community):
    community, lead, en, _fr = community
    guest = UserFactory(verified=True, vetting="guest")
    item = consultation(community, by=lead, audience=Consultation.Audience.VETTED)

    people = set(services.audience_users(item))
    assert en in people and lead in people
    assert guest not in people
