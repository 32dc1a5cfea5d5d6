"""Account journeys as a member lives them, in both official languages: sign up and confirm the
address, sign in and out, reset a forgotten password, enrol an authenticator app, and meet the
brute-force limits. Assertions are on the pages and emails a person reads."""

import datetime as dt
import html
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext

from members.models import User
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
NEW_PASSWORD = "purple maple over frozen lakes"


@pytest.fixture(autouse=True)
def _no_rate_limit_history():
    # allauth keeps its rate-limit counters in the (Redis) cache, keyed by client address and
    # account: without this, one test's failed sign-ins would lock out the next test's member.
    cache.clear()
    yield
    cache.clear()


def in_language(lang, message):
    """What the catalogues say `message` is in `lang`: the text a reader of that language sees."""
    with translation.override(lang):
        return gettext(message)


def squash(text):
    return " ".join(text.split())


def page_text(response):
    """The page as a reader sees it: entities decoded, line breaks and indentation collapsed."""
    return squash(html.unescape(response.content.decode()))


def link_in(mail, path_part):
    match = re.search(rf"https?://testserver/\S*{re.escape(path_part)}\S*", mail.body)
    assert match, f"no link containing {path_part!r} in:\n{mail.body}"
    return match.group(0)


def sign_up(client, lang, *, email, preferred_language, capture):
    with capture(execute=True):
        return client.post(
            url("account_signup", lang=lang),
            {
                "first_name": "Geneviève",
                "last_name": "Côté",
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "preferred_language": preferred_language,
            },
        )


def sign_in(client, lang, email, password=PASSWORD):
    return client.post(url("account_login", lang=lang), {"login": email, "password": password})


def signed_in(client, lang):
    """Whether the header of the home page offers to sign out (it does only to a member)."""
    home = client.get(url("home", lang=lang))
    return f'href="{url("account_logout", lang=lang)}"' in home.content.decode()


def current_totp_code(secret):
    # The code the member's authenticator app shows right now, by allauth's own algorithm.
    counter = int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


