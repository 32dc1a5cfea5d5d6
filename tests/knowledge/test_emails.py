"""Every knowledge notification renders (subject, text, HTML, digest line) in the recipient's
language."""

import pytest
from django.urls import reverse

from knowledge import kinds, services
from notifications import rendering
from notifications.models import Notification
from tests.knowledge.factories import community_with_lead, document, folder, member_of, thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def all_kinds():
    community, lead = community_with_lead()
    reader = member_of(community, preferred_language="fr", first_name="Élise")
    services.follow_set(user=reader, folder=(box := folder(community, lead)), following=True)
    discussion = thread(community, reader, title="Logistique")
    services.announcement_create(
        by=lead, communities=[community], title_en="Workshop", title_fr="Atelier",
        body_en="Come.", body_fr="Venez.",
    )  # fmt: skip
    services.thread_reply(thread=discussion, by=lead, body="Plan B.")
    services.thread_reply(thread=discussion, by=lead, body=f"@{reader.email} ok?")
    document(box, lead, title_en="Guide", title_fr="Guide pratique")
    services.post_report(post=discussion.posts.last(), by=member_of(community), reason="Hors sujet")
    return reader, lead


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (kinds.ANNOUNCEMENT, "Atelier"),
        (kinds.REPLY, "Nouvelle réponse dans «\u00a0Logistique\u00a0»"),
        (kinds.MENTION, "a mentionné votre nom dans «\u00a0Logistique\u00a0»"),
        (kinds.RESOURCE, "Nouveau dans la bibliothèque\u00a0: «\u00a0Guide pratique\u00a0»"),
    ],
)
def test_member_notifications_render_in_french(all_kinds, kind, subject):
    reader, _lead = all_kinds
    notification = Notification.objects.get(kind=kind, recipient=reader)

    message = rendering.render_notification(notification)
    summary = rendering.render_item_summary(notification)

    assert subject in message.subject  # French spacing kept
    assert "Bonjour Élise" in message.body
    assert message.alternatives[0][0].count("<a href=") >= 1
    assert summary


def test_report_reaches_the_lead_in_english(all_kinds):
    _reader, lead = all_kinds
    notification = Notification.objects.get(kind=kinds.REPORT, recipient=lead)

    message = rendering.render_notification(notification)

    assert message.subject == "A message was reported in “Logistique”"
    assert "Reason: Hors sujet" in message.body


def test_kinds_appear_on_the_preferences_page(client, all_kinds):
    reader, _lead = all_kinds
    client.force_login(reader)

    response = client.get(reverse("notifications:preferences"))

    text = response.content.decode()
    assert "Replies in discussions I follow" in text
    assert "New documents in folders I follow" in text


@pytest.mark.parametrize(
    "name",
    ["announcement", "thread", "postreport", "folder", "resource", "follow"],
)
def test_admin_pages_open(admin_client, all_kinds, name):
    assert admin_client.get(reverse(f"admin:knowledge_{name}_changelist")).status_code == 200
    if name not in ("postreport",):
        assert admin_client.get(reverse(f"admin:knowledge_{name}_add")).status_code == 200
