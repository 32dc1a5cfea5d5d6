"""Vetted registration and guests (issue #16, part 1, and F5), in both official languages.

Who may create an account is the program's decision: a confirmed address on a trusted domain makes
a vetted member of the domain's organization; anyone else registers as a guest who sees public
content only until an administrator approves them or a lead invites them into a community.
Assertions are on the pages and emails a person reads, and on what the policies let through."""

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from communities import policies as community_policies
from communities.access import standing_of
from communities.models import Community, Invitation, Organization
from communities.services import invitation_accept, invitations_send
from events import policies as event_policies
from events.models import Event
from members import policies as member_policies
from members import services
from members.models import TrustedDomain, User
from notifications.models import Notification
from portal.seed.cssp import load_cssp
from proposals import policies as proposal_policies
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory
from tests.proposals.factories import CallFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]


@pytest.fixture(autouse=True)
def _no_rate_limit_history():
    # allauth keeps rate limits (and confirmation e-mails per address) in the cache.
    cache.clear()
    yield
    cache.clear()


def in_language(lang, message):
    with translation.override(lang):
        return gettext(message)


def shown(lang, message):
    """`message` in `lang` as page_text gives it (non-breaking spaces read as spaces)."""
    return " ".join(in_language(lang, message).split())


def page_text(response):
    return " ".join(html.unescape(response.content.decode()).split())


def register_and_confirm(client, lang, email, capture, mailoutbox):
    """Sign up on the page of `lang`, choosing it for e-mails, then follow the confirmation
    link: the person ends signed in, as allauth leaves them."""
    with capture(execute=True):
        response = client.post(
            url("account_signup", lang=lang),
            {
                "first_name": "Geneviève",
                "last_name": "Côté",
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "preferred_language": lang,
            },
        )
    assert response.status_code == 302
    (mail,) = [m for m in mailoutbox if [a.lower() for a in m.to] == [email.lower()]]
    link = re.search(r"https?://testserver/\S*/accounts/confirm-email/\S*", mail.body).group(0)
    with capture(execute=True):
        confirmed = client.post(link)
    assert confirmed.status_code == 302
    return User.objects.get(email__iexact=email)


@pytest.fixture
def drdc():
    organization = OrganizationFactory(
        name_en="Defence Research and Development Canada",
        name_fr="Recherche et développement pour la défense Canada",
        sector=Organization.Sector.FEDERAL,
    )
    TrustedDomain.objects.create(domain="drdc-rddc.gc.ca", organization=organization)
    return organization


@pytest.fixture
def administrator():
    # An administrator who reads French: the review e-mail comes in French.
    return UserFactory(
        verified=True, is_staff=True, is_superuser=True, preferred_language="fr", first_name="Ad"
    )


# --- Trusted domains ----------------------------------------------------------------------------


def test_an_address_belongs_to_the_most_specific_trusted_domain(drdc):
    federal = OrganizationFactory()
    TrustedDomain.objects.create(domain="gc.ca", organization=federal, include_subdomains=True)
    TrustedDomain.objects.create(domain="example.ca", organization=federal)

    assert TrustedDomain.objects.for_address("Ann@DRDC-RDDC.gc.ca").organization == drdc
    assert TrustedDomain.objects.for_address("ann@ottawa.drdc-rddc.gc.ca").organization == federal
    assert TrustedDomain.objects.for_address("ann@tc.gc.ca").organization == federal
    # Sub-domains count only where the domain says so; a look-alike suffix never does.
    assert TrustedDomain.objects.for_address("ann@mail.example.ca") is None
    assert TrustedDomain.objects.for_address("ann@notexample.ca") is None
    assert TrustedDomain.objects.for_address("ann@evilgc.ca") is None
    assert TrustedDomain.objects.for_address("not an address") is None


def test_a_trusted_domain_is_kept_in_lower_case_and_bad_ones_are_explained(drdc):
    domain = TrustedDomain(domain=" Canada.CA ", organization=drdc)
    domain.domain = domain.domain.strip()
    domain.full_clean()
    domain.save()
    assert TrustedDomain.objects.get(pk=domain.pk).domain == "canada.ca"

    for bad in ("@canada.ca", "canada", "www.canada.ca", "-bad.ca", "a b.ca"):
        with pytest.raises(ValidationError):
            TrustedDomain(domain=bad, organization=drdc).full_clean()


def test_the_loader_trusts_the_public_domains_of_the_seed_organizations_only():
    organization = {"sector": "federal", "jurisdiction": "CA", "parent": None}
    data = {
        "organizations": [
            {**organization, "key": "drdc", "name_en": "DRDC", "name_fr": "RDDC"},
            {**organization, "key": "unknown-body", "name_en": "X", "name_fr": "X"},
        ],
        "communities": [],
    }

    load_cssp(data)
    load_cssp(data)  # idempotent

    assert list(TrustedDomain.objects.values_list("domain", "organization__slug")) == [
        ("drdc-rddc.gc.ca", "drdc")
    ]


# --- Standing and policies ----------------------------------------------------------------------


