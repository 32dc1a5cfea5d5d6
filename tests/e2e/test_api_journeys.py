"""The API in the browser: the documentation runs under the portal's CSP from our own static
files, and a member creates a token, reads the API with it and revokes it (EN and FR)."""

import pytest
from playwright.sync_api import expect

from communities.models import Community
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import goto, in_language, screenshot, sign_in
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_runs_from_our_files_under_the_csp(page, live_server):
    problems, foreign = [], []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on(
        "request",
        lambda r: not r.url.startswith(live_server.url) and foreign.append(r.url),
    )

    page.goto("/api/v1/docs/")

    expect(page.get_by_text("CSSP Communities of Practice API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/communities/").first).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not foreign, foreign


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_member_creates_a_token_reads_the_api_and_revokes_it(page, live_server, lang):
    private = CommunityFactory(slug="secret", visibility=Community.Visibility.MEMBERS)
    member = UserFactory(verified=True, preferred_language=lang)
    make_member(private, member)
    sign_in(page, member, live_server)

    goto(page, url("opendata:tokens", lang=lang))
    page.get_by_label(in_language(lang, "Name of the token")).fill("Reports")
    page.get_by_role("button", name=in_language(lang, "Create the token")).click()
    key = page.get_by_label(
        in_language(lang, "Copy it now: it will not be shown again.")
    ).input_value()
    headers = {"Authorization": f"Bearer {key}"}
    api = page.request.get(f"{live_server.url}/api/v1/communities/secret/", headers=headers)
    assert api.status == 200
    assert api.json()["slug"] == "secret"

    page.get_by_role(
        "button", name=in_language(lang, "Revoke “%(name)s”") % {"name": "Reports"}
    ).click()
    expect(page.get_by_text(in_language(lang, "You have no active token."))).to_be_visible()
    screenshot(page, "api-token", lang)
    again = page.request.get(f"{live_server.url}/api/v1/communities/secret/", headers=headers)
    assert again.status == 401
