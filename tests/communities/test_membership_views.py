import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from communities import policies, services
from communities.models import Community, Invitation, Membership
from members.models import User
from tests.communities.factories import CommunityFactory, make_member
from tests.helpers import page, url
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_community():
    community = CommunityFactory(
        name_en="Chemical",
        name_fr="Chimique",
        visibility=Community.Visibility.MEMBERS,
        join_policy=Community.JoinPolicy.REQUEST,
    )
    lead = UserFactory(verified=True, preferred_language="fr")
    make_member(community, lead, role=Membership.Role.LEAD)
    return community, lead


@pytest.mark.parametrize(
    ("lang", "button", "welcome"),
    [
        ("en", "Join the community", "Welcome! You are now a member of this community."),
        ("fr", "Me joindre à la communauté", "Bienvenue! Vous êtes maintenant membre"),
    ],
)
def test_joining_an_open_community_from_its_page(client, lang, button, welcome):
    community = CommunityFactory(join_policy=Community.JoinPolicy.OPEN)
    user = UserFactory(verified=True)
    client.force_login(user)
    detail = url("communities:detail", community.slug, lang=lang)
    assert button in page(client.get(detail))
    response = client.post(url("communities:join", community.slug, lang=lang), follow=True)
    assert welcome in page(response)
    assert policies.can_participate(user, community)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_request_to_join_lead_approves_member_sees_private_page(
    client, private_community, lang, django_capture_on_commit_callbacks
):
    community, lead = private_community
    # while the community is members-only, an outsider neither sees it nor can ask to join
    user = UserFactory(verified=True, preferred_language=lang)
    client.force_login(user)
    detail = url("communities:detail", community.slug, lang=lang)
    assert client.get(detail).status_code == 404
    assert client.post(url("communities:join", community.slug, lang=lang)).status_code == 404

    # once the community is listed publicly, the outsider asks to join
    community.visibility = Community.Visibility.PUBLIC
    community.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("communities:join", community.slug, lang=lang),
            {"message": "Toxicologist at Health Canada."},
            follow=True,
        )
    expected = {
        "en": "Your request was sent to the community",
        "fr": "Votre demande a été envoyée aux responsables",
    }[lang]
    assert expected in page(response)
    [to_lead] = mail.outbox
    assert to_lead.to == [lead.email]
    assert "Toxicologist at Health Canada." in to_lead.body

    # the community becomes members-only again; its lead opens the roster and approves
    community.visibility = Community.Visibility.MEMBERS
    community.save()
    lead_client = Client()
    lead_client.force_login(lead)
    roster = page(lead_client.get(url("communities:roster", community.slug, lang=lang)))
    name = user.get_full_name()
    assert {"en": f"Approve {name}", "fr": f"Accepter {name}"}[lang] in roster
    action = re.search(r'action="([^"]+/decide/)"', roster).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(action, {"decision": "approve", "note": ""}, follow=True)
    assert {"en": f"{name} is now a member.", "fr": f"{name} est maintenant membre."}[lang] in page(
        response
    )
    decision = mail.outbox[-1]
    assert decision.to == [user.email]
    assert {
        "en": "Welcome to Chemical",
        "fr": "Bienvenue dans la communauté de pratique «\u00a0Chimique\u00a0»",
    }[lang] == decision.subject

    # the member now sees the private page, and "My communities" lists it
    response = client.get(detail)
    assert response.status_code == 200
    mine = page(client.get(url("communities:mine", lang=lang)))
    assert {"en": "Chemical", "fr": "Chimique"}[lang] in mine


def test_leaving_a_private_community_closes_its_page(client, private_community):
    community, _lead = private_community
    user = UserFactory(verified=True)
    make_member(community, user)
    client.force_login(user)
    response = client.post(url("communities:leave", community.slug), follow=True)
    assert "You left the community." in page(response)
    assert client.get(url("communities:detail", community.slug)).status_code == 404


