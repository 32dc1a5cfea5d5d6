"""A consultation from start to finish in the browser: a lead (in English) opens it, a member
answers in French (a draft first, then submitted), the lead reads the answer, closes the
consultation and publishes what was heard, which the member then reads on the community page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Membership
from consultations.models import Consultation
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import goto, mails_to, screenshot, sign_in
from tests.helpers import url
from tests.members.factories import UserFactory

MAIN = "#main-content"


def test_a_lead_opens_a_member_answers_in_french_the_lead_closes_and_publishes(
    page, new_page, live_server, artifacts
):
    community = CommunityFactory(name_en="Resilience", name_fr="Résilience")
    lead = UserFactory(verified=True, preferred_language="en", first_name="Lou", last_name="Lead")
    make_member(community, lead, Membership.Role.LEAD)
    member = UserFactory(
        verified=True, preferred_language="fr", first_name="Élise", last_name="Tremblay"
    )
    make_member(community, member)

    # The lead opens a consultation from the community page, in both languages
    sign_in(page, lead, live_server)
    goto(page, url("communities:detail", community.slug))
    page.locator(MAIN).get_by_role("link", name="Open a consultation").click()
    now = timezone.localtime()
    expect(page.get_by_label("Resilience")).to_be_checked()
    page.get_by_label("Title in English").fill("Draft national strategy")
    page.get_by_label("Title in French").fill("Ébauche de stratégie nationale")
    page.get_by_label("Context in English").fill("We seek your views on the draft.")
    page.get_by_label("Context in French").fill("Nous sollicitons votre avis sur l’ébauche.")
    page.get_by_label("Questions or sections in English").fill("What is missing?\nWhat works?")
    page.get_by_label("Questions or sections in French").fill(
        "Que manque-t-il?\nQu’est-ce qui fonctionne?"
    )
    page.locator("#id_opens_at").fill(
        (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_closes_at").fill(
        (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator(MAIN).get_by_role("button", name="Save the consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft national strategy")
    consultation = Consultation.objects.get()
    # The member is told at once, in French
    assert [m.subject for m in mails_to(member.email)] == [
        "Consultation ouverte\xa0: Ébauche de stratégie nationale"
    ]

    # The member answers in French: a draft, then the submission
    answering = sign_in(new_page(), member, live_server)
    goto(answering, url("consultations:detail", consultation.pk, lang="fr"))
    expect(answering.get_by_role("heading", level=1)).to_have_text("Ébauche de stratégie nationale")
    answering.get_by_label("1. Que manque-t-il?").fill("Un volet sur la prévention.")
    answering.locator(MAIN).get_by_role("button", name="Enregistrer un brouillon").click()
    expect(answering.locator(MAIN)).to_contain_text("Votre brouillon a été enregistré.")
    expect(answering.get_by_label("1. Que manque-t-il?")).to_have_value(
        "Un volet sur la prévention."
    )
    answering.get_by_label("2. Qu’est-ce qui fonctionne?").fill("La coordination.")
    answering.locator(MAIN).get_by_role("button", name="Soumettre mes réponses").click()
    expect(answering.locator(MAIN)).to_contain_text("Vos réponses ont été soumises.")

    # The lead reads the answer as it arrived, closes the consultation and publishes
    goto(page, url("consultations:responses", consultation.pk))
    expect(page.locator(MAIN)).to_contain_text("Élise Tremblay")
    expect(page.locator(MAIN)).to_contain_text("Un volet sur la prévention.")
    goto(page, url("consultations:detail", consultation.pk))
    page.locator(MAIN).get_by_role("button", name="Close the consultation now").click()
    expect(page.locator(MAIN)).to_contain_text("The consultation is closed")
    page.locator(MAIN).get_by_role("link", name="Publish what we heard").click()
    page.get_by_label("What we heard, in English").fill("Members asked for prevention.")
    page.get_by_label("What we heard, in French").fill("Les membres demandent de la prévention.")
    page.get_by_label("Recommendations in English").fill("Add a prevention pillar.")
    page.get_by_label("Recommendations in French").fill("Ajouter un volet de prévention.")
    page.locator(MAIN).get_by_role("button", name="Publish what we heard").click()
    expect(page.locator(MAIN)).to_contain_text("What we heard is published.")

    # The member reads what was heard from the community page, in French
    goto(answering, url("communities:detail", community.slug, lang="fr"))
    answering.locator(MAIN).get_by_role("link", name="Ébauche de stratégie nationale").click()
    expect(answering.locator(MAIN)).to_contain_text("Les membres demandent de la prévention.")
    expect(answering.locator(MAIN)).to_contain_text("Ajouter un volet de prévention.")
    assert mails_to(member.email)[-1].subject == (
        "Ce que nous avons entendu\xa0: Ébauche de stratégie nationale"
    )
    screenshot(answering, "consultation-what-we-heard", "fr")
