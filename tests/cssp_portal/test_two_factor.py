"""Two-factor authentication is required of administrators, portfolio managers and community
leads and co-leads (issue #16, F9; members/two_factor.py): a notice with the deadline
during the grace period, then the set-up page before any other signed-in page."""

import datetime as dt
import html
import re

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone, translation

from communities.models import Community
from tests.communities.factories import CommunityFactory, person_as
from tests.helpers import statements, url
from tests.members.factories import PASSWORD

pytestmark = pytest.mark.django_db

NOTICE = {
    "en": "Two-factor authentication is required",
    "fr": "L’authentification à deux facteurs est obligatoire",
}


def text(response):
    return html.unescape(response.content.decode())


def person(role):
    """Someone in `role` whose account is years old (a new account has its own grace period)."""
    user = person_as(role, CommunityFactory(visibility=Community.Visibility.PUBLIC))
    user.date_joined = timezone.now() - dt.timedelta(days=3650)
    user.save(update_fields=["date_joined"])
    return user


def current_totp_code(secret):
    # The code an authenticator app shows right now, by allauth's own algorithm.
    counter = int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.parametrize(
    ("role", "lang"),
    [("lead", "en"), ("co_lead", "fr"), ("portfolio_manager", "en"), ("admin", "fr")],
)
def test_during_the_grace_period_those_who_must_see_the_deadline_on_every_page(
    client, settings, role, lang
):
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_GRACE_START = timezone.localdate().isoformat()
    settings.TWO_FACTOR_GRACE_DAYS = 14
    client.force_login(person(role))

    home = client.get(url("home", lang=lang))
    events = client.get(url("events:list", lang=lang))

    deadline = timezone.localdate() + dt.timedelta(days=14)
    with translation.override(lang):
        from django.utils.formats import date_format

        shown = date_format(deadline, "DATE_FORMAT")
    assert home.status_code == 200 and events.status_code == 200
    assert NOTICE[lang] in text(home) and NOTICE[lang] in text(events)
    assert shown in text(home)
    assert f'href="{url("mfa_activate_totp", lang=lang)}"' in text(home)


@pytest.mark.parametrize("role", ["member", "non_member"])
def test_members_without_a_role_that_requires_it_are_never_asked(client, settings, role):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    client.force_login(person(role))

    home = client.get(url("home"))

    assert home.status_code == 200
    assert NOTICE["en"] not in text(home)


def test_a_lead_of_any_community_must_use_it(client, settings):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    client.force_login(person("lead_elsewhere"))

    assert client.get(url("home"))["Location"] == url("mfa_activate_totp")


@pytest.mark.parametrize(
    ("role", "lang"), [("lead", "en"), ("admin", "fr"), ("portfolio_manager", "en")]
)
def test_after_the_grace_period_every_page_leads_to_the_set_up_page(client, settings, role, lang):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    client.force_login(person(role))

    home = client.get(url("home", lang=lang))
    posted = client.post(url("communities:list", lang=lang), {})

    assert home.status_code == 302 and home["Location"] == url("mfa_activate_totp", lang=lang)
    assert posted.status_code == 302 and posted["Location"] == url("mfa_activate_totp", lang=lang)
    # the two-factor pages and the account pages stay open, and say why the person is there
    index = client.get(url("mfa_index", lang=lang))
    assert index.status_code == 200
    assert NOTICE[lang] in text(index)
    assert client.get(url("account_email", lang=lang)).status_code == 200
    # and signing out still works
    assert client.post(url("account_logout", lang=lang)).status_code == 302
    assert client.get(url("home", lang=lang)).status_code == 200


def test_a_new_account_gets_its_own_grace_period(client, settings):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    lead = person("lead")
    lead.date_joined = timezone.now() - dt.timedelta(days=3)
    lead.save()
    client.force_login(lead)

    home = client.get(url("home"))

    assert home.status_code == 200
    assert NOTICE["en"] in text(home)


def test_turned_off_nobody_is_asked(client, settings):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = False, "2000-01-01"
    client.force_login(person("admin"))

    home = client.get(url("home"))

    assert home.status_code == 200 and NOTICE["en"] not in text(home)


