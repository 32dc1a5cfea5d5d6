"""The proposal journey in the browser, in English and in French: a government member drafts a
proposal for an open call and submits it; the community's portfolio manager moves it under
review; the proposer sees the new status."""

import pytest
from playwright.sync_api import expect

from communities.models import Community
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.e2e.conftest import LANGUAGES, goto, mails_to, screenshot, sign_in
from tests.helpers import url
from tests.members.factories import UserFactory
from tests.proposals.factories import CallFactory, portfolio_manager

TEXT = {
    "en": {
        "call": "2026 call for proposals",
        "draft": "Draft a proposal",
        "title": "Title",
        "summary": "Summary",
        "communities": "Communities concerned",
        "community": "Chemical",
        "save": "Save the draft",
        "saved": "Your draft was saved. Add attachments, then submit it.",
        "status": "Status:",
        "draft_status": "Draft",
        "submit": "Submit the proposal",
        "submitted": "Your proposal was submitted.",
        "submitted_status": "Submitted",
        "under_review": "Under review",
        "change": "Change the status",
        "changed": "The proposal is now “Under review”.",
    },
    "fr": {
        "call": "Appel de propositions 2026",
        "draft": "Rédiger une proposition",
        "title": "Titre",
        "summary": "Résumé",
        "communities": "Communautés concernées",
        "community": "Chimique",
        "save": "Enregistrer l’ébauche",
        "saved": "Votre ébauche a été enregistrée. Ajoutez les pièces jointes, puis soumettez-la.",
        "status": "Statut\u00a0:",
        "draft_status": "Ébauche",
        "submit": "Soumettre la proposition",
        "submitted": "Votre proposition a été soumise.",
        "submitted_status": "Soumise",
        "under_review": "En cours d’examen",
        "change": "Changer le statut",
        "changed": "La proposition est maintenant «\u00a0En cours d’examen\u00a0».",
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_draft_submit_and_the_portfolio_manager_moves_the_proposal(
    page, new_page, live_server, artifacts, lang
):
    t = TEXT[lang]
    community = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", visibility=Community.Visibility.PUBLIC
    )
    call = CallFactory(title_en=TEXT["en"]["call"], title_fr=TEXT["fr"]["call"])
    department = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    proposer = UserFactory(verified=True, preferred_language=lang, organization=department)
    make_member(community, proposer)
    manager = portfolio_manager(preferred_language=lang, first_name="Paul")
    community.portfolio_managers.add(manager)
    main = "#main-content"

    # The proposer drafts a proposal from the call's page
    sign_in(page, proposer, live_server)
    goto(page, url("proposals:call_detail", call.slug, lang=lang))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["call"])
    page.get_by_role("link", name=t["draft"]).click()
    page.get_by_label(t["title"], exact=False).first.fill("Capteurs pour premiers intervenants")
    page.get_by_label(t["summary"], exact=False).first.fill("Détecter plus tôt les menaces.")
    page.locator("#id_objectives").fill("Détecter plus tôt.")
    page.locator("#id_requested_funding").fill("250000")
    page.locator("#id_duration_months").fill("24")
    page.get_by_role("group", name=t["communities"]).get_by_label(t["community"]).check()
    page.locator(main).get_by_role("button", name=t["save"]).click()
    expect(page.locator(main)).to_contain_text(t["saved"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Capteurs pour premiers intervenants")
    expect(page.locator(".proposal-status")).to_have_text(t["draft_status"])

    # ... and submits it
    page.locator(main).get_by_role("button", name=t["submit"]).click()
    expect(page.locator(main)).to_contain_text(t["submitted"])
    expect(page.locator(".proposal-status")).to_have_text(t["submitted_status"])
    proposal_url = page.evaluate("location.pathname")
    assert mails_to(manager.email), "the portfolio manager was not told"

    # The community's portfolio manager puts it under review
    manager_page = sign_in(new_page(), manager, live_server)
    goto(manager_page, proposal_url)
    manager_page.get_by_label(t["under_review"]).check()
    manager_page.locator(main).get_by_role("button", name=t["change"]).click()
    expect(manager_page.locator(main)).to_contain_text(t["changed"])

    # The proposer sees the new status and its history
    goto(page, proposal_url)
    expect(page.locator(".proposal-status")).to_have_text(t["under_review"])
    expect(page.get_by_role("row").filter(has_text=t["under_review"])).to_have_count(1)
    screenshot(page, "proposal", lang)
