"""Vetted registration in the browser, in English and in French (issue #16, part 1): a person
outside the trusted domains registers as a guest, is told what a guest may do, and is approved
by an administrator from the admin; a person on a trusted domain registers and lands as a vetted
member of their organization. Each journey keeps a screenshot of its last page."""

import pytest
from playwright.sync_api import expect

from communities.models import Organization
from members.models import TrustedDomain, User
from tests.communities.factories import OrganizationFactory
from tests.e2e.conftest import (
    LANGUAGES,
    fill_sign_up,
    goto,
    in_language,
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
        "confirm": "Confirm",
        "guest_notice": "You see public content only until an administrator approves",
        "what_a_guest": "What a guest can do",
        "my_access": "My access to the portal",
        "members": "Members",
        "approved": "1 guest approved.",
        "vetted": "You are a vetted member",
    },
    "fr": {
        "confirm": "Confirmer",
        "guest_notice": "Vous ne voyez que le contenu public jusqu’à ce que l’administration",
        "what_a_guest": "Ce que permet un compte invité",
        "my_access": "Mon accès au portail",
        "members": "Membres",
        "approved": "1 compte invité approuvé.",
        "vetted": "Votre compte est validé",
    },
}


def register_and_confirm(page, live_server, lang, email):
    goto(page, url("account_signup", lang=lang))
    fill_sign_up(page, email=email, password=PASSWORD, lang=lang)
    [message] = [m for m in mails_to(email) if "/accounts/confirm-email/" in m.body]
    goto(page, link_in_mail(message, "/accounts/confirm-email/", live_server))
    page.get_by_role("button", name=TEXT[lang]["confirm"], exact=True).click()
    wait_for_components(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_registers_and_an_administrator_approves_them(
    page, new_page, live_server, artifacts, lang
):
    t = TEXT[lang]
    email = f"guest.{lang}@example.org"
    administrator = UserFactory(
        verified=True, is_staff=True, is_superuser=True, preferred_language=lang
    )

    # A person whose address is on no trusted domain registers and confirms it: a guest, told
    # so on the page, with a link to what a guest may do; the member directory is not offered
    register_and_confirm(page, live_server, lang, email)
    main = page.locator("#main-content")
    expect(main).to_contain_text(t["guest_notice"])
    expect(page.get_by_role("link", name=t["members"], exact=True)).to_have_count(0)
    page.get_by_role("link", name=t["what_a_guest"]).click()
    wait_for_components(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_access"])

    # The administrators were told, in their language, with a link to the account
    guest = User.objects.get(email=email)
    [review] = mails_to(administrator.email)
    assert review.subject == in_language(lang, "A guest awaits review: %(name)s") % {
        "name": "Geneviève Côté"
    }

    # An administrator approves the guest from the admin's list of guests
    admin_page = sign_in(new_page(), administrator, live_server)
    goto(admin_page, url("admin:members_user_changelist", lang=lang) + "?vetting__exact=guest")
    admin_page.locator(f'input[name="_selected_action"][value="{guest.pk}"]').check()
    admin_page.locator('select[name="action"]').select_option("approve_guests")
    admin_page.locator('button[name="index"]').click()
    admin_page.wait_for_load_state()
    expect(admin_page.locator(".messagelist")).to_contain_text(t["approved"])

    # The person is told by e-mail in their language, and the portal opens to them
    approval = mails_to(email)[-1]
    assert approval.subject == in_language(lang, "Your account is approved")
    goto(page, url("home", lang=lang))
    expect(main).not_to_contain_text(t["guest_notice"])
    expect(page.get_by_role("link", name=t["members"], exact=True)).to_be_visible()
    screenshot(page, "guest-approved", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_person_on_a_trusted_domain_lands_vetted_with_their_organization(
    page, live_server, artifacts, lang
):
    t = TEXT[lang]
    drdc = OrganizationFactory(
        name_en="Defence Research and Development Canada",
        name_fr="Recherche et développement pour la défense Canada",
        sector=Organization.Sector.FEDERAL,
    )
    TrustedDomain.objects.create(domain="drdc-rddc.gc.ca", organization=drdc)

    # Registering and confirming an address on the department's trusted domain
    register_and_confirm(page, live_server, lang, f"alex.{lang}@drdc-rddc.gc.ca")

    # makes a vetted member of the department: no guest notice, the directory is offered, and
    # their access page names the organization the domain stands for
    main = page.locator("#main-content")
    expect(main).not_to_contain_text(t["guest_notice"])
    expect(page.get_by_role("link", name=t["members"], exact=True)).to_be_visible()
    goto(page, url("members:access", lang=lang))
    expect(main).to_contain_text(t["vetted"])
    expect(main).to_contain_text(getattr(drdc, f"name_{lang}"))
    screenshot(page, "trusted-domain", lang)
