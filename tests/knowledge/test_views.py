"""Pages: journeys in English and French, 404 for outsiders, 403 for forbidden actions, query
counts of the listings, permission-checked downloads."""

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.models import Membership
from knowledge import kinds, services
from knowledge.models import PostReport, Resource, Thread
from knowledge.selectors import community_announcements, home_announcements
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, make_member
from tests.helpers import page, url
from tests.knowledge.factories import (
    PDF,
    community_with_lead,
    document,
    folder,
    member_of,
    pdf,
    thread,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Discussions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "started", "replied"),
    [
        ("en", "Your discussion is started.", "Your reply is posted."),
        ("fr", "Votre discussion est lancée.", "Votre réponse est publiée."),
    ],
)
def test_member_starts_a_discussion_and_another_replies(
    client, lang, started, replied, django_capture_on_commit_callbacks
):
    community, _lead = community_with_lead(visibility="members")
    starter, replier = member_of(community), member_of(community)
    client.force_login(starter)

    response = client.post(
        url("knowledge:thread_create", community.slug, lang=lang),
        {"title": "Shelter logistics", "body": "**Who** has cots? <script>x</script>"},
        follow=True,
    )
    assert started in page(response)
    assert "<strong>Who</strong> has cots?" in page(response)
    assert "<script>x" not in page(response)

    client.force_login(replier)
    discussion = Thread.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("knowledge:thread_reply", discussion.pk, lang=lang),
            {"body": "We have *forty*."},
            follow=True,
        )
    assert replied in page(response)
    assert "<em>forty</em>" in page(response)
    assert [m.to for m in mail.outbox] == [[starter.email]]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_empty_reply_shows_the_error_next_to_the_field(client, lang):
    community, lead = community_with_lead()
    discussion = thread(community, lead)
    client.force_login(lead)

    response = client.post(url("knowledge:thread_reply", discussion.pk, lang=lang), {"body": ""})

    assert response.status_code == 400
    expected = {"en": "This field is required.", "fr": "Ce champ est obligatoire."}[lang]
    assert expected in page(response)
    assert "error-summary" in page(response)


def test_discussions_of_a_private_community_are_404_to_outsiders(client):
    community, lead = community_with_lead(visibility="members")
    discussion = thread(community, lead)
    client.force_login(UserFactory())

    assert client.get(url("knowledge:threads", community.slug)).status_code == 404
    assert client.get(url("knowledge:thread", discussion.pk)).status_code == 404
    reply = client.post(url("knowledge:thread_reply", discussion.pk), {"body": "x"})
    assert reply.status_code == 404


def test_discussions_of_a_public_community_invite_visitors_to_join(client):
    community, lead = community_with_lead(visibility="public")
    discussion = thread(community, lead, title="Members only talk")

    listing = client.get(url("knowledge:threads", community.slug))

    assert "Discussions are open to the community’s members." in page(listing)
    assert "Members only talk" not in page(listing)
    assert client.get(url("knowledge:thread", discussion.pk)).status_code == 404


def test_observer_reads_but_may_not_reply_or_moderate(client):
    community, lead = community_with_lead()
    observer = member_of(community, role="observer")
    discussion = thread(community, lead)
    client.force_login(observer)

    detail = client.get(url("knowledge:thread", discussion.pk))
    assert detail.status_code == 200 and "Post the reply" not in page(detail)
    reply = client.post(url("knowledge:thread_reply", discussion.pk), {"body": "x"})
    assert reply.status_code == 403
    lock = client.post(url("knowledge:thread_moderate", discussion.pk), {"action": "lock"})
    assert lock.status_code == 403
    assert client.get(url("knowledge:thread_create", community.slug)).status_code == 403


def test_lead_pins_locks_and_hides_a_thread(client):
    community, lead = community_with_lead()
    member = member_of(community)
    discussion = thread(community, member, title="Off topic")
    client.force_login(lead)
    moderate = url("knowledge:thread_moderate", discussion.pk)

    client.post(moderate, {"action": "pin"})
    client.post(moderate, {"action": "lock"})
    client.post(moderate, {"action": "hide"})

    discussion.refresh_from_db()
    assert discussion.pinned and discussion.locked and discussion.is_hidden
    # the lead still finds it in the list; members no longer do
    assert "Off topic" in page(client.get(url("knowledge:threads", community.slug)))
    client.force_login(member)
    assert client.get(url("knowledge:thread", discussion.pk)).status_code == 404
    assert "Off topic" not in page(client.get(url("knowledge:threads", community.slug)))


