import pytest

from communities import services
from communities.models import Community, Invitation, Membership
from tests.communities.factories import CommunityFactory, make_member, person_as
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    """A members-only community with a lead, a member and a pending request and invitation."""
    community = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", visibility=Community.Visibility.MEMBERS
    )
    lead = UserFactory(verified=True)
    make_member(community, lead, role=Membership.Role.LEAD)
    member = make_member(community, UserFactory(verified=True, last_name="Member"))
    requester = UserFactory(verified=True)
    community.join_policy = Community.JoinPolicy.REQUEST
    community.visibility = Community.Visibility.PUBLIC
    request = services.membership_join(community=community, user=requester)
    community.visibility = Community.Visibility.MEMBERS
    community.save()
    services.invitations_send(community=community, by=lead, emails=["guest@example.ca"])
    return {
        "community": community,
        "lead": lead,
        "member": member,
        "request": request,
        "invitation": Invitation.objects.get(),
    }


def actions(r):
    slug = r["community"].slug
    return {
        "view": ("get", url("communities:roster", slug), {}),
        "export": ("get", url("communities:roster_export", slug), {}),
        "invite": (
            "post",
            url("communities:roster_invite", slug),
            {"emails": "x@example.ca", "role": "member", "language": "en"},
        ),
        "approve": (
            "post",
            url("communities:roster_decide", slug, r["request"].pk),
            {"decision": "approve"},
        ),
        "role": (
            "post",
            url("communities:roster_role", slug, r["member"].pk),
            {"role": "observer"},
        ),
        "remove": ("post", url("communities:roster_remove", slug, r["member"].pk), {}),
        "revoke": ("post", url("communities:roster_revoke", slug, r["invitation"].pk), {}),
    }


def viewer(kind, r):
    return person_as(kind, r["community"])


# What each role gets from every roster action on a members-only community: 302 = done (or
# sent to sign in), 200 = page, 403 = sees the community but may not manage it, 404 = does not
# see it at all.
EXPECTED = {
    "anonymous": "login",
    "non_member": 404,
    "lead_elsewhere": 404,
    "observer": 403,
    "member": 403,
    "portfolio_manager": 403,
    "co_lead": "ok",
    "admin": "ok",
}


@pytest.mark.parametrize("kind", EXPECTED)
@pytest.mark.parametrize(
    "action", ["view", "export", "invite", "approve", "role", "remove", "revoke"]
)
def test_roster_actions_by_role(client, roster, kind, action):
    user = viewer(kind, roster)
    if user is not None:
        client.force_login(user)
    method, target, data = actions(roster)[action]
    response = getattr(client, method)(target, data)
    expected = EXPECTED[kind]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code in (200, 302), response.content[:500]
        assert "/accounts/login/" not in response.get("Location", "")
    else:
        assert response.status_code == expected
    # nothing changed unless the action was allowed
    if expected != "ok":
        roster["member"].refresh_from_db()
        roster["request"].refresh_from_db()
        roster["invitation"].refresh_from_db()
        assert roster["member"].state == Membership.State.ACTIVE
        assert roster["member"].role == Membership.Role.MEMBER
        assert roster["request"].state == Membership.State.REQUESTED
        assert roster["invitation"].state == Invitation.State.PENDING
        assert not Invitation.objects.filter(email="x@example.ca").exists()


def test_a_lead_cannot_act_on_another_communitys_people_by_editing_ids(client, roster):
    other = CommunityFactory()
    other_lead = UserFactory(verified=True)
    make_member(other, other_lead, role=Membership.Role.LEAD)
    client.force_login(other_lead)
    slug = other.slug
    for target, data in [
        (url("communities:roster_decide", slug, roster["request"].pk), {"decision": "approve"}),
        (url("communities:roster_role", slug, roster["member"].pk), {"role": "lead"}),
        (url("communities:roster_remove", slug, roster["member"].pk), {}),
        (url("communities:roster_revoke", slug, roster["invitation"].pk), {}),
    ]:
        assert client.post(target, data).status_code == 404
    roster["member"].refresh_from_db()
    assert roster["member"].role == Membership.Role.MEMBER