def test_the_standing_reads_vetting_from_the_user_row_without_a_query(
    django_assert_num_queries,
):
    guest = UserFactory(vetting="guest")
    admin_guest = UserFactory(vetting="guest", is_superuser=True)
    member = UserFactory()
    standings = [standing_of(person) for person in (guest, admin_guest, member)]

    with django_assert_num_queries(0):
        answers = [(s.vetted, s.is_guest) for s in standings]

    assert answers == [(False, True), (True, False), (True, False)]
    assert not standing_of(AnonymousUser()).vetted
    assert not standing_of(AnonymousUser()).is_guest


def test_a_guest_sees_public_content_only():
    guest, member = UserFactory(vetting="guest"), UserFactory()
    community = CommunityFactory(join_policy=Community.JoinPolicy.OPEN)
    public = EventFactory(community=community, visibility=Event.Visibility.PUBLIC)
    for_members = EventFactory(community=community, visibility=Event.Visibility.MEMBERS)
    listed = UserFactory(listed_in_directory=True)

    def allowed(who):
        who = User.objects.get(pk=who.pk)
        return {
            "public event": event_policies.can_view_event(who, public),
            "members event": event_policies.can_view_event(who, for_members),
            "listed events": set(event_policies.events_visible_to(who)),
            "join": community_policies.can_join(who, community),
            "profile": member_policies.can_view_profile(who, listed),
            "directory": member_policies.can_browse_directory(who),
            "contact": member_policies.can_see_contact(who, listed),
        }

    assert allowed(guest) == {
        "public event": True,
        "members event": False,
        "listed events": {public},
        "join": False,
        "profile": False,
        "directory": False,
        "contact": False,
    }
    assert allowed(member) == {
        "public event": True,
        "members event": True,
        "listed events": {public, for_members},
        "join": True,
        "profile": True,
        "directory": True,
        "contact": False,  # "my communities" by default: they share none
    }
    # A guest still sees their own profile.
    assert member_policies.can_view_profile(guest, guest)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_is_told_how_to_join_a_community(client, lang):
    community = CommunityFactory(join_policy=Community.JoinPolicy.OPEN)
    client.force_login(UserFactory(vetting="guest"))

    page = page_text(client.get(url("communities:detail", slug=community.slug, lang=lang)))

    assert shown(lang, "Join the community") not in page
    assert {
        "en": "With a guest account, you join a community when one of its leads invites you",
        "fr": "Avec un compte invité, vous vous joignez à une communauté",
    }[lang] in page


def test_proposals_rest_on_the_organization_of_a_vetted_member_not_on_a_guests_pick(drdc):
    call = CallFactory()
    assert call.is_open()
    guest = UserFactory(vetting="guest", organization=drdc)
    vetted = UserFactory(organization=drdc)
    vetted_academic = UserFactory(organization=OrganizationFactory(sector="academic"))

    assert not proposal_policies.can_propose(guest, call)
    assert proposal_policies.can_propose(vetted, call)
    assert not proposal_policies.can_propose(vetted_academic, call)


def test_a_vetted_members_organization_cannot_be_changed_on_the_profile(client, drdc):
    member = UserFactory(organization=drdc)
    other = OrganizationFactory(sector=Organization.Sector.FEDERAL)
    client.force_login(member)

    page = client.get(url("members:edit"))
    client.post(
        url("members:edit"),
        {
            "first_name": "Sam",
            "last_name": "Roy",
            "organization": other.pk,
            "contact_visibility": "members",
            "preferred_language": "en",
        },
    )

    assert re.search(r'<select name="organization"[^>]*\bdisabled\b', page.content.decode())
    member.refresh_from_db()
    assert (member.first_name, member.organization) == ("Sam", drdc)
    with pytest.raises(ValidationError):
        services.member_update_profile(
            member=member,
            first_name="Sam",
            last_name="Roy",
            job_title="",
            organization=other,
            role_type="",
            expertise_areas=[],
            bio_en="",
            bio_fr="",
            phone="",
            contact_visibility="members",
            listed_in_directory=True,
            preferred_language="en",
        )