def test_moderation_needs_post(client):
    community, lead = community_with_lead()
    discussion = thread(community, lead)
    client.force_login(lead)

    response = client.get(url("knowledge:thread_moderate", discussion.pk))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("lang", "thanks", "queue_title"),
    [
        ("en", "Thank you. The community’s leads will look at it.", "Reported messages"),
        (
            "fr",
            "Merci. Les responsables de la communauté examineront le message.",
            "Messages signalés",
        ),
    ],
)
def test_member_reports_a_message_and_the_lead_hides_it(client, lang, thanks, queue_title):
    community, lead = community_with_lead()
    author, reporter = member_of(community), member_of(community)
    discussion = thread(community, lead)
    post = services.thread_reply(thread=discussion, by=author, body="Buy cheap watches")
    client.force_login(reporter)

    response = client.post(
        url("knowledge:post_report", post.pk, lang=lang), {"reason": "Spam"}, follow=True
    )
    assert thanks in page(response)

    client.force_login(lead)
    queue = client.get(url("knowledge:reports", community.slug, lang=lang))
    assert queue_title in page(queue) and "Buy cheap watches" in page(queue)
    client.post(url("knowledge:post_hide", post.pk, lang=lang), {"hidden": "1", "next": "reports"})

    post.refresh_from_db()
    assert post.is_hidden
    assert not PostReport.objects.filter(resolved_at__isnull=True).exists()
    client.force_login(reporter)
    assert "Buy cheap watches" not in page(
        client.get(url("knowledge:thread", discussion.pk, lang=lang))
    )


def test_authors_cannot_report_themselves_and_members_cannot_open_the_queue(client):
    community, _lead = community_with_lead()
    member = member_of(community)
    discussion = thread(community, member)
    client.force_login(member)

    opening = discussion.posts.get()
    assert client.get(url("knowledge:post_report", opening.pk)).status_code == 403
    assert client.get(url("knowledge:reports", community.slug)).status_code == 403


def test_lead_shares_a_thread_with_another_community_they_belong_to(client):
    home, lead = community_with_lead(visibility="members")
    other, other_lead = community_with_lead(visibility="members")
    make_member(other, lead)
    discussion = thread(home, lead, title="Joint exercise")
    client.force_login(lead)

    form = client.get(url("knowledge:thread_share", discussion.pk))
    assert other.name in page(form)
    client.post(url("knowledge:thread_share", discussion.pk), {"communities": [other.pk]})

    client.force_login(other_lead)
    listing = client.get(url("knowledge:threads", other.slug))
    assert "Joint exercise" in page(listing) and "shared from" in page(listing)


def _queries(client, target) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries), page(response)


def test_thread_list_queries_do_not_grow_with_threads(client, django_assert_max_num_queries):
    community, lead = community_with_lead()
    thread(community, member_of(community), title="Topic first")
    client.force_login(lead)
    target = url("knowledge:threads", community.slug)
    few, _ = _queries(client, target)
    for number in range(30):
        thread(community, member_of(community), title=f"Topic {number}")

    with django_assert_max_num_queries(few):
        response = client.get(target)

    assert page(response).count("Started by") == 25
    assert page(client.get(f"{target}?page=2")).count("Started by") == 6


def test_the_thread_list_is_kept_and_shows_a_change_at_once_whatever_path_it_took(client):
    from django.core.cache import cache

    cache.clear()
    community, lead = community_with_lead()
    discussion = thread(community, member_of(community), title="Topic kept")
    client.force_login(lead)
    target = url("knowledge:threads", community.slug)
    assert "0 replies" in page(client.get(target))

    # Written without save(): no stamp moves.
    Thread.objects.filter(pk=discussion.pk).update(reply_count=2)
    assert "2 replies" in page(client.get(target))
    Thread.objects.filter(pk=discussion.pk).update(pinned=True)
    assert "Pinned" in page(client.get(target))
    Thread.objects.filter(pk=discussion.pk).update(title="Topic renamed")
    assert "Topic renamed" in page(client.get(target))
    assert "Lancée par" in page(client.get(url("knowledge:threads", community.slug, lang="fr")))