def test_the_roster_page_shows_requests_members_invitations_and_history_in_french(client, roster):
    services.membership_leave(membership=roster["member"], user=roster["member"].user)
    client.force_login(roster["lead"])
    page = client.get(url("communities:roster", roster["community"].slug, lang="fr"))
    text = page.content.decode()
    assert "Liste des membres – Chimique" in text
    assert "Demandes d’adhésion (1)" in text
    assert "guest@example.ca" in text
    assert "Historique" in text and "Départ" in text


def test_the_roster_page_needs_the_same_queries_for_many_members(
    client, roster, django_assert_max_num_queries
):
    client.force_login(roster["lead"])
    target = url("communities:roster", roster["community"].slug)
    client.get(target)  # warm the session and permission caches
    for _ in range(25):
        make_member(roster["community"], UserFactory())
    with django_assert_max_num_queries(22):
        response = client.get(target)
    assert response.content.decode().count("/roster/") > 25


def test_lead_approves_a_request_from_the_roster(
    client, roster, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(roster["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("communities:roster_decide", roster["community"].slug, roster["request"].pk),
            {"decision": "approve", "note": "Bienvenue!"},
            follow=True,
        )
    assert "is now a member." in response.content.decode()
    roster["request"].refresh_from_db()
    assert roster["request"].state == Membership.State.ACTIVE
    assert any("Bienvenue!" in m.body for m in mailoutbox)


def test_pasted_invitations_with_bad_addresses_are_explained_and_nothing_is_sent(client, roster):
    client.force_login(roster["lead"])
    response = client.post(
        url("communities:roster_invite", roster["community"].slug, lang="fr"),
        {
            "emails": "Ann <ann@example.ca>; bad@@example, carl@example.ca",
            "role": "member",
            "message": "Bonjour",
            "language": "fr",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Ces adresses ne sont pas valides" in text and "bad@@example" in text
    assert "Ann &lt;ann@example.ca&gt;; bad@@example, carl@example.ca" in text  # kept
    assert not Invitation.objects.filter(email="ann@example.ca").exists()


def test_pasted_invitations_reach_new_and_existing_people(client, roster, mailoutbox):
    client.force_login(roster["lead"])
    UserFactory(email="known@example.ca")
    response = client.post(
        url("communities:roster_invite", roster["community"].slug),
        {
            "emails": "Ann <ann@example.ca>\nknown@example.ca, " + roster["member"].user.email,
            "role": "observer",
            "language": "fr",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "2 invitations were sent." in text
    assert "Already members, not invited" in text
    assert set(Invitation.objects.filter(role="observer").values_list("email", flat=True)) == {
        "ann@example.ca",
        "known@example.ca",
    }


def test_removal_asks_for_confirmation_then_keeps_the_reason(client, roster):
    client.force_login(roster["lead"])
    target = url("communities:roster_remove", roster["community"].slug, roster["member"].pk)
    page = client.get(target).content.decode()
    assert "Remove" in page and roster["member"].user.last_name in page
    roster["member"].refresh_from_db()
    assert roster["member"].state == Membership.State.ACTIVE
    client.post(target, {"note": "Moved to another department"})
    roster["member"].refresh_from_db()
    assert roster["member"].state == Membership.State.REMOVED
    assert roster["member"].decision_note == "Moved to another department"


def test_the_last_lead_cannot_be_demoted(client, roster):
    client.force_login(roster["lead"])
    lead_membership = Membership.objects.get(user=roster["lead"])
    response = client.post(
        url("communities:roster_role", roster["community"].slug, lead_membership.pk),
        {"role": "member"},
        follow=True,
    )
    assert "only lead" in response.content.decode()
    lead_membership.refresh_from_db()
    assert lead_membership.role == Membership.Role.LEAD


def test_roster_export_is_a_csv_of_the_community(client, roster):
    client.force_login(roster["lead"])
    response = client.get(url("communities:roster_export", roster["community"].slug, lang="fr"))
    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert content.splitlines()[0].startswith("Communauté,Nom,")
    assert roster["member"].user.email in content
