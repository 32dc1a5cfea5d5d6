"""Open redirects: a `next=` pointing off the portal is never followed."""

import re

import pytest
from django.core.cache import cache

from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit_left_by_earlier_tests():
    """Sign-in rate limits live in the cache: the fuzzing of the forms before may have used up
    this address's failed attempts."""
    cache.clear()


HOSTILE_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]


def _stays_on_the_portal(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_signing_in_never_follows_a_next_off_the_portal(client, target):
    user = UserFactory(verified=True)

    response = client.post(
        f"/en/accounts/login/?next={target}", {"login": user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert _stays_on_the_portal(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_signing_out_never_follows_a_next_off_the_portal(client, target):
    client.force_login(UserFactory(verified=True))

    response = client.post("/en/accounts/logout/", {"next": target})

    assert response.status_code == 302
    assert _stays_on_the_portal(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_the_language_toggle_keeps_a_hostile_next_as_plain_text(client, target):
    response = client.get("/en/accounts/login/", {"next": target})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="https://evil.example' not in page
    assert 'href="//evil.example' not in page
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(
    "path", ["//evil.example/en/", "//evil.example/fr/", "/\\evil.example/en/", "///evil.example/"]
)
def test_the_language_toggle_of_a_404_page_stays_on_the_portal(client, path):
    # F6: the toggle of a page not found rebuilt its address from the path, so a path that
    # begins with two slashes made a link to another site. (The test client would read such a
    # path as a host, hence PATH_INFO given as the server passes it.)
    response = client.get("/", PATH_INFO=path)

    assert response.status_code == 404
    toggle = re.search(r'<gcds-header[^>]*\slang-href="([^"]*)"', response.content.decode())
    assert toggle, "the 404 page has the GC header and its language toggle"
    assert _stays_on_the_portal(toggle.group(1)), toggle.group(1)
