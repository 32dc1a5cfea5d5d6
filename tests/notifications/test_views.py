import pytest
from django.core import mail

from communities import kinds as community_kinds
from communities.models import Membership
from notifications import kinds, services, tokens
from notifications.models import (
    DeliveryState,
    DigestSchedule,
    Frequency,
    Notification,
    NotificationPreference,
)
from tests.communities.factories import CommunityFactory, make_member
from tests.helpers import url
from tests.members.factories import UserFactory
from tests.notifications.factories import NotificationFactory, NotificationPreferenceFactory

pytestmark = pytest.mark.django_db

NEW_MEMBER = community_kinds.COMMUNITY_NEW_MEMBER


def general_field(kind=NEW_MEMBER):
    return f"general-{kind.replace('.', '_')}"


def defaults(**overrides):
    """Every general choice at its default, as the page first shows them, then `overrides`."""
    data = {general_field(kind.code): kind.default for kind in kinds.optional_kinds()}
    data.update({"hour": "8", "weekday": "0", "time_zone": "America/Toronto"})
    data.update(overrides)
    return data


@pytest.fixture
def member(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    return user


def test_preferences_need_a_signed_in_member(client):
    response = client.get(url("notifications:preferences"))
    assert response.status_code == 302
    assert "/en/accounts/login/" in response["Location"]


def test_preferences_page_lists_kinds_and_the_members_communities_in_french(client, member):
    chemical = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    make_member(chemical, member)
    followed = CommunityFactory(name_en="Fire Services", name_fr="Services d'incendie")
    followed.portfolio_managers.add(member)
    CommunityFactory(name_en="Biological", name_fr="Biologique")
    response = client.get(url("notifications:preferences", lang="fr"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Préférences de courriel" in page
    assert "Nouveaux membres" in page
    assert "Dans un résumé quotidien" in page
    assert "<legend>Chimique</legend>" in page
    assert "<legend>Services d&#x27;incendie</legend>" in page
    assert "Biologique" not in page
    assert "Compte et sécurité" in page


def test_saving_preferences_keeps_general_community_and_schedule_choices(client, member):
    community = CommunityFactory()
    make_member(community, member)
    response = client.post(
        url("notifications:preferences"),
        defaults(
            **{
                general_field(): Frequency.WEEKLY,
                f"community-{community.pk}-community_new_member": Frequency.IMMEDIATE,
                "hour": "17",
                "weekday": "4",
                "time_zone": "America/Halifax",
            }
        ),
        follow=True,
    )
    assert "Your email preferences are saved." in response.content.decode()
    prefs = {
        (p.community_id, p.frequency)
        for p in NotificationPreference.objects.filter(user=member, kind=NEW_MEMBER)
    }
    assert prefs == {(None, Frequency.WEEKLY), (community.pk, Frequency.IMMEDIATE)}
    schedule = DigestSchedule.objects.get(user=member)
    assert (schedule.hour, schedule.weekday, schedule.time_zone) == (17, 4, "America/Halifax")

    # choosing "as in my general choice" removes the community's own choice
    client.post(
        url("notifications:preferences"),
        defaults(
            **{
                general_field(): Frequency.WEEKLY,
                f"community-{community.pk}-community_new_member": "",
                "hour": "17",
                "weekday": "4",
                "time_zone": "America/Halifax",
            }
        ),
    )
    assert not NotificationPreference.objects.filter(community=community).exists()


def test_bad_preferences_are_explained_in_french_and_nothing_is_saved(client, member):
    NotificationPreferenceFactory(user=member, kind=NEW_MEMBER, frequency=Frequency.DAILY)
    response = client.post(
        url("notifications:preferences", lang="fr"),
        defaults(**{general_field(): "hourly", "hour": "25", "time_zone": "Mars/Olympus"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 erreurs" in page
    assert 'href="#id_hour"' in page
    assert 'aria-invalid="true"' in page
    assert "Sélectionnez un choix valide" in page
    assert NotificationPreference.objects.get(user=member).frequency == Frequency.DAILY
    assert not DigestSchedule.objects.filter(user=member).exists()


def unsubscribe_url(user, kind=None, lang="en"):
    spec = kinds.get_kind(kind) if kind else None
    return url("notifications:unsubscribe", tokens.unsubscribe_token(user, spec), lang=lang)


def test_unsubscribe_link_asks_first_then_turns_the_kind_off_everywhere(client):
    user, community = UserFactory(), CommunityFactory()
    NotificationPreferenceFactory(user=user, kind=NEW_MEMBER, community=community)
    pending = services.notify(kind=NEW_MEMBER, recipients=[user], community=CommunityFactory())[0]
    link = unsubscribe_url(user, NEW_MEMBER, "fr")

    page = client.get(link).content.decode()
    assert "Ne plus recevoir ces courriels" in page
    assert "Nouveaux membres" in page
    assert not NotificationPreference.objects.filter(frequency=Frequency.OFF).exists()

    page = client.post(link).content.decode()
    assert "Vous ne recevrez plus ces courriels" in page
    frequencies = set(
        NotificationPreference.objects.filter(user=user).values_list("frequency", flat=True)
    )
    assert frequencies == {Frequency.OFF}
    pending.refresh_from_db()
    assert pending.state == DeliveryState.SUPPRESSED


def test_one_click_unsubscribe_from_the_mail_client_needs_no_session_or_csrf(client):
    client.handler.enforce_csrf_checks = True
    user = UserFactory()
    response = client.post(
        unsubscribe_url(user, NEW_MEMBER),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user).frequency == Frequency.OFF


def test_the_digest_link_turns_off_every_optional_kind_but_not_security_mail(client):
    user = UserFactory()
    client.post(unsubscribe_url(user))
    turned_off = set(
        NotificationPreference.objects.filter(user=user, frequency=Frequency.OFF).values_list(
            "kind", flat=True
        )
    )
    assert turned_off == {kind.code for kind in kinds.optional_kinds()}
    assert kinds.ACCOUNT not in turned_off


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_tampered_or_security_unsubscribe_link_is_refused_with_an_explanation(client, lang):
    user = UserFactory()
    good = unsubscribe_url(user, NEW_MEMBER, lang)
    tampered = good.replace("/unsubscribe/", "/unsubscribe/x")
    security = unsubscribe_url(user, kinds.ACCOUNT, lang)
    expected = "Ce lien ne fonctionne pas" if lang == "fr" else "This link does not work"
    for link in (tampered, security):
        response = client.post(link)
        assert response.status_code == 400
        assert expected in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_emails_carry_a_working_unsubscribe_link(client, django_capture_on_commit_callbacks):
    community, lead = CommunityFactory(), UserFactory(preferred_language="fr")
    make_member(community, lead, role=Membership.Role.LEAD)
    NotificationPreferenceFactory(user=lead, kind=NEW_MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        make_member(community, UserFactory())
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert link in mail.outbox[0].body
    client.post(link.removeprefix("http://testserver"))
    assert NotificationPreference.objects.get(user=lead).frequency == Frequency.OFF


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_notifications_with_state_attempts_and_error(
    admin_client, django_assert_max_num_queries
):
    community = CommunityFactory(name_en="Chemical")
    users = [UserFactory() for _ in range(30)]
    services.notify(kind=NEW_MEMBER, recipients=users, community=community)
    Notification.objects.filter(email=users[0].email).update(
        state=DeliveryState.FAILED, attempts=8, last_error="SMTPDataError: (451, 'busy')"
    )
    with django_assert_max_num_queries(12):
        response = admin_client.get(url("admin:notifications_notification_changelist"))
    page = response.content.decode()
    assert "SMTPDataError: (451, &#x27;busy&#x27;)" in page
    assert "New members" in page
    response = admin_client.get(
        url("admin:notifications_notification_changelist", lang="fr") + "?state__exact=failed"
    )
    page = response.content.decode()
    assert users[0].email in page and users[1].email not in page
    assert "Échec" in page


def test_admin_sends_failed_notifications_again(admin_client, django_capture_on_commit_callbacks):
    user = UserFactory()
    notification = NotificationFactory(
        recipient=user, state=DeliveryState.FAILED, attempts=8, last_error="boom"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("admin:notifications_notification_changelist"),
            {"action": "resend", "_selected_action": [str(notification.pk)]},
            follow=True,
        )
    assert "1 email will be sent again." in response.content.decode()
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert [m.to for m in mail.outbox] == [[user.email]]
    # the record's page is read-only and shows what happened
    page = admin_client.get(
        url("admin:notifications_notification_change", notification.pk)
    ).content.decode()
    assert "boom" in page


def test_admin_shows_the_emails_whose_outcome_is_uncertain(admin_client):
    users = [UserFactory() for _ in range(3)]
    services.notify(kind=NEW_MEMBER, recipients=users, community=CommunityFactory())
    Notification.objects.filter(email=users[0].email).update(
        state=DeliveryState.SENT, interrupted=1
    )
    response = admin_client.get(
        url("admin:notifications_notification_changelist", lang="fr") + "?outcome=uncertain"
    )
    page = response.content.decode()
    assert users[0].email in page and users[1].email not in page
    assert "Incertain\u00a0: une tentative a été interrompue" in page
