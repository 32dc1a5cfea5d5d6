"""Journeys a person lives in the browser, in English and in French: sign up and confirm the
address, ask to join a community and be approved by its lead, be invited by a lead and sign up
from the invitation. Each step asserts what the page says in its language; each journey keeps a
screenshot of its last page in test-artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from communities.models import Community, Membership
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import (
    LANGUAGES,
    fill_sign_up,
    goto,
    link_in_mail,
    mails_to,
    screenshot,
    sign_in,
    wait_for_components,
)
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

TEXT = {
    "en": {
        "check_inbox": "Verify Your Email Address",
        "confirm_title": "Confirm Email Address",
        "confirm": "Confirm",
        "confirm_subject": "Please Confirm Your Email Address",
        "confirmed": "You have confirmed",
        "members": "Members",
        "sign_in": "Sign in",
        "message_label": "Message to the leads (optional)",
        "ask": "Ask to join",
        "asked": "Your request was sent to the community",
        "approve": "Approve {name}",
        "approved": "{name} is now a member.",
        "welcome_subject": "Welcome to {community}",
        "member_now": "You are a member of this community (Member).",
        "my_communities": "My communities",
        "emails_label": "Email addresses",
        "language_label": "Language of the email to people without an account",
        "send": "Send the invitations",
        "sent": "1 invitation was sent.",
        "invitation_title": "Invitation to join {community}",
        "create_account": "Create my account",
        "accept": "Accept and join",
        "welcome": "Welcome! You are now a member of this community.",
    },
    "fr": {
        "check_inbox": "Vérifiez votre adresse courriel",
        "confirm_title": "Confirmer l’adresse courriel",
        "confirm": "Confirmer",
        "confirm_subject": "Veuillez confirmer votre adresse courriel",
        "confirmed": "Vous avez confirmé l’adresse",
        "members": "Membres",
        "sign_in": "Se connecter",
        "message_label": "Message aux responsables (facultatif)",
        "ask": "Demander à me joindre",
        "asked": "Votre demande a été envoyée aux responsables",
        "approve": "Accepter {name}",
        "approved": "{name} est maintenant membre.",
        "welcome_subject": "Bienvenue dans la communauté de pratique «\u00a0{community}\u00a0»",
        "member_now": "Vous êtes membre de cette communauté (Membre).",
        "my_communities": "Mes communautés",
        "emails_label": "Adresses courriel",
        "language_label": "Langue du courriel aux personnes sans compte",
        "send": "Envoyer les invitations",
        "sent": "1 invitation a été envoyée.",
        "invitation_title": "Invitation\u00a0: communauté «\u00a0{community}\u00a0»",
        "create_account": "Créer mon compte",
        "accept": "Accepter et me joindre",
        "welcome": "Bienvenue! Vous êtes maintenant membre de cette communauté.",
    },
}


@pytest.fixture
def chemical():
    """A public community that takes requests, with a lead who reads French or English."""
    community = CommunityFactory(
        name_en="Chemical",
        name_fr="Chimique",
        slug="chemical",
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.REQUEST,
    )
    lead = UserFactory(verified=True, first_name="Louise", last_name="Gagnon")
    make_member(community, lead, role=Membership.Role.LEAD)
    return community, lead


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_up_and_confirm_the_email_address(page, live_server, artifacts, lang):
    t = TEXT[lang]
    email = f"genevieve.{lang}@example.gc.ca"

    # A visitor fills the sign-up form of their language and sends it
    goto(page, url("account_signup", lang=lang))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    fill_sign_up(page, email=email, password=PASSWORD, lang=lang)

    # The portal asks them to check their inbox, in their language
    wait_for_components(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["check_inbox"])

    # The email, in their language, brings a confirmation link
    [message] = mails_to(email)
    assert message.subject == t["confirm_subject"]
    goto(page, link_in_mail(message, "/accounts/confirm-email/", live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["confirm_title"])
    expect(page.locator("#main-content")).to_contain_text(email)
    page.get_by_role("button", name=t["confirm"], exact=True).click()

    # Confirmed, they are signed in (no longer "Sign in") and told so; example.gc.ca is not a
    # trusted domain, so they are a guest: no member directory until they are vetted
    # (tests/e2e/test_vetting_journeys.py)
    wait_for_components(page)
    expect(page.locator("#main-content")).to_contain_text(t["confirmed"])
    expect(page.get_by_role("link", name=t["members"], exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=t["sign_in"], exact=True)).to_have_count(0)
    screenshot(page, "sign-up", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_request_to_join_a_community_and_be_approved_by_its_lead(
    page, new_page, live_server, artifacts, chemical, lang
):
    t = TEXT[lang]
    community, lead = chemical
    lead.preferred_language = lang
    lead.save()
    member = UserFactory(
        verified=True, preferred_language=lang, first_name="Marc", last_name="Bouchard"
    )
    name = member.get_full_name()
    community_name = {"en": "Chemical", "fr": "Chimique"}[lang]

    # A member asks to join from the community's page, with a word for the leads
    sign_in(page, member, live_server)
    goto(page, url("communities:detail", community.slug, lang=lang))
    expect(page.get_by_role("heading", level=1)).to_have_text(community_name)
    page.get_by_label(t["message_label"]).fill("Toxicologue à Santé Canada.")
    page.get_by_role("button", name=t["ask"]).click()
    wait_for_components(page)
    expect(page.locator("#main-content")).to_contain_text(t["asked"])

    # The lead is told by email, and approves the request from the roster
    [to_lead] = mails_to(lead.email)
    assert "Toxicologue à Santé Canada." in to_lead.body
    lead_page = sign_in(new_page(), lead, live_server)
    goto(lead_page, url("communities:roster", community.slug, lang=lang))
    lead_page.get_by_role("button", name=t["approve"].format(name=name)).click()
    wait_for_components(lead_page)
    expect(lead_page.locator("#main-content")).to_contain_text(t["approved"].format(name=name))
    expect(lead_page.get_by_role("row", name=name)).to_be_visible()

    # The member gets the welcome in their language and sees the community as theirs
    welcome = mails_to(member.email)[-1]
    assert welcome.subject == t["welcome_subject"].format(community=community_name)
    goto(page, url("communities:detail", community.slug, lang=lang))
    expect(page.locator("#main-content")).to_contain_text(t["member_now"])
    goto(page, url("communities:mine", lang=lang))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_communities"])
    expect(page.locator("#main-content").get_by_role("link", name=community_name)).to_be_visible()
    screenshot(page, "join-request", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lead_invites_a_new_address_who_signs_up_and_joins(
    page, new_page, live_server, artifacts, chemical, lang
):
    t = TEXT[lang]
    community, lead = chemical
    community_name = {"en": "Chemical", "fr": "Chimique"}[lang]
    invited = f"nadia.roy.{lang}@example.ca"

    # The lead invites an address that has no account, choosing the email's language
    lead_page = sign_in(page, lead, live_server)
    goto(lead_page, url("communities:roster", community.slug, lang=lang))
    lead_page.get_by_label(t["emails_label"]).fill(invited)
    lead_page.get_by_label(t["language_label"]).select_option(lang)
    lead_page.get_by_role("button", name=t["send"]).click()
    wait_for_components(lead_page)
    expect(lead_page.locator("#main-content")).to_contain_text(t["sent"])
    expect(lead_page.get_by_role("row", name=invited)).to_be_visible()

    # The invited person follows the link of the email
    [invitation] = mails_to(invited)
    link = link_in_mail(invitation, "/invitations/", live_server)
    assert f"/{lang}/" in link
    guest = new_page()
    goto(guest, link)
    title = t["invitation_title"].format(community=community_name)
    expect(guest.get_by_role("heading", level=1)).to_have_text(title)

    # creates an account with the invited address (already filled in) ...
    guest.get_by_role("link", name=t["create_account"]).click()
    wait_for_components(guest)
    expect(guest.locator("#id_email")).to_have_value(invited)
    fill_sign_up(
        guest, email=invited, first_name="Nadia", last_name="Roy", password=PASSWORD, lang=lang
    )

    # ... confirms the address by the usual e-mail (the invitation link alone proves nothing) ...
    wait_for_components(guest)
    expect(guest.get_by_role("heading", level=1)).to_have_text(t["check_inbox"])
    confirmation = mails_to(invited)[-1]
    goto(guest, link_in_mail(confirmation, "/accounts/confirm-email/", live_server))
    guest.get_by_role("button", name=t["confirm"]).click()

    # ... comes back to the invitation, signed in, and accepts it
    wait_for_components(guest)
    expect(guest.get_by_role("heading", level=1)).to_have_text(title)
    guest.get_by_role("button", name=t["accept"]).click()
    wait_for_components(guest)
    expect(guest.get_by_role("heading", level=1)).to_have_text(community_name)
    expect(guest.locator("#main-content")).to_contain_text(t["welcome"])
    expect(guest.locator("#main-content")).to_contain_text(t["member_now"])
    screenshot(guest, "invitation", lang)
