"""The fictional demo content of the embedded default (portal/seed/demo/)."""

import pytest
from django.core.management import call_command

from events.models import Event, Registration
from knowledge.models import Announcement, Post, Resource, Sensitivity, Thread
from members.models import User
from portal.seed.cssp import load_cssp
from portal.seed.demo import create_demo_accounts, create_demo_content
from proposals.models import CapabilityGap, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_cssp()
    create_demo_accounts()
    return create_demo_content()


def test_demo_content_covers_what_a_newcomer_should_see(demo):
    upcoming = Event.objects.upcoming().filter(slug__startswith="demo-")

    assert upcoming.count() >= 3
    assert upcoming.values("community").distinct().count() >= 3
    assert upcoming.filter(format=Event.Format.HYBRID).exists()
    assert upcoming.filter(title_en__contains="held in French").exists()
    assert (
        Registration.objects.filter(event__in=upcoming, state=Registration.State.WAITLISTED)
        .values("event")
        .distinct()
        .count()
        >= 2
    )
    assert Event.objects.past().filter(slug__startswith="demo-", outcome__isnull=False).exists()
    assert Announcement.objects.count() >= 3
    assert Thread.objects.filter(reply_count__gt=0).count() >= 3
    assert Post.objects.filter(mentioned__isnull=False).exists()
    markings = set(
        Resource.objects.filter(kind=Resource.Kind.DOCUMENT).values_list("sensitivity", flat=True)
    )
    assert markings == set(Sensitivity.values)
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {Proposal.Status.DRAFT, Proposal.Status.SUBMITTED} <= statuses
    assert CapabilityGap.objects.filter(votes__isnull=False).distinct().count() >= 3
    member = User.objects.get(email="member1@demo.cssp-cop.example.ca")
    assert member.job_title and member.bio_en.startswith("[Demo]")
    assert member.bio_fr.startswith("[Démo]")


def test_demo_content_is_bilingual_and_marked_fictional(demo):
    for event in Event.objects.filter(slug__startswith="demo-"):
        assert event.title_en.startswith("[Demo]") and event.title_fr.startswith("[Démo]")
        assert "Fictional" in event.description_en and "fictif" in event.description_fr
    for announcement in Announcement.objects.all():
        assert announcement.title_fr.startswith("[Démo]") and announcement.body_fr


def test_creating_the_demo_content_again_adds_nothing(demo):
    counts = [Event.objects.count(), Thread.objects.count(), Proposal.objects.count()]

    again = create_demo_content()

    assert again.created == {}
    assert [Event.objects.count(), Thread.objects.count(), Proposal.objects.count()] == counts


def test_the_command_never_creates_demo_content_on_a_real_database(capsys):
    call_command("load_cssp", demo_accounts=True)

    assert not Event.objects.filter(slug__startswith="demo-").exists()
    assert "only on the embedded SQLite default" in capsys.readouterr().out