def test_thread_page_queries_do_not_grow_with_replies(client, django_assert_max_num_queries):
    community, lead = community_with_lead()
    discussion = thread(community, lead)
    services.thread_reply(thread=discussion, by=member_of(community), body="Reply first")
    client.force_login(lead)
    target = url("knowledge:thread", discussion.pk)
    few, _ = _queries(client, target)
    for number in range(20):
        services.thread_reply(thread=discussion, by=member_of(community), body=f"Reply {number}")

    with django_assert_max_num_queries(few):
        response = client.get(target)

    assert "Reply 19" in page(response)


def test_following_a_thread_from_its_page(client):
    # given a member who follows a discussion from its page (in French), and one who does not
    community, lead = community_with_lead()
    member = member_of(community)
    member_of(community)  # who does not follow it
    discussion = thread(community, lead)
    client.force_login(member)
    response = client.post(
        url("knowledge:thread_follow", discussion.pk, lang="fr"), {"follow": "1"}, follow=True
    )
    assert "Vous suivez cette discussion" in page(response)
    assert "Ne plus suivre" in page(response)

    # when someone replies
    services.thread_reply(thread=discussion, by=lead, body="The date is set.")

    # then the follower is told of the reply
    told = Notification.objects.filter(kind=kinds.REPLY)
    assert [n.recipient for n in told] == [member]


# --- Announcements -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Spring workshop"), ("fr", "Atelier du printemps")]
)
def test_lead_posts_an_announcement_members_read_it_in_their_language(client, lang, title):
    community, lead = community_with_lead(visibility="members")
    member = member_of(community)
    client.force_login(lead)

    response = client.post(
        url("knowledge:announcement_create", community.slug),
        {
            "communities": [community.pk],
            "title_en": "Spring workshop",
            "title_fr": "Atelier du printemps",
            "body_en": "Join us.",
            "body_fr": "Joignez-vous à nous.",
        },
        follow=True,
    )
    assert "The announcement is published." in page(response)

    client.force_login(member)
    listing = client.get(url("knowledge:announcements", community.slug, lang=lang))
    assert title in page(listing)
    client.logout()
    assert client.get(url("knowledge:announcements", community.slug, lang=lang)).status_code == 404


def test_announcement_form_shows_errors_and_members_may_not_post(client):
    community, lead = community_with_lead()
    member = member_of(community)
    client.force_login(member)
    create = url("knowledge:announcement_create", community.slug)
    assert client.get(create).status_code == 403

    client.force_login(lead)
    response = client.post(create, {"communities": [community.pk], "title_en": "Only English"})

    assert response.status_code == 200
    assert "error-summary" in page(response) and "Title (French)" in page(response)


def test_community_and_home_partials_render_announcements(client):
    community, lead = community_with_lead()
    member = member_of(community)
    services.announcement_create(
        by=lead, communities=[community], title_en="Budget news", title_fr="Budget",
        body_en="x", body_fr="x",
    )  # fmt: skip

    with translation.override("en"):
        on_community = render_to_string(
            "knowledge/_community_announcements.html",
            {"community": community, "announcements": community_announcements(community)[:3],
             "can_post": True},
        )  # fmt: skip
        on_home = render_to_string(
            "knowledge/_home_announcements.html",
            {"announcements": home_announcements(member)},
        )

    assert "Budget news" in on_community and "Post an announcement" in on_community
    assert "Budget news" in on_home and "News from your communities" in on_home
    assert home_announcements(UserFactory()) == []


