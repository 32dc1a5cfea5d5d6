"""Personal data in the browser, in English and in French (issue #18, item 9): a member opens
"My personal data" from their profile, downloads their data as JSON and as CSV, deletes their
account (keeping what they wrote), lands on the home page signed out, cannot sign in again, and
their reply in a discussion now reads as written by "Former member" / « Ex-membre »."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from communities.models import Community, Membership
from knowledge import services as knowledge
from members.models import User
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import LANGUAGES, goto, mails_to, screenshot, sign_in, wait_for_components
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

TEXT = {
    "en": {
        "my_data": "My personal data",
        "json": "Download as JSON",
        "csv": "Download as CSV (.zip)",
        "delete": "Delete my account",
        "password": "Your password",
        "keep": "Keep it, shown as written by “Former member”",
        "confirm": "Delete my account permanently",
        "deleted": "Your account is deleted.",
        "wrong": "The email address and/or password you specified are not correct.",
        "former": "Former member",
        "subject": "Your account is deleted",
        "hand_over": "hand over before you delete your account",
    },
    "fr": {
        "my_data": "Mes données personnelles",
        "json": "Télécharger en JSON",
        "csv": "Télécharger en CSV (.zip)",
        "delete": "Supprimer mon compte",
        "password": "Votre mot de passe",
        "keep": "Le conserver, présenté comme écrit par «\u00a0Ex-membre\u00a0»",
        "confirm": "Supprimer définitivement mon compte",
        "deleted": "Votre compte est supprimé.",
        "wrong": "L’adresse courriel ou le mot de passe que vous avez saisi est incorrect.",
        "former": "Ex-membre",
        "subject": "Votre compte est supprimé",
        "hand_over": "passez le relais avant de supprimer votre compte",
    },
}


def _world(lang):
    community = CommunityFactory(
        name_en="Chemical",
        name_fr="Chimique",
        slug=f"chemical-{lang}",
        visibility=Community.Visibility.PUBLIC,
    )
    lead = UserFactory(verified=True, first_name="Louise", last_name="Gagnon")
    make_member(community, lead, Membership.Role.LEAD)
    member = UserFactory(
        verified=True,
        email=f"marc.bouchard.{lang}@example.gc.ca",
        first_name="Marc",
        last_name="Bouchard",
        preferred_language=lang,
    )
    make_member(community, member)
    lead, member = User.objects.get(pk=lead.pk), User.objects.get(pk=member.pk)
    thread = knowledge.thread_start(
        community=community, by=lead, title="Exercise planning", body="Who comes?"
    )
    knowledge.thread_reply(thread=thread, by=member, body="Count me in for the exercise.")
    return lead, member, thread


def _download(page, button_name) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name=button_name, exact=True).click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_member_downloads_their_data_and_deletes_their_account(
    page, new_page, live_server, artifacts, lang
):
    t = TEXT[lang]
    lead, member, thread = _world(lang)
    address = member.email

    # From their profile, the member opens "My personal data"
    sign_in(page, member, live_server)
    goto(page, url("members:profile", member.pk, lang=lang))
    page.locator("#main-content").get_by_role("link", name=t["my_data"], exact=True).click()
    wait_for_components(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_data"])

    # They download everything held about them, as JSON and as CSV files
    document = json.loads(_download(page, t["json"]))
    account = document["categories"]["account"]["rows"][0]
    assert (account["email"], account["last_name"]) == (address, "Bouchard")
    messages = document["categories"]["discussion_messages"]["rows"]
    assert [row["message"] for row in messages] == ["Count me in for the exercise."]
    assert "Gagnon" not in json.dumps(document, ensure_ascii=False)
    archive = zipfile.ZipFile(io.BytesIO(_download(page, t["csv"])))
    assert any(name.endswith("memberships.csv") for name in archive.namelist())

    # They delete their account, keeping what they wrote (the default)
    page.locator("#main-content").get_by_role("link", name=t["delete"], exact=True).click()
    wait_for_components(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["delete"])
    expect(page.get_by_label(t["keep"])).to_be_checked()
    page.get_by_label(t["password"]).fill(PASSWORD)
    page.get_by_role("button", name=t["confirm"]).click()
    wait_for_components(page)

    # Home, signed out, told so; a confirmation went to their old address in their language
    assert page.evaluate("location.pathname") == url("home", lang=lang)
    expect(page.locator("body")).to_contain_text(t["deleted"])
    [confirmation] = mails_to(address)
    assert confirmation.subject == t["subject"]

    # They cannot sign in again
    goto(page, url("account_login", lang=lang))
    page.locator("#id_login").fill(address)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#main-content form button[type=submit]").last.click()
    wait_for_components(page)
    expect(page.locator("#main-content")).to_contain_text(t["wrong"])

    # The lead still reads the reply, by "Former member", without the name
    other = new_page()
    sign_in(other, lead, live_server)
    goto(other, url("knowledge:thread", thread.pk, lang=lang))
    reply = other.locator("article.post").filter(has_text="Count me in for the exercise.")
    expect(reply.get_by_role("heading", level=3)).to_have_text(t["former"])
    expect(other.locator("#main-content")).not_to_contain_text("Bouchard")
    screenshot(other, "account-deletion", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_lead_is_asked_to_hand_over_before_deleting(page, live_server, artifacts, lang):
    t = TEXT[lang]
    lead, _member, _thread = _world(lang)

    sign_in(page, lead, live_server)
    goto(page, url("members:delete", lang=lang))

    main = page.locator("#main-content")
    expect(main).to_contain_text(t["hand_over"])
    community = {"en": "Chemical", "fr": "Chimique"}[lang]
    expect(main.get_by_role("link", name=community)).to_be_visible()
    expect(page.get_by_role("button", name=t["confirm"])).to_have_count(0)
    screenshot(page, "account-deletion-lead", lang)