# --- Sign-up and email confirmation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "given_name", "password", "preferred_language"),
    [
        ("en", "Given name", "Password", "Preferred language"),
        ("fr", "Prénom", "Mot de passe", "Langue de préférence"),
    ],
)
def test_sign_up_page_shows_the_form_in_the_page_language(
    client, lang, given_name, password, preferred_language
):
    # Given a visitor on the sign-up page of one language
    signup_url = url("account_signup", lang=lang)

    # When they open it
    response = client.get(signup_url)

    # Then the form's labels are written in that language
    text = page_text(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in text
    assert f'<label for="id_first_name">{given_name}' in text
    assert f'<label for="id_password1">{password}' in text
    assert f'<label for="id_preferred_language">{preferred_language}' in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_up_creates_an_unverified_member_and_emails_a_confirmation_link_in_their_language(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given a visitor signing up on the site of their language, choosing it for their emails
    email = "genevieve.cote@example.gc.ca"

    # When they submit the sign-up form
    response = sign_up(
        client,
        lang,
        email=email,
        preferred_language=lang,
        capture=django_capture_on_commit_callbacks,
    )

    # Then they have an account with their names and language, not yet verified
    assert response.status_code == 302
    assert response["Location"] == url("account_email_verification_sent", lang=lang)
    member = User.objects.get(email=email)
    assert (member.first_name, member.last_name, member.preferred_language) == (
        "Geneviève",
        "Côté",
        lang,
    )
    assert not EmailAddress.objects.filter(user=member, verified=True).exists()
    # And the page tells them to check their inbox
    sent_page = client.get(response["Location"])
    assert in_language(lang, "Verify Your Email Address") in page_text(sent_page)
    # And one email, written in their language, brings them a confirmation link
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [email]
    assert mail.subject == in_language(lang, "Please Confirm Your Email Address")
    link = link_in(mail, "/accounts/confirm-email/")
    assert (
        in_language(lang, "To confirm this is correct, go to %(activate_url)s")
        % {"activate_url": link}
        in mail.body
    )


def test_sign_up_on_the_english_site_choosing_french_gets_the_email_in_french(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a visitor on the English sign-up page who picks French for their emails
    email = "francophone@example.gc.ca"

    # When they sign up
    sign_up(
        client,
        "en",
        email=email,
        preferred_language="fr",
        capture=django_capture_on_commit_callbacks,
    )

    # Then the confirmation email is written in French, not in the language of the page
    (mail,) = mailoutbox
    french_subject = in_language("fr", "Please Confirm Your Email Address")
    assert french_subject != in_language("en", "Please Confirm Your Email Address")
    assert mail.subject == french_subject
    link = link_in(mail, "/accounts/confirm-email/")
    assert (
        in_language("fr", "To confirm this is correct, go to %(activate_url)s")
        % {"activate_url": link}
        in mail.body
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_following_the_confirmation_link_verifies_the_address_and_the_member_can_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given a member who signed up and received the confirmation email
    email = "new.member@example.gc.ca"
    sign_up(
        client,
        lang,
        email=email,
        preferred_language=lang,
        capture=django_capture_on_commit_callbacks,
    )
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    # When they open the link, read the confirmation page and press its button
    confirm_page = client.get(link)
    confirmed = client.post(link)

    # Then the page asked them, in their language, to confirm their address
    assert confirm_page.status_code == 200
    assert in_language(lang, "Confirm Email Address") in page_text(confirm_page)
    assert email in page_text(confirm_page)
    # And the address is now verified
    assert confirmed.status_code == 302
    assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
    # And, signed out, they can sign in again with their password
    client.post(url("account_logout", lang=lang))
    assert not signed_in(client, lang)
    response = sign_in(client, lang, email)
    assert response.status_code == 302
    assert response["Location"] == url("home", lang=lang)
    assert signed_in(client, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_account_emails_greet_the_member_with_the_portal_name(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given a visitor signing up (the site is known from the request: there is no Sites app)
    email = "greeted@example.gc.ca"

    # When the confirmation email arrives
    sign_up(
        client,
        lang,
        email=email,
        preferred_language=lang,
        capture=django_capture_on_commit_callbacks,
    )

    # Then it opens with the portal's greeting (not allauth's "Hello from !") and closes by
    # naming the portal in the reader's language
    greeting, closing = {
        "en": ("Hello,", "Thank you for using the CSSP Communities of Practice portal."),
        "fr": ("Bonjour,", "Merci d’utiliser le portail des communautés de pratique du PCSS."),
    }[lang]
    body = mailoutbox[0].body
    assert body.startswith(greeting + "\n")
    assert closing in body
    assert "Hello from" not in body and "Bonjour de la part" not in body


# --- Sign-in and sign-out ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wrong_password_shows_an_error_in_the_page_language_and_signs_no_one_in(client, lang):
    # Given a verified member
    member = UserFactory(verified=True)

    # When someone signs in with their address and a wrong password
    response = sign_in(client, lang, member.email, password="not the right password")

    # Then the form comes back with the error in the page's language, and no one is signed in
    assert response.status_code == 200
    error = in_language(lang, "The email address and/or password you specified are not correct.")
    assert error in page_text(response)
    assert "_auth_user_id" not in client.session
    assert not signed_in(client, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_correct_password_signs_the_member_in_and_returns_them_home(client, lang):
    # Given a verified member
    member = UserFactory(verified=True)

    # When they sign in with their email address and password
    response = sign_in(client, lang, member.email)

    # Then they land on the home page of their language, signed in as themselves
    assert response.status_code == 302
    assert response["Location"] == url("home", lang=lang)
    assert client.session["_auth_user_id"] == str(member.pk)
    assert signed_in(client, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unverified_member_is_asked_to_verify_their_address_instead_of_being_signed_in(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given a member who never confirmed their address
    member = UserFactory(preferred_language=lang)

    # When they sign in with the right password
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, lang, member.email)

    # Then they are sent to the "verify your email address" page, and not signed in
    assert response.status_code == 302
    assert response["Location"] == url("account_email_verification_sent", lang=lang)
    page = client.get(response["Location"])
    assert in_language(lang, "Verify Your Email Address") in page_text(page)
    assert not signed_in(client, lang)
    # And a fresh confirmation link is on its way, in their language
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert mail.subject == in_language(lang, "Please Confirm Your Email Address")
    assert link_in(mail, "/accounts/confirm-email/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_signing_out_by_post_ends_the_session(client, lang):
    # Given a signed-in member
    member = UserFactory(verified=True)
    sign_in(client, lang, member.email)
    assert signed_in(client, lang)

    # When they sign out
    response = client.post(url("account_logout", lang=lang))

    # Then the session no longer holds them and the header offers to sign in again
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    home = client.get(url("home", lang=lang))
    assert f'href="{url("account_login", lang=lang)}"' in home.content.decode()
    assert not signed_in(client, lang)


# --- Password reset ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_reset_emails_a_link_in_the_members_language_and_the_new_password_replaces_the_old(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given a verified member who forgot their password
    member = UserFactory(verified=True, preferred_language=lang)

    # When they ask for a reset, follow the emailed link and choose a new password
    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post(url("account_reset_password", lang=lang), {"email": member.email})
    (mail,) = mailoutbox
    key_page = client.get(link_in(mail, "/accounts/password/reset/key/"), follow=True)
    form_url = key_page.redirect_chain[-1][0]
    changed = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    # Then one email, in their language, carried the reset link
    assert requested.status_code == 302
    assert mail.to == [member.email]
    assert mail.subject == in_language(lang, "Password Reset Email")
    # And the link led to a form to choose the password, which accepted the new one
    assert in_language(lang, "Change Password") in page_text(key_page)
    assert changed.status_code == 302
    # And the old password no longer opens the account, the new one does
    refused = sign_in(client, lang, member.email, password=PASSWORD)
    assert in_language(
        lang, "The email address and/or password you specified are not correct."
    ) in page_text(refused)
    assert not signed_in(client, lang)
    accepted = sign_in(client, lang, member.email, password=NEW_PASSWORD)
    assert accepted["Location"] == url("home", lang=lang)
    assert signed_in(client, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_password_reset_for_an_unknown_address_shows_the_same_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks, lang
):
    # Given one address with an account and one without
    member = UserFactory(verified=True, preferred_language=lang)
    reset_url = url("account_reset_password", lang=lang)

    # When a reset is asked for each
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reset_url, {"email": member.email})
        unknown = client.post(reset_url, {"email": "nobody@example.gc.ca"})

    # Then both lead to the same "we have sent you an email" page: nothing tells them apart
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == url("account_reset_password_done", lang=lang)
    done = client.get(unknown["Location"])
    assert in_language(lang, "Password Reset") in page_text(done)
    # And only the member's address received a reset link
    links = {tuple(mail.to): "/accounts/password/reset/key/" in mail.body for mail in mailoutbox}
    assert links == {(member.email,): True, ("nobody@example.gc.ca",): False}


# --- Two-factor authentication (TOTP) -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_member_enrols_an_authenticator_app_and_is_then_asked_for_its_code_at_sign_in(
    client, django_capture_on_commit_callbacks, lang
):
    # Given a verified member, signed in (time stands still so a code cannot expire mid-step)
    member = UserFactory(verified=True, preferred_language=lang)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, lang, member.email)

        # When they open the authenticator-app page, confirm their password as asked,
        activate_url = url("mfa_activate_totp", lang=lang)
        reauthenticate = client.get(activate_url)
        confirmed = client.post(reauthenticate["Location"], {"password": PASSWORD})
        # read the secret the page shows, and enter the code their app computes from it
        enrol_page = client.get(activate_url)
        secret = re.search(
            r'id="authenticator_secret" value="([A-Z2-7]+)"', enrol_page.content.decode()
        ).group(1)
        with django_capture_on_commit_callbacks(execute=True):
            activated = client.post(activate_url, {"code": current_totp_code(secret)})

        # Then the sensitive page first asked for their password, then showed the enrolment form
        assert reauthenticate.status_code == 302
        assert reauthenticate["Location"].startswith(url("account_reauthenticate", lang=lang))
        assert confirmed["Location"] == activate_url
        assert in_language(lang, "Activate Authenticator App") in page_text(enrol_page)
        # And the code was accepted: the member has an authenticator app
        assert activated.status_code == 302
        assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

        # And, after signing out, the password alone no longer signs them in
        client.post(url("account_logout", lang=lang))
        password_step = sign_in(client, lang, member.email)
        assert password_step["Location"] == url("mfa_authenticate", lang=lang)
        challenge = client.get(password_step["Location"])
        assert in_language(lang, "Two-Factor Authentication") in page_text(challenge)
        assert not signed_in(client, lang)

        # And the next code from their app completes the sign-in
        clock.shift(dt.timedelta(seconds=mfa_settings.TOTP_PERIOD))
        code_step = client.post(
            url("mfa_authenticate", lang=lang), {"code": current_totp_code(secret)}
        )
        assert code_step["Location"] == url("home", lang=lang)
        assert signed_in(client, lang)


# --- Brute-force limits (ACCOUNT_RATE_LIMITS) ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_after_five_failed_sign_ins_from_one_address_even_the_right_password_is_refused(
    client, lang
):
    # Given a member, and someone who got their password wrong five times from one address
    member = UserFactory(verified=True)
    mismatch = in_language(lang, "The email address and/or password you specified are not correct.")
    failures = [sign_in(client, lang, member.email, password=f"guess {n}") for n in range(5)]

    # When a sixth attempt comes from that address, this time with the right password
    response = sign_in(client, lang, member.email)

    # Then the five failures were ordinary form errors
    assert all(mismatch in page_text(failure) for failure in failures)
    # And the sixth is refused with allauth's "too many attempts" message, in the page language
    assert response.status_code == 200
    too_many = in_language(lang, "Too many failed login attempts. Try again later.")
    assert too_many in page_text(response)
    assert not signed_in(client, lang)


def test_ten_failed_sign_ins_on_one_account_lock_it_even_from_new_addresses(client):
    # Given ten wrong passwords for one account, each from a different address
    member = UserFactory(verified=True)
    for n in range(10):
        client.post(
            url("account_login"),
            {"login": member.email, "password": f"guess {n}"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )

    # When the right password comes from yet another address
    response = client.post(
        url("account_login"),
        {"login": member.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )

    # Then the account is locked for now
    assert "Too many failed login attempts. Try again later." in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_burst_of_sign_in_attempts_from_one_address_is_answered_with_http_429(client):
    # Given a member whose sign-in form is hammered from one address
    member = UserFactory(verified=True)

    # When the attempts keep coming within a minute (the clock is held still, so a slow
    # machine cannot spread them over more than the rate limit's minute)
    with time_machine.travel(timezone.now(), tick=False):
        statuses = [
            sign_in(client, "en", member.email, password=f"guess {n}").status_code
            for n in range(31)
        ]

    # Then, once allauth's per-address budget for the sign-in form is spent (30 a minute by
    # default), the portal stops rendering the form and answers "429 Too Many Requests"
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_a_french_speaker_signing_up_on_the_english_site_gets_french_links(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # Given a visitor on the English site who prefers French
    # When they sign up
    sign_up(
        client,
        "en",
        email="francophone@example.gc.ca",
        preferred_language="fr",
        capture=django_capture_on_commit_callbacks,
    )

    # Then the confirmation link in their French email opens the French page
    assert "/fr/accounts/confirm-email/" in mailoutbox[0].body
    assert "/en/accounts/" not in mailoutbox[0].body


def test_signing_out_of_the_french_site_lands_on_the_french_home_page(client):
    # Given a member signed in on the French site, with an English browser
    member = UserFactory(verified=True)
    client.force_login(member)

    # When they sign out
    response = client.post(url("account_logout", lang="fr"), HTTP_ACCEPT_LANGUAGE="en")

    # Then they land on the French home page
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