def test_a_lead_who_sets_up_an_authenticator_app_gets_the_portal_back(
    client, settings, django_capture_on_commit_callbacks
):
    # Given a lead past the grace period, signed in with their password
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    lead = person("lead")
    with time_machine.travel(timezone.now(), tick=False):
        client.post(url("account_login"), {"login": lead.email, "password": PASSWORD})
        sent = client.get(url("events:list"))
        # When they follow the detour, scan the secret and enter their app's code
        enrol_page = client.get(sent["Location"])
        if enrol_page.status_code == 302:  # allauth asks for the password again first
            client.post(enrol_page["Location"], {"password": PASSWORD})
            enrol_page = client.get(sent["Location"])
        secret = re.search(
            r'id="authenticator_secret" value="([A-Z2-7]+)"', enrol_page.content.decode()
        ).group(1)
        with django_capture_on_commit_callbacks(execute=True):
            activated = client.post(sent["Location"], {"code": current_totp_code(secret)})
        events = client.get(url("events:list"))

    # Then the set-up page was the detour, and afterwards the portal opens with no notice
    assert sent.status_code == 302 and sent["Location"] == url("mfa_activate_totp")
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()
    assert events.status_code == 200
    assert NOTICE["en"] not in text(events)


def test_removing_the_authenticator_brings_the_detour_back(client, settings):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    lead = person("lead")
    Authenticator.objects.create(user=lead, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(lead)
    assert client.get(url("home")).status_code == 200

    from allauth.mfa.signals import authenticator_removed

    request = client.get(url("mfa_index")).wsgi_request
    Authenticator.objects.filter(user=lead).delete()
    authenticator_removed.send(sender=Authenticator, request=request, user=lead, authenticator=None)
    request.session.save()

    assert client.get(url("home"))["Location"] == url("mfa_activate_totp")


def test_the_set_up_page_is_in_the_portal_layout_and_in_french(client, settings):
    # Given an administrator past the grace period, signed in on the French pages
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    admin = person("admin")
    client.post(url("account_login", lang="fr"), {"login": admin.email, "password": PASSWORD})

    # When they follow the detour and confirm their password as allauth asks
    sent = client.get(url("home", lang="fr"))
    confirm = client.get(sent["Location"])
    client.post(confirm["Location"], {"password": PASSWORD})
    page = text(client.get(sent["Location"]))

    # Then the set-up page is the portal's, in Canadian French, saying why they are there
    assert sent["Location"] == url("mfa_activate_totp", lang="fr")
    assert confirm["Location"].startswith(url("account_reauthenticate", lang="fr"))
    assert "<gcds-header" in page and 'class="account-nav"' in page
    assert NOTICE["fr"] in page
    assert "Activer l’application d’authentification" in page
    assert "balayez le code QR ci-dessous" in page
    assert "d'authentification" not in page  # allauth's straight apostrophes are replaced


def test_the_check_costs_no_query_once_the_session_knows(client, settings):
    # Given a lead with an authenticator app, whose session has seen one page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = person("lead")
    Authenticator.objects.create(user=lead, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(lead)
    settings.TWO_FACTOR_REQUIRED = False
    client.get(url("events:list"))
    with CaptureQueriesContext(connection) as without:
        client.get(url("events:list"))
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    client.get(url("events:list"))

    # When the same page is opened again with enforcement on
    with CaptureQueriesContext(connection) as enforced:
        page = client.get(url("events:list"))

    # Then it answers as before, with the same queries (who must comes from the standing)
    assert page.status_code == 200
    assert len(enforced) == len(without)


def test_a_lead_in_the_grace_period_costs_no_query_and_a_set_up_elsewhere_counts_at_once(
    client, settings
):
    # Given a lead in the grace period, without an authenticator, who has opened a page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_GRACE_START = timezone.localdate().isoformat()
    lead = person("lead")
    client.force_login(lead)
    assert NOTICE["en"] in text(client.get(url("events:list")))

    # When they open another page
    with CaptureQueriesContext(connection) as again:
        page = client.get(url("events:list"))

    # Then the notice stays; no statement of its own asked for their authenticators (the
    # standing's prepared one reads it) and the session was not written
    assert NOTICE["en"] in text(page)
    assert not any("mfa_authenticator" in sql for sql in statements(again))
    assert not any("django_session" in sql and "UPDATE" in sql for sql in statements(again))

    # When they set up an authenticator app in another browser
    Authenticator.objects.create(user=lead, type=Authenticator.Type.TOTP, data={"secret": "x"})

    # Then the next page of this session knows it
    assert NOTICE["en"] not in text(client.get(url("events:list")))


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("en", "Set up two-factor authentication in the portal before using the API"),
        ("fr", "Configurez l’authentification à deux facteurs dans le portail avant"),
    ],
)
def test_an_overdue_session_calling_the_api_gets_json_it_can_read(client, settings, lang, detail):
    settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_GRACE_START = True, "2000-01-01"
    client.force_login(person("lead"))

    response = client.get("/api/v1/communities/", HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(detail)