def test_home_page_shows_the_latest_news_of_the_members_communities_in_their_language(client):
    import datetime

    from django.utils import timezone

    from knowledge.models import Announcement
    from tests.proposals.factories import portfolio_manager

    floods, community_lead = community_with_lead(name_en="Floods", name_fr="Inondations")
    fires = CommunityFactory(name_en="Wildfires", name_fr="Feux de forêt")
    make_member(fires, community_lead, Membership.Role.LEAD)
    other, other_lead = community_with_lead(name_en="Ports", name_fr="Ports maritimes")
    member = member_of(floods)

    def post(title, communities, by=community_lead, days_ago=0):
        news = services.announcement_create(
            by=by, communities=communities, title_en=title, title_fr=f"{title} (fr)",
            body_en="x", body_fr="x",
        )  # fmt: skip
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        Announcement.objects.filter(pk=news.pk).update(published_at=moment)
        return news

    shared = post("Shared news", [floods, fires], days_ago=1)
    for day in range(2, 7):
        post(f"Older news {day}", [floods], days_ago=day)
    post("Future news", [floods], days_ago=-3)  # scheduled: not published yet
    post("Port news", [other], by=other_lead)

    client.force_login(member)
    english = page(client.get(url("home")))
    french = page(client.get(url("home", lang="fr")))

    # the five latest published, newest first, each with its communities' names
    assert "News from your communities" in english
    shown = [f"Older news {day}" for day in range(2, 6)]
    assert english.index("Shared news") < english.index(shown[0]) < english.index(shown[-1])
    assert "Floods, Wildfires" in english
    assert "Older news 6" not in english and "Future news" not in english
    assert "Port news" not in english  # not one of their communities
    assert "Nouvelles de vos communautés" in french
    # (the names in the order of the language)
    assert "Shared news (fr)" in french and "Feux de forêt, Inondations" in french

    # read in two statements whatever the number of news and communities (besides the
    # person's standing): the news, compiled once (a prepared statement run with the person's
    # communities), and their communities
    with CaptureQueriesContext(connection) as queries:
        assert len(home_announcements(member)) == 5
    news = [q["sql"] for q in queries if not q["sql"].startswith("EXECUTE portal_standing")]
    assert len(news) == 2
    assert news[0].startswith("EXECUTE portal_q")

    # a portfolio manager sees the news of the communities they follow
    manager = portfolio_manager()
    other.portfolio_managers.add(manager)
    client.force_login(manager)
    assert "Port news" in page(client.get(url("home")))
    assert shared.title_en not in page(client.get(url("home")))


# --- Library -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "added", "marking"),
    [
        ("en", "The resource is added.", "Protected A"),
        ("fr", "La ressource est ajoutée.", "Protégé A"),
    ],
)
def test_member_uploads_a_marked_document_and_downloads_it(client, lang, added, marking):
    community, lead = community_with_lead()
    member = member_of(community)
    box = folder(community, lead)
    client.force_login(member)

    response = client.post(
        url("knowledge:resource_create", box.pk, lang=lang),
        {
            "kind": "document",
            "title_en": "After-action report",
            "title_fr": "Rapport après action",
            "sensitivity": "protected_a",
            "visibility": "community",
            "file": pdf("../After action <report>.pdf"),
        },
        follow=True,
    )
    assert added in page(response)
    assert marking in page(response)
    resource = Resource.objects.get()
    listing = client.get(url("knowledge:folder", box.pk, lang=lang))
    assert marking in page(listing)

    download = client.get(url("knowledge:download", resource.pk, lang=lang))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="After action _report_.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert "sandbox" in download["Content-Security-Policy"]


def test_upload_errors_are_shown_next_to_the_fields(client):
    community, lead = community_with_lead()
    box = folder(community, lead)
    client.force_login(lead)

    response = client.post(
        url("knowledge:resource_create", box.pk),
        {
            "kind": "document",
            "title_en": "x",
            "title_fr": "x",
            "sensitivity": "protected_b",
            "visibility": "public",
            "file": pdf("page.html", b"<html>"),
        },
    )

    text = page(response)
    assert "This type of file is not accepted." in text
    assert (
        "Protected A and Protected B information is for the members of the community only" in text
    )
    assert not Resource.objects.exists()


def test_downloads_of_non_public_files_are_checked(client):
    community, lead = community_with_lead(visibility="public")
    box = folder(community, lead)
    private = document(box, lead, visibility="community")
    public = document(box, lead, title_en="Open guide", visibility="public")

    assert client.get(url("knowledge:download", private.pk)).status_code == 404
    version_url = url("knowledge:download_version", private.pk, 1)
    assert client.get(version_url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url("knowledge:download", private.pk)).status_code == 404
    client.logout()
    response = client.get(url("knowledge:download", public.pk))
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"