# --- Journeys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_guest_registers_waits_for_review_and_is_approved(
    client, mailoutbox, django_capture_on_commit_callbacks, administrator, lang
):
    # Given a person whose address is on no trusted domain, registering in their language
    email = f"gen.{lang}@example.org"
    guest = register_and_confirm(
        client, lang, email, django_capture_on_commit_callbacks, mailoutbox
    )

    # Then they are a guest, told so on every page, and the directory explains why it is shut
    assert (guest.vetting, guest.organization) == ("guest", None)
    home = page_text(client.get(url("home", lang=lang)))
    assert shown(lang, "You are signed in as a guest") in home
    assert {"en": "You are signed in as a guest", "fr": "Vous utilisez un compte invité"}[
        lang
    ] in home
    directory = client.get(url("members:directory", lang=lang))
    assert directory.status_code == 403
    assert shown(lang, "The member directory is for vetted members") in page_text(directory)
    access = page_text(client.get(url("members:access", lang=lang)))
    assert shown(lang, "What you can do as a guest") in access
    # And the administrators got one e-mail, in their own language, leading to the account
    (review,) = [m for m in mailoutbox if m.to == [administrator.email]]
    assert review.subject == in_language("fr", "A guest awaits review: %(name)s") % {
        "name": "Geneviève Côté"
    }
    assert f"/fr/admin/members/user/{guest.pk}/change/" in review.body
    assert email in review.body

    # When an administrator approves them from the admin's list of guests
    client.force_login(administrator)
    changelist = client.get(
        url("admin:members_user_changelist", lang=lang), {"vetting__exact": "guest"}
    )
    assert email in changelist.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("admin:members_user_changelist", lang=lang),
            {"action": "approve_guests", "_selected_action": [guest.pk]},
        )

    # Then they are a vetted member, told by e-mail in their language, and the portal opens
    guest.refresh_from_db()
    assert (guest.vetting, guest.vetted_through, guest.vetted_by) == (
        "vetted",
        "administrator",
        administrator,
    )
    (approval,) = [m for m in mailoutbox if m.to == [email] and "confirm" not in m.body.lower()]
    assert approval.subject == in_language(lang, "Your account is approved")
    client.force_login(guest)
    assert shown(lang, "You are signed in as a guest") not in page_text(
        client.get(url("home", lang=lang))
    )
    assert client.get(url("members:directory", lang=lang)).status_code == 200
    # Approving again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.member_approve(member=guest, by=administrator)
    assert len([m for m in mailoutbox if m.to == [email]]) == 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_person_on_a_trusted_domain_lands_vetted_with_their_organization(
    client, mailoutbox, django_capture_on_commit_callbacks, administrator, drdc, lang
):
    # Given an address on a trusted domain (in capitals: the domain is matched in any case)
    email = f"Alex.{lang}@DRDC-RDDC.gc.ca"

    # When they register and confirm it
    member = register_and_confirm(
        client, lang, email, django_capture_on_commit_callbacks, mailoutbox
    )

    # Then they are a vetted member of the domain's organization, with nothing to review
    assert (member.vetting, member.vetted_through, member.organization) == (
        "vetted",
        "domain",
        drdc,
    )
    assert not Notification.objects.filter(kind="members.new_guest").exists()
    home = page_text(client.get(url("home", lang=lang)))
    assert shown(lang, "You are signed in as a guest") not in home
    assert client.get(url("members:directory", lang=lang)).status_code == 200
    access = page_text(client.get(url("members:access", lang=lang)))
    assert (
        shown(lang, "You are a vetted member: the portal is open to you as a signed-in member.")
        in access
    )
    assert drdc.name in access or getattr(drdc, f"name_{lang}") in access


def test_a_guest_invited_by_a_lead_is_vetted_with_the_lead_as_sponsor(
    client, mailoutbox, django_capture_on_commit_callbacks, administrator
):
    # Given a lead who invites an address before its owner registers
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    lead = UserFactory(verified=True)
    make_member(community, lead, "lead")
    invitations_send(community=community, by=lead, emails=["new.person@example.org"])

    # When the person registers (a guest: the address is on no trusted domain) and accepts
    guest = register_and_confirm(
        client, "en", "new.person@example.org", django_capture_on_commit_callbacks, mailoutbox
    )
    assert guest.vetting == "guest"
    invitation_accept(invitation=Invitation.objects.get(community=community), user=guest)

    # Then they are vetted through the invitation, the lead is their sponsor, and the
    # administrators were never asked to review them
    guest.refresh_from_db()
    assert (guest.vetting, guest.vetted_through, guest.sponsor) == ("vetted", "invitation", lead)
    assert not Notification.objects.filter(kind="members.new_guest").exists()
    assert standing_of(guest).vetted


def test_the_demo_accounts_stay_vetted():
    from portal.seed.demo import create_demo_accounts

    accounts = create_demo_accounts()

    people = User.objects.filter(email__in=[account.email for account in accounts])
    assert people.count() == len(accounts) >= 2
    assert all(standing_of(person).vetted for person in people)


def test_only_administrators_approve_guests(administrator):
    guest, member = UserFactory(vetting="guest"), UserFactory()

    with pytest.raises(Exception) as refused:
        services.member_approve(member=guest, by=member)

    assert refused.type.__name__ == "PermissionDenied"
    guest.refresh_from_db()
    assert guest.vetting == "guest"


def test_staff_without_administrator_rights_are_not_offered_the_approval(rf, administrator):
    from django.contrib import admin
    from django.contrib.auth.models import Permission

    staff = UserFactory(verified=True, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"])
    )
    user_admin = admin.site._registry[User]

    def actions(person):
        request = rf.get("/en/admin/members/user/")
        request.user = User.objects.get(pk=person.pk)
        return set(user_admin.get_actions(request))

    assert "approve_guests" in actions(administrator)
    assert "approve_guests" not in actions(staff)
    assert "delete_selected" in actions(staff)  # the staff member sees the other actions
