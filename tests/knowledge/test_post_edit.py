"""Members edit their own discussion messages."""

import pytest
from django.core import mail

from knowledge import services
from knowledge.models import Post
from tests.helpers import page, url
from tests.knowledge.factories import community_with_lead, member_of, thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion():
    community, lead = community_with_lead(visibility="members")
    author = member_of(community, first_name="Ana", last_name="Author")
    started = thread(community, lead, body="Who has cots?")
    reply = services.thread_reply(thread=started, by=author, body="We have *forty*.")
    return community, lead, author, started, reply


@pytest.mark.parametrize(
    ("lang", "link", "saved", "edited"),
    [
        ("en", "Edit this message", "Your message is updated.", "Edited "),
        ("fr", "Modifier ce message", "Votre message est modifié.", "Modifié le "),
    ],
)
def test_the_author_edits_their_message_and_the_discussion_says_so(
    client, discussion, lang, link, saved, edited
):
    _community, _lead, author, started, reply = discussion
    client.force_login(author)
    thread_page = client.get(url("knowledge:thread", started.pk, lang=lang))
    assert link in page(thread_page)
    form = client.get(url("knowledge:post_edit", reply.pk, lang=lang))
    assert "We have *forty*." in page(form)

    response = client.post(
        url("knowledge:post_edit", reply.pk, lang=lang),
        {"body": "We have **fifty** now. <script>alert(1)</script>"},
        follow=True,
    )

    text = page(response)
    assert saved in text
    assert "<strong>fifty</strong>" in text
    assert "<script>alert(1)" not in text
    assert "forty" not in text
    assert edited in text
    reply.refresh_from_db()
    assert reply.edited_at is not None


@pytest.mark.parametrize(
    ("lang", "required"),
    [("en", "This field is required."), ("fr", "Ce champ est obligatoire.")],
)
def test_an_empty_message_is_refused_and_the_old_one_kept(client, discussion, lang, required):
    _community, _lead, author, _started, reply = discussion
    client.force_login(author)

    response = client.post(url("knowledge:post_edit", reply.pk, lang=lang), {"body": "  "})

    assert response.status_code == 400
    assert required in page(response)
    assert "error-summary" in page(response)
    reply.refresh_from_db()
    assert reply.body == "We have *forty*." and reply.edited_at is None


def test_nobody_else_edits_a_message_not_even_a_lead(client, discussion):
    community, lead, _author, started, reply = discussion
    other = member_of(community)
    for person in (other, lead):
        client.force_login(person)
        thread_page = page(client.get(url("knowledge:thread", started.pk)))
        assert url("knowledge:post_edit", reply.pk) not in thread_page
        assert client.get(url("knowledge:post_edit", reply.pk)).status_code == 403
        response = client.post(url("knowledge:post_edit", reply.pk), {"body": "Taken over"})
        assert response.status_code == 403
    reply.refresh_from_db()
    assert reply.body == "We have *forty*."


def test_outsiders_get_404(client, discussion):
    _community, _lead, _author, _started, reply = discussion
    outsider_community, _ = community_with_lead()
    client.force_login(member_of(outsider_community))
    assert client.get(url("knowledge:post_edit", reply.pk)).status_code == 404


def test_no_editing_once_the_discussion_is_locked_or_the_message_hidden(client, discussion):
    _community, lead, author, started, reply = discussion
    services.thread_set_locked(thread=started, by=lead, locked=True)
    client.force_login(author)
    assert client.get(url("knowledge:post_edit", reply.pk)).status_code == 403

    services.thread_set_locked(thread=started, by=lead, locked=False)
    services.post_set_hidden(post=reply, by=lead, hidden=True)
    # A hidden message is out of its author's sight.
    assert client.get(url("knowledge:post_edit", reply.pk)).status_code == 404


def test_people_mentioned_for_the_first_time_are_told_once(
    client, discussion, django_capture_on_commit_callbacks
):
    community, _lead, author, _started, reply = discussion
    member_of(community, email="first@example.gc.ca")
    member_of(community, email="second@example.gc.ca")
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("knowledge:post_edit", reply.pk), {"body": "cc @first@example.gc.ca"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("knowledge:post_edit", reply.pk),
            {"body": "cc @first@example.gc.ca and @second@example.gc.ca"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("knowledge:post_edit", reply.pk), {"body": "cc @second@example.gc.ca"})

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "first@example.gc.ca",
        "second@example.gc.ca",
    ]
    assert list(Post.objects.get(pk=reply.pk).mentioned.values_list("email", flat=True)) == [
        "second@example.gc.ca"
    ]
