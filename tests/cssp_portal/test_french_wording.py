"""The French of issue #19 (item 6), as a francophone public servant writes it: community names
that stand alone, elision, agreement through pgettext, one term per concept, the account
emails' greeting, epicene wording. Each test names the string the review found wrong."""

import pytest
from babel.messages.pofile import read_po
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext

from tests.cssp_portal.test_catalogue import CATALOGUE

pytestmark = pytest.mark.django_db


def fr(message, **values):
    with translation.override("fr"):
        return gettext(message) % values if values else gettext(message)


def _msgstrs():
    with CATALOGUE.open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield message.id, strings


@pytest.mark.parametrize(
    ("msgid", "wrong"),
    [
        ("Roster of %(community)s", "de Explosifs"),
        ("Edit the page of %(community)s", "de Explosifs"),
        ("Member organizations of %(community)s", "de Explosifs"),
        ("Welcome to %(community)s", "communauté Explosifs"),
        ("Invitation to join %(community)s", "joindre à Explosifs"),
        ("%(name)s asks to join %(community)s", "joindre à Explosifs"),
        ("All events of %(community)s", "communauté Explosifs"),
        ("Gaps and priorities of %(community)s", "communauté Explosifs"),
        ("To join %(community)s, ask its leads for a new invitation.", "joindre à Explosifs"),
    ],
)
def test_a_community_name_stands_alone_in_french(msgid, wrong):
    text = fr(msgid, community="Explosifs", name="Camille Roy")

    assert "Explosifs" in text
    assert wrong not in text
    assert "«\u00a0Explosifs\u00a0»" in text or "– Explosifs" in text


def test_the_roster_title_reads_liste_des_membres():
    assert fr("Roster of %(community)s", community="Explosifs") == "Liste des membres – Explosifs"
    assert fr("Roster") == "Liste des membres"


def test_a_month_beginning_with_a_vowel_is_not_preceded_by_de(client):
    with translation.override("fr"):
        title = gettext("Events in %(month)s") % {"month": "octobre 2026"}
    assert title == "Événements – octobre 2026"

    page = client.get("/fr/events/calendar/?month=2026-10").content.decode()

    assert "Événements – octobre 2026" in page
    assert "de octobre" not in page


def test_nouns_of_different_genders_get_their_own_agreement():
    from communities.models import Community
    from events.models import Event, Registration
    from proposals.models import Project

    with translation.override("fr"):
        assert str(Project.Status.ACTIVE.label) == "En cours"
        assert str(Registration.State.CANCELLED.label) == "Annulée"
        assert str(Event.Status.CANCELLED.label) == "Annulé"
        assert str(Community.Visibility.PUBLIC.label) == "Publique"
        assert str(Event.Visibility.PUBLIC.label) == "Public"
        assert translation.pgettext("email state", "Sent") == "Envoyé"
        assert translation.pgettext("email state", "Not sent (turned off)").startswith("Non envoyé")
        assert (
            gettext("Your registration: %(state)s") % {"state": Registration.State.CANCELLED.label}
        ).endswith("Annulée")


def test_seats_and_the_registration_mode_agree():
    assert fr("Seats (%(mode)s)", mode="virtuel") == "Places (mode virtuel)"
    assert fr("You are registered (%(mode)s).", mode="virtuel") == (
        "Votre inscription est confirmée (mode virtuel)."
    )


def test_no_registered_person_reads_la_personne_inscrite_0():
    with translation.override("fr"):
        none = ngettext(
            "The %(counter)s registered person will be told by email.",
            "The %(counter)s registered people will be told by email.",
            0,
        ) % {"counter": 0}
    assert none == "0 personne inscrite en sera avisée par courriel."


def test_account_emails_greet_and_sign_in_canadian_french():
    from types import SimpleNamespace

    context = {
        "current_site": SimpleNamespace(name="Communautés de pratique du PCSS", domain="x.ca"),
        "password_reset_url": "https://x.ca/fr/accounts/password/reset/key/1/",
        "user": None,
    }
    with translation.override("fr"):
        body = render_to_string("account/email/password_reset_key_message.txt", context)

    assert body.startswith("Bonjour,\n")
    assert "Merci d’utiliser le portail des communautés de pratique du PCSS." in body
    assert "de la part de" not in body
    assert fr("Please contact us if you have any trouble resetting your password.").startswith(
        "Veuillez communiquer avec nous"
    )


def test_one_term_for_sign_in_roster_submit_and_program():
    for msgid, strings in _msgstrs():
        english = msgid if isinstance(msgid, str) else msgid[0]
        for text in strings:
            lowered = text.lower()
            assert not any(
                old in lowered
                for old in ("ouvrez une session", "ouvrir une session", "fermez la session")
            ), text
            assert "soumission" not in text.lower(), text
            assert "le Programme" not in text.replace("le Programme canadien", ""), text
            if "roster" in english.lower():
                assert "liste des membres" in text.lower(), text
    assert fr("Sign In") == fr("Sign in") == "Se connecter"
    assert fr("Sign in to reply.") == "Connectez-vous pour répondre."
    assert fr("New submissions") == "Nouvelles propositions"
    assert fr("Proposals are refused from this moment on.") == (
        "Aucune proposition n’est acceptée après ce moment."
    )


def test_epicene_wording_for_the_person_addressed_or_named():
    assert (
        fr("You are registered: %(title)s", title="Atelier")
        == "Inscription confirmée\u00a0: Atelier"
    )
    assert fr("%(name)s attended", name="Anne Roy") == "Présence\u00a0: Anne Roy"
    assert "mentionné votre nom" in fr("Someone mentioned you in a discussion.")
    assert "inscrit " not in fr("A seat freed up: you are registered for %(title)s", title="x")
