"""Both official languages at the edges of the site: the bare address, the language toggle, the
page title, the 404 page; and the health endpoint load balancers read."""

import html
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def in_language(lang, message):
    with translation.override(lang):
        return gettext(message)


def squash(text):
    return " ".join(html.unescape(text).split())


def title_of(response):
    return squash(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1))


def language_toggle_of(response):
    """Where the GC header's language link (the "Français" / "English" toggle) leads."""
    match = re.search(r'<gcds-header[^>]*\slang-href="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1))


@pytest.mark.parametrize(
    ("accept_language", "home"),
    [("fr-CA,fr;q=0.9,en;q=0.5", "/fr/"), ("en-CA,en;q=0.9,fr;q=0.5", "/en/")],
)
def test_bare_address_sends_visitors_to_the_home_page_in_their_browsers_language(
    client, accept_language, home
):
    # Given a visitor whose browser prefers one official language
    # When they type the portal's bare address
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    # Then they are sent to the home page in that language
    assert response.status_code == 302
    assert response["Location"] == home


def test_french_home_page_is_declared_french_and_titled_in_french(client):
    # Given the French home page
    # When a visitor opens it
    response = client.get("/fr/")

    # Then the document says it is French (for screen readers) and its title is French
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    french_title = (
        f"{in_language('fr', 'Home')} – {in_language('fr', 'CSSP Communities of Practice')}"
    )
    assert french_title != "Home – CSSP Communities of Practice"
    assert title_of(response) == french_title


def test_language_toggle_on_the_sign_in_page_leads_to_the_same_page_in_french_with_its_query(
    client,
):
    # Given the English sign-in page, reached with a page to return to
    # When a visitor reads its header
    response = client.get("/en/accounts/login/?next=/en/communities/&x=1")

    # Then the language toggle leads to the French sign-in page, keeping the query, and the
    # page to return to is the French one too
    assert language_toggle_of(response) == "/fr/accounts/login/?next=%2Ffr%2Fcommunities%2F&x=1"


def test_missing_french_page_answers_404_with_the_french_not_found_page(client):
    # Given an address that matches nothing, under /fr/
    # When a visitor opens it
    response = client.get("/fr/cette-page-n-existe-pas/")

    # Then they get a 404 whose page says so in French
    assert response.status_code == 404
    text = squash(response.content.decode())
    assert '<html lang="fr">' in text
    not_found = in_language("fr", "We couldn’t find that page")
    assert not_found != "We couldn’t find that page"
    assert f'<h1 class="page-title">{not_found}</h1>' in text
    assert in_language("fr", "Error 404") in text


def test_language_toggle_on_a_missing_french_page_leads_to_the_english_address(client):
    # Given an address that matches nothing, under /fr/
    # When a visitor reads the header of the French 404 page
    response = client.get("/fr/cette-page-n-existe-pas/")

    # Then the "English" toggle leads to the same address in English, not back to this page
    assert language_toggle_of(response) == "/en/cette-page-n-existe-pas/"


def test_health_endpoint_reports_every_check_ok_in_json(client):
    # Given the running portal with its database, cache, broker and migrations
    # When a load balancer asks for the health report in JSON
    response = client.get("/healthz?format=json")

    # Then it is healthy, and says so for each check by name
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    report = response.json()
    # (the lower-case keys are what the worker and outbox checks saw: tests/notifications)
    checks = {key: value for key, value in report.items() if key[0].isupper()}
    assert {check.split("(")[0] for check in checks} == {
        "Database",
        "Cache",
        "Broker",
        "Migrations",
        "Workers",
        "Outbox",
    }
    assert set(checks.values()) == {"OK"}
