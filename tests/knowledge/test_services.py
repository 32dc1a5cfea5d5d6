import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Membership
from communities.services import membership_leave
from knowledge import kinds, services
from knowledge.models import Follow, Post, Resource, ResourceVersion
from knowledge.services import library as library_services
from notifications.models import DeliveryState, Frequency, Notification
from tests.communities.factories import make_member
from tests.knowledge.factories import (
    PDF,
    community_with_lead,
    document,
    folder,
    fresh,
    member_of,
    pdf,
    thread,
)
from tests.notifications.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


# --- Discussions ---------------------------------------------------------------------------


def test_reply_notifies_followers_who_still_read_the_thread(django_capture_on_commit_callbacks):
    community, _lead = community_with_lead(visibility="members")
    starter, follower, leaver = (member_of(community) for _ in range(3))
    discussion = thread(community, starter)
    services.follow_set(user=follower, thread=discussion, following=True)
    services.follow_set(user=leaver, thread=discussion, following=True)
    membership_leave(
        membership=Membership.objects.get(user=leaver, community=community), user=leaver
    )
    replier = member_of(community, preferred_language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reply(thread=discussion, by=replier, body="I can host it.")

    # the starter follows automatically; the one who left no longer reads it; never the author
    assert recipients(kinds.REPLY) == {starter.email, follower.email}
    assert {m.to[0] for m in mail.outbox} == {starter.email, follower.email}
    assert "I can host it." in mail.outbox[0].body
    assert Follow.objects.filter(user=replier, thread=discussion).exists()


def test_reply_counts_and_activity_are_kept_on_the_thread():
    community, lead = community_with_lead()
    discussion = thread(community, lead)

    services.thread_reply(thread=discussion, by=lead, body="one")
    post = services.thread_reply(thread=discussion, by=lead, body="two")

    discussion.refresh_from_db()
    assert discussion.reply_count == 2
    assert discussion.last_activity_at == post.created_at


def test_a_digest_follower_gets_no_immediate_email(django_capture_on_commit_callbacks):
    community, lead = community_with_lead()
    follower = member_of(community)
    NotificationPreferenceFactory(user=follower, kind=kinds.REPLY, frequency=Frequency.DAILY)
    discussion = thread(community, follower)

    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reply(thread=discussion, by=lead, body="Noted.")

    row = Notification.objects.get(kind=kinds.REPLY)
    assert row.frequency == Frequency.DAILY and row.state == DeliveryState.PENDING
    assert mail.outbox == []


def test_mentions_link_and_notify_only_members_who_can_read(django_capture_on_commit_callbacks):
    community, lead = community_with_lead(visibility="members")
    ana = member_of(community, first_name="Ana", last_name="Roy")
    outsider = member_of(community_with_lead()[0])

    with django_capture_on_commit_callbacks(execute=True):
        discussion = thread(
            community, lead, body=f"Over to @{ana.email.upper()} and @{outsider.email}."
        )

    post = discussion.posts.get()
    assert f'<a class="mention" href="/members/{ana.pk}/">@Ana Roy</a>' in post.body_html
    assert f"@{outsider.email}" in post.body_html  # not a reader: plain text, no email
    assert recipients(kinds.MENTION) == {ana.email}
    assert list(post.mentioned.all()) == [ana]


def test_mentioned_follower_gets_one_email_not_two(django_capture_on_commit_callbacks):
    community, lead = community_with_lead()
    starter = member_of(community)
    discussion = thread(community, starter)

    with django_capture_on_commit_callbacks(execute=True):
        services.thread_reply(thread=discussion, by=lead, body=f"@{starter.email} thoughts?")

    assert [m.to for m in mail.outbox] == [[starter.email]]
    assert recipients(kinds.REPLY) == set()


def test_reply_to_a_locked_thread_is_refused():
    community, lead = community_with_lead()
    member = member_of(community)
    discussion = thread(community, member)
    services.thread_set_locked(thread=discussion, by=lead, locked=True)

    with pytest.raises(PermissionDenied):
        services.thread_reply(thread=discussion, by=member, body="late")
    assert Post.objects.filter(thread=discussion).count() == 1


def test_report_tells_the_leads_and_hiding_resolves_it(django_capture_on_commit_callbacks):
    community, lead = community_with_lead()
    member, reporter = member_of(community), member_of(community)
    discussion = thread(community, lead)
    post = services.thread_reply(thread=discussion, by=member, body="spam")

    with django_capture_on_commit_callbacks(execute=True):
        report = services.post_report(post=post, by=reporter, reason="Advertising.")
    with pytest.raises(ValidationError):
        services.post_report(post=post, by=reporter, reason="Again.")
    services.post_set_hidden(post=post, by=lead, hidden=True)

    assert recipients(kinds.REPORT) == {lead.email}
    report.refresh_from_db()
    assert report.resolved_by == lead
    post.refresh_from_db()
    assert post.is_hidden


def test_moving_a_thread_needs_to_lead_both_communities():
    home, lead = community_with_lead()
    target, _other = community_with_lead()
    discussion = thread(home, lead)
    with pytest.raises(PermissionDenied):
        services.thread_move(thread=discussion, by=lead, to=target)

    make_member(target, lead, Membership.Role.CO_LEAD)
    services.thread_move(thread=discussion, by=fresh(lead), to=target)

    discussion.refresh_from_db()
    assert discussion.community == target


# --- Announcements -------------------------------------------------------------------------


def test_announcement_is_sanitized_in_both_languages_and_reaches_members(
    django_capture_on_commit_callbacks,
):
    community, lead = community_with_lead()
    member = member_of(community, preferred_language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        announcement = services.announcement_create(
            by=lead,
            communities=[community],
            title_en="Call for papers",
            title_fr="Appel de communications",
            body_en="**Now** <script>x()</script>",
            body_fr="**Maintenant** [x](javascript:alert(1))",
        )

    assert "<strong>Now</strong>" in announcement.body_html_en
    assert "<script" not in announcement.body_html_en
    assert "href" not in announcement.body_html_fr  # the javascript: link stays plain text
    row = Notification.objects.get(kind=kinds.ANNOUNCEMENT)
    assert row.recipient == member and row.frequency == Frequency.DAILY


def test_only_leads_of_every_target_community_may_announce():
    community, lead = community_with_lead()
    elsewhere, _ = community_with_lead()

    with pytest.raises(PermissionDenied):
        services.announcement_create(
            by=lead, communities=[community, elsewhere], title_en="x", title_fr="x",
            body_en="x", body_fr="x",
        )  # fmt: skip


# --- Library -------------------------------------------------------------------------------


def test_new_versions_keep_the_old_ones():
    community, lead = community_with_lead()
    resource = document(folder(community, lead), lead, upload=pdf("v1.pdf", PDF + b"one"))

    services.resource_add_version(
        resource=resource, by=lead, upload=pdf("v2.pdf", PDF + b"two"), note="Typos"
    )

    resource.refresh_from_db()
    versions = list(resource.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert resource.current_version == versions[1]
    assert versions[0].file.open("rb").read().endswith(b"one")
    assert versions[1].file.open("rb").read().endswith(b"two")
    assert versions[1].note == "Typos"


def test_stored_files_have_random_names_and_originals_are_sanitized():
    community, lead = community_with_lead()
    resource = document(folder(community, lead), lead, upload=pdf("../../<b>plan</b>.pdf"))

    version = resource.current_version
    assert version.original_name == "b_.pdf"
    assert "plan" not in version.file.name and version.file.name.startswith(
        f"knowledge/{resource.pk}/"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # The checks themselves are tested in tests/cssp_portal/test_uploads.py.
        ("report.pdf.exe", b"MZ", "not accepted"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_uploads_outside_the_allow_list_are_refused(name, content, message):
    community, lead = community_with_lead()

    with pytest.raises(ValidationError) as error:
        document(folder(community, lead), lead, upload=SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)
    assert not ResourceVersion.objects.exists()
    assert not Resource.objects.exists()


def test_uploads_over_the_size_limit_are_refused(monkeypatch):
    community, lead = community_with_lead()
    monkeypatch.setattr(library_services, "MAX_UPLOAD_BYTES", 100)

    with pytest.raises(ValidationError, match="too large"):
        document(folder(community, lead), lead, upload=pdf(content=PDF + b"x" * 200))


def test_folder_followers_hear_of_resources_they_may_see(django_capture_on_commit_callbacks):
    community, lead = community_with_lead(visibility="public")
    member = member_of(community)
    outsider = fresh(member_of(community_with_lead()[0]))
    box = folder(community, lead)
    for person in (member, outsider):
        services.follow_set(user=person, folder=box, following=True)

    with django_capture_on_commit_callbacks(execute=True):
        document(box, lead, visibility=Resource.Visibility.COMMUNITY)
        document(box, lead, title_en="Open data", visibility=Resource.Visibility.MEMBERS)

    rows = Notification.objects.filter(kind=kinds.RESOURCE)
    assert sorted((r.recipient.email, r.about.title_en) for r in rows) == sorted(
        [
            (member.email, "Decontamination protocol"),
            (member.email, "Open data"),
            (outsider.email, "Open data"),
        ]
    )


def test_a_member_may_not_change_someone_elses_resource():
    community, lead = community_with_lead()
    member = member_of(community)
    resource = document(folder(community, lead), lead)

    with pytest.raises(PermissionDenied):
        services.resource_add_version(resource=resource, by=member, upload=pdf())
