"""The in-app notification centre: the header's unread count, the list, mark read."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import kinds as community_kinds
from notifications import services
from notifications.models import Frequency, Notification
from tests.communities.factories import CommunityFactory
from tests.helpers import statements, url
from tests.members.factories import UserFactory
from tests.notifications.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db


def notify(user, kind=community_kinds.COMMUNITY_JOIN_REQUEST, community=None, **context):
    return services.notify(
        kind=kind,
        recipients=[user],
        community=community or CommunityFactory(name_en="Chemical", name_fr="Chimique"),
        context={"member_name": "Sam Singh", **context},
    )[0]


@pytest.fixture
def member(client):
    user = UserFactory(verified=True, first_name="Luce")
    client.force_login(user)
    return user


def unread_count_queries(queries) -> int:
    return sum(
        1 for sql in statements(queries) if '"read_at" IS NULL' in sql and "COUNT(" in sql.upper()
    )


def test_centre_lists_the_members_own_notifications_in_the_pages_language(client, member):
    # given a request to join, an invitation turned off by email, someone else's and an
    # account email (with its one-time link) for the member
    notify(member)
    NotificationPreferenceFactory(
        user=member, kind=community_kinds.COMMUNITY_INVITATION, frequency=Frequency.OFF
    )
    off = notify(member, kind=community_kinds.COMMUNITY_INVITATION, inviter_name="Dana Diaz")
    notify(UserFactory(), member_name="Other Person")
    services.notify_account_email(
        template_prefix="account/email/password_reset_key",
        email=member.email,
        context={"password_reset_url": "https://x/secret"},
        user=member,
        language="en",
    )

    # when the member opens the centre in English then in French
    english = client.get(url("notifications:centre")).content.decode()
    french = client.get(url("notifications:centre", lang="fr")).content.decode()

    # then both of their community notifications show, the one turned off by email too
    assert off.state == "suppressed"
    assert "Sam Singh asks to join the community" in english
    assert "Dana Diaz invited you to join the community" in english
    assert "Other Person" not in english
    assert "secret" not in english and "Account and security" not in english
    assert "2 unread notifications." in english
    assert "(2 unread)" in english  # the header's count
    assert "Sam Singh" in french and "2 notifications non lues." in french
    assert "(2 non lues)" in french


def test_header_count_is_cached_and_follows_new_notifications_and_reads(
    client, member, django_capture_on_commit_callbacks
):
    notify(member)
    home = url("notifications:centre").replace("/notifications/", "/")

    with CaptureQueriesContext(connection) as first:
        assert "(1 unread)" in client.get(home).content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get(home)
    assert unread_count_queries(first.captured_queries) == 1
    assert unread_count_queries(second.captured_queries) == 0  # kept per person

    # a new notification shows at once (its commit drops the kept count)
    with django_capture_on_commit_callbacks(execute=True):
        notify(member, member_name="Kim Ko")
    assert "(2 unread)" in client.get(home).content.decode()

    # and reading them all clears it
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("notifications:mark_all_read"))
    assert "unread)" not in client.get(home).content.decode()


def test_mark_read_marks_one_and_refuses_someone_elses(client, member):
    mine = notify(member)
    other = notify(member, member_name="Kim Ko")
    theirs = notify(UserFactory())

    response = client.post(url("notifications:mark_read", mine.pk))
    assert response.status_code == 302
    assert client.get(url("notifications:mark_read", other.pk)).status_code == 405
    assert client.post(url("notifications:mark_read", theirs.pk)).status_code == 404
    assert client.post("/en/notifications/not-a-uuid/read/").status_code == 404

    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {mine.pk}
    page = client.get(url("notifications:centre")).content.decode()
    assert "1 unread notification." in page


def test_mark_all_read_leaves_other_peoples_notifications_unread(client, member):
    notify(member)
    notify(member, member_name="Kim Ko")
    theirs = notify(UserFactory())

    response = client.post(url("notifications:mark_all_read", lang="fr"), follow=True)

    page = response.content.decode()
    assert "2 notifications sont marquées comme lues." in page
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


def test_centre_needs_signing_in(client):
    response = client.get(url("notifications:centre"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_centre_page_takes_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    community = CommunityFactory()
    rows = Notification.objects.bulk_create(
        Notification(
            kind=[community_kinds.COMMUNITY_JOIN_REQUEST, community_kinds.COMMUNITY_NEW_MEMBER][
                n % 2
            ],
            recipient=member,
            email=member.email,
            community=community,
            context={"member_name": f"Person {n}"},
            about_type=ContentType.objects.get_for_model(member),
            about_id=str(member.pk),
        )
        for n in range(30)
    )
    start = timezone.now()
    for n, row in enumerate(rows):  # created in this order (auto_now_add ignores a value)
        Notification.objects.filter(pk=row.pk).update(
            created_at=start + datetime.timedelta(seconds=n)
        )

    with django_assert_max_num_queries(14):
        response = client.get(url("notifications:centre"))

    page = response.content.decode()
    assert "Person 29" in page and "Person 4" not in page  # 25 a page, newest first
    assert "Page 1 of 2" in page


def test_header_shows_99_plus_beyond_the_cap_and_the_centre_the_exact_count(client, member):
    community = CommunityFactory()
    services.notify(
        kind=community_kinds.COMMUNITY_JOIN_REQUEST,
        recipients=[member],
        community=community,
        context={"member_name": "Sam Singh"},
    )
    row = Notification.objects.get(recipient=member)
    Notification.objects.bulk_create(
        [
            Notification(kind=row.kind, recipient=member, email=member.email, context=row.context)
            for _ in range(104)
        ]
    )

    page = client.get(url("notifications:centre")).content.decode()

    assert "(99+ unread)" in page
    assert "105 unread notifications." in page


def test_an_invitation_to_a_member_by_address_shows_in_their_header_at_once(
    client, member, django_capture_on_commit_callbacks
):
    home = url("notifications:centre").replace("/notifications/", "/")
    assert "unread)" not in client.get(home).content.decode()  # the count is kept: 0

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_address(
            kind=community_kinds.COMMUNITY_INVITATION,
            email=member.email,
            language="en",
            user=member,
            community=CommunityFactory(),
            context={"inviter_name": "Dana Diaz"},
        )

    assert "(1 unread)" in client.get(home).content.decode()


def test_a_notification_about_an_id_that_is_no_key_or_a_deleted_object_still_lists(client, member):
    first = notify(member)
    second = notify(member, member_name="Kim Ko")
    user_type = ContentType.objects.get_for_model(member)
    Notification.objects.filter(pk=first.pk).update(about_type=user_type, about_id="'><x")
    Notification.objects.filter(pk=second.pk).update(about_type=user_type, about_id="999999999")

    response = client.get(url("notifications:centre"))

    assert response.status_code == 200
    assert "Kim Ko asks to join the community" in response.content.decode()