def test_join_and_leave_refuse_get_and_anonymous_visitors(client, private_community):
    community, _lead = private_community
    join = url("communities:join", community.slug)
    assert client.post(join).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(verified=True))
    assert client.get(join).status_code == 405
    assert client.post(url("communities:leave", community.slug)).status_code == 404


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_lead_invites_a_new_address_person_signs_up_and_lands_in_the_community(
    client, private_community, lang, django_capture_on_commit_callbacks
):
    community, lead = private_community
    # One address per language: allauth limits confirmation e-mails per address, in the cache.
    address = f"new.expert.{lang}@example.ca"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(community=community, by=lead, emails=[address], language=lang)
    [invitation_mail] = mail.outbox
    link = re.search(r"http://testserver(\S+/invitations/\S+/)", invitation_mail.body).group(1)
    assert link.startswith(f"/{lang}/")

    # the link leads an anonymous visitor to sign up with the invited address
    landing = page(client.get(link))
    signup = re.search(r'href="([^"]*/accounts/signup/\?[^"]*)"', landing).group(1)
    signup = signup.replace("&amp;", "&")
    assert address.replace("@", "%40") in signup
    form = page(client.get(signup))
    assert f'value="{address}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup,
            {
                "first_name": "Nadia",
                "last_name": "Roy",
                "email": address,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "preferred_language": lang,
            },
        )
    # the address is confirmed by the usual e-mail (the link alone proves nothing), which
    # signs the person in and brings them back to the invitation
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email=address, verified=True).exists()
    bodies = "\n".join(message.body for message in mail.outbox)
    confirm = re.search(r"http://testserver(\S+/accounts/confirm-email/\S+/)", bodies)
    response = client.post(confirm.group(1))
    assert response.status_code == 302
    assert response["Location"] == link
    answer = page(client.get(link))
    accept = {"en": "Accept and join", "fr": "Accepter et me joindre"}[lang]
    assert accept in answer
    response = client.post(link, {"answer": "accept"}, follow=True)
    assert response.request["PATH_INFO"] == url("communities:detail", community.slug, lang=lang)
    assert {"en": "Chemical", "fr": "Chimique"}[lang] in page(response)
    membership = Membership.objects.get(user__email=address)
    assert membership.state == Membership.State.ACTIVE
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_a_forwarded_invitation_cannot_be_used_by_another_account(client, private_community):
    community, lead = private_community
    services.invitations_send(community=community, by=lead, emails=["invited@example.ca"])
    invitation = Invitation.objects.get()
    client.force_login(UserFactory(verified=True, email="someone.else@example.ca"))
    link = url("communities:invitation", invitation.token)
    response = client.post(link, {"answer": "accept"})
    assert response.status_code == 403
    assert "This invitation is for another address" in page(response)
    assert not Membership.objects.filter(user__email="someone.else@example.ca").exists()


@pytest.mark.parametrize(("lang", "text"), [("en", "It has expired."), ("fr", "Elle est expirée.")])
def test_an_expired_or_revoked_invitation_link_explains_itself(
    client, private_community, lang, text
):
    community, lead = private_community
    services.invitations_send(community=community, by=lead, emails=["a@example.ca", "b@ex.ca"])
    expired, revoked = Invitation.objects.order_by("email")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=expired.created_at)
    services.invitation_revoke(invitation=revoked, by=lead)
    response = client.get(url("communities:invitation", expired.token, lang=lang))
    assert response.status_code == 410
    assert text in page(response)
    response = client.get(url("communities:invitation", revoked.token, lang=lang))
    assert response.status_code == 410
    assert client.get(url("communities:invitation", "not-a-token", lang=lang)).status_code == 404


def test_an_invitation_link_never_makes_another_address_verified(
    client, private_community, django_capture_on_commit_callbacks
):
    """F1: an anonymous visitor opens someone's invitation link, then registers with another
    address: that account neither gets the invited address nor can accept the invitation."""
    community, lead = private_community
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(
            community=community,
            by=lead,
            emails=["invited.lead@example.ca"],
            language="en",
            role=Membership.Role.CO_LEAD,
        )
    link = re.search(r"http://testserver(\S+/invitations/\S+/)", mail.outbox[-1].body).group(1)
    client.get(link)

    client.post(
        url("account_signup"),
        {
            "first_name": "Eve",
            "last_name": "Stranger",
            "email": "eve@attacker.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "preferred_language": "en",
        },
    )

    eve = User.objects.get(email="eve@attacker.example")
    assert not EmailAddress.objects.filter(
        user=eve, email__iexact="invited.lead@example.ca"
    ).exists()
    assert not EmailAddress.objects.filter(user=eve, verified=True).exists()
    client.force_login(eve)
    refused = client.post(link, {"answer": "accept"})
    assert refused.status_code == 403
    assert not Membership.objects.filter(community=community, user=eve).exists()
    # The real invitee can still register their own address.
    assert not User.objects.filter(email__iexact="invited.lead@example.ca").exists()