def test_version_history_keeps_old_versions_downloadable(client):
    community, lead = community_with_lead()
    resource = document(folder(community, lead), lead, upload=pdf("plan.pdf", PDF + b"v1"))
    client.force_login(lead)

    response = client.post(
        url("knowledge:version_create", resource.pk, lang="fr"),
        {"file": pdf("plan-v2.pdf", PDF + b"v2"), "note": "Nouvelles annexes"},
        follow=True,
    )

    text = page(response)
    assert "La version 2 est téléversée." in text
    assert "Historique des versions" in text and "Nouvelles annexes" in text
    first = client.get(url("knowledge:download_version", resource.pk, 1, lang="fr"))
    latest = client.get(url("knowledge:download", resource.pk, lang="fr"))
    assert b"".join(first.streaming_content).endswith(b"v1")
    assert b"".join(latest.streaming_content).endswith(b"v2")


def test_a_member_may_not_upload_versions_of_others_documents(client):
    community, lead = community_with_lead()
    member = member_of(community)
    resource = document(folder(community, lead), lead)
    client.force_login(member)

    response = client.post(url("knowledge:version_create", resource.pk), {"file": pdf()})

    assert response.status_code == 403
    assert resource.versions.count() == 1


def test_library_queries_do_not_grow_with_resources(client, django_assert_max_num_queries):
    community, lead = community_with_lead()
    box = folder(community, lead)
    document(box, lead, title_en="Doc first")
    folder(community, lead, name_en="Sub first", parent=box)
    client.force_login(lead)
    folder_url, library_url = (
        url("knowledge:folder", box.pk),
        url("knowledge:library", community.slug),
    )
    few_in_folder, _ = _queries(client, folder_url)
    few_in_library, _ = _queries(client, library_url)
    for number in range(15):
        document(box, lead, title_en=f"Doc {number}")
        folder(community, lead, name_en=f"Sub {number}", parent=box)
        folder(community, lead, name_en=f"Top {number}")

    with django_assert_max_num_queries(few_in_folder):
        response = client.get(folder_url)
    with django_assert_max_num_queries(few_in_library):
        library = client.get(library_url)

    assert page(response).count("Doc ") == 16
    assert page(library).count("Top ") == 15


def test_outsiders_get_404_for_a_private_library(client):
    community, lead = community_with_lead(visibility="members")
    box = folder(community, lead)
    resource = document(box, lead)
    client.force_login(UserFactory())

    for target in (
        url("knowledge:library", community.slug),
        url("knowledge:folder", box.pk),
        url("knowledge:resource", resource.pk),
        url("knowledge:download", resource.pk),
    ):
        assert client.get(target).status_code == 404, target


def test_following_a_folder_brings_each_document_added_to_it_to_the_member(client):
    # given a member who follows a library folder from its page, and one who does not
    community, lead = community_with_lead()
    follower = member_of(community)
    member_of(community)  # who does not follow it
    box = folder(community, lead)
    client.force_login(follower)
    response = client.post(url("knowledge:folder_follow", box.pk), {"follow": "1"}, follow=True)
    assert "You follow this folder" in page(response)

    # when a lead adds a document to the folder
    added = document(box, lead, title_en="Evacuation checklist")

    # then the follower, and only they, is told of it, in their notification centre
    told = Notification.objects.filter(kind=kinds.RESOURCE)
    assert [(n.recipient, n.about) for n in told] == [(follower, added)]
    assert "New in the library: “Evacuation checklist”" in page(
        client.get(url("notifications:centre"))
    )


def test_a_member_who_stops_following_a_folder_hears_no_more_of_it(client):
    community, lead = community_with_lead()
    member = member_of(community)
    box = folder(community, lead)
    client.force_login(member)
    client.post(url("knowledge:folder_follow", box.pk), {"follow": "1"})

    response = client.post(url("knowledge:folder_follow", box.pk), {"follow": "0"}, follow=True)
    document(box, lead, title_en="Evacuation checklist")

    assert "You no longer follow this folder." in page(response)
    assert not Notification.objects.filter(kind=kinds.RESOURCE).exists()
