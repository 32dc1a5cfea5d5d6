"""Leads keep their community's page: texts side by side in English and French, objectives,
settings and member organizations."""

import pytest

from communities.models import Community, CommunityObjective, CommunityOrganization, Membership
from tests.communities.factories import (
    CommunityFactory,
    OrganizationFactory,
    make_member,
    person_as,
)
from tests.helpers import statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_data(community, **changes):
    """What the edit form posts when nothing is changed, plus `changes`."""
    data = {
        "summary_en": community.summary_en,
        "summary_fr": community.summary_fr,
        "objectives_intro_en": community.objectives_intro_en or "",
        "objectives_intro_fr": community.objectives_intro_fr or "",
        "member_description_en": community.member_description_en or "",
        "member_description_fr": community.member_description_fr or "",
        "contact_email": community.contact_email,
        "working_languages": community.working_languages,
        "join_policy": community.join_policy,
    }
    for index, objective in enumerate(community.objectives.all(), start=1):
        data[f"objective_{index}_en"] = objective.text_en
        data[f"objective_{index}_fr"] = objective.text_fr
    data.update(changes)
    return data


@pytest.fixture
def community():
    community = CommunityFactory(
        name_en="Chemical",
        name_fr="Chimique",
        visibility=Community.Visibility.MEMBERS,
        summary_en="Chemical threats.",
        summary_fr="Menaces chimiques.",
    )
    CommunityObjective.objects.create(
        community=community, position=0, text_en="Detect agents", text_fr="Détecter les agents"
    )
    CommunityObjective.objects.create(
        community=community, position=1, text_en="Decontaminate", text_fr="Décontaminer"
    )
    lead_org = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    CommunityOrganization.objects.create(
        community=community, organization=lead_org, role=CommunityOrganization.Role.LEAD
    )
    CommunityOrganization.objects.create(
        community=community,
        organization=OrganizationFactory(name_en="City of Ottawa", name_fr="Ville d'Ottawa"),
        role=CommunityOrganization.Role.MEMBER,
    )
    return community


@pytest.fixture
def lead(community):
    user = UserFactory(verified=True, first_name="Lea", last_name="Lead")
    make_member(community, user, role=Membership.Role.LEAD)
    return user


def snapshot(community):
    community.refresh_from_db()
    return (
        community.summary_en,
        community.summary_fr,
        community.join_policy,
        list(community.objectives.values_list("text_en", "text_fr")),
        sorted(community.organization_links.values_list("organization__name_en", "role")),
    )


def actions(community):
    newcomer = OrganizationFactory(name_en="Newcomer Org")
    member_link = community.organization_links.get(role=CommunityOrganization.Role.MEMBER)
    return {
        "edit_page": ("get", url("communities:edit", community.slug), {}),
        "save_page": (
            "post",
            url("communities:edit", community.slug),
            page_data(community, summary_en="Hijacked", join_policy="open"),
        ),
        "organizations_page": ("get", url("communities:organizations", community.slug), {}),
        "add_organization": (
            "post",
            url("communities:organizations", community.slug),
            {"organization": newcomer.pk},
        ),
        "remove_organization": (
            "post",
            url("communities:organization_remove", community.slug, member_link.pk),
            {},
        ),
    }


# Every role against every page action on a members-only community: "ok" = allowed, "login" =
# sent to sign in, 403 = sees the community but may not edit it, 404 = does not see it.
EXPECTED = {
    "anonymous": "login",
    "non_member": 404,
    "lead_elsewhere": 404,
    "observer": 403,
    "member": 403,
    "portfolio_manager": 403,
    "co_lead": "ok",
    "lead": "ok",
    "admin": "ok",
}


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize(
    "action",
    ["edit_page", "save_page", "organizations_page", "add_organization", "remove_organization"],
)
def test_page_actions_by_role(client, community, role, action):
    person = person_as(role, community)
    if person is not None:
        client.force_login(person)
    method, target, data = actions(community)[action]
    before = snapshot(community)

    response = getattr(client, method)(target, data)

    expected = EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code in (200, 302), response.content[:300]
    else:
        assert response.status_code == expected
    if expected != "ok" or method == "get":
        assert snapshot(community) == before
    else:
        assert snapshot(community) != before


def test_a_lead_cannot_edit_another_community_or_its_organizations_by_editing_ids(
    client, community
):
    other = CommunityFactory()
    other_lead = UserFactory(verified=True)
    make_member(other, other_lead, role=Membership.Role.LEAD)
    client.force_login(other_lead)
    link = community.organization_links.get(role=CommunityOrganization.Role.MEMBER)
    before = snapshot(community)

    # through the other community's URL with this community's organization id
    response = client.post(url("communities:organization_remove", other.slug, link.pk))

    assert response.status_code == 404
    assert (
        client.post(url("communities:edit", community.slug), page_data(community)).status_code
        == 404
    )
    assert snapshot(community) == before


def test_the_edit_page_shows_english_and_french_side_by_side_in_french(client, community, lead):
    client.force_login(lead)

    response = client.get(url("communities:edit", community.slug, lang="fr"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Modifier la page – Chimique" in text
    assert "Résumé en anglais" in text and "Résumé en français" in text
    assert 'name="summary_fr"' in text and 'lang="fr"' in text
    assert "Décontaminer" in text and "Decontaminate" in text


def test_lead_edits_the_page_and_readers_see_it_in_their_language(client, community, lead):
    client.force_login(lead)
    data = page_data(
        community,
        summary_en="Chemical threats, detection and response.",
        summary_fr="Menaces chimiques, détection et intervention.",
        objective_2_en="Decontaminate people and places",
        objective_2_fr="Décontaminer les personnes et les lieux",
        objective_3_en="Train responders",
        objective_3_fr="Former les intervenants",
        join_policy=Community.JoinPolicy.OPEN,
    )

    response = client.post(url("communities:edit", community.slug), data, follow=True)

    assert "The community page was saved." in response.content.decode()
    french = client.get(url("communities:detail", community.slug, lang="fr")).content.decode()
    assert "Menaces chimiques, détection et intervention." in french
    assert "Former les intervenants" in french
    english = client.get(url("communities:detail", community.slug)).content.decode()
    assert "Chemical threats, detection and response." in english
    assert english.index("Detect agents") < english.index("Train responders")
    community.refresh_from_db()
    assert community.join_policy == Community.JoinPolicy.OPEN


def test_clearing_both_texts_of_an_objective_removes_it(client, community, lead):
    client.force_login(lead)

    client.post(
        url("communities:edit", community.slug),
        page_data(community, objective_1_en="", objective_1_fr=""),
    )

    assert list(community.objectives.values_list("text_en", flat=True)) == ["Decontaminate"]


def test_missing_french_is_explained_next_to_the_field_and_nothing_is_saved(
    client, community, lead
):
    client.force_login(lead)
    before = snapshot(community)

    response = client.post(
        url("communities:edit", community.slug, lang="fr"),
        page_data(
            community,
            summary_en="A new summary I typed",
            summary_fr="",
            objective_3_en="Only in English",
        ),
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in text
    assert 'id="id_summary_fr_errors"' in text and "Ce champ est obligatoire." in text
    assert "Donnez aussi cet objectif en français." in text
    # what was typed is still in the form, and nothing was saved
    assert "A new summary I typed" in text and "Only in English" in text
    assert snapshot(community) == before


def test_lead_adds_and_removes_member_organizations(client, community, lead):
    client.force_login(lead)
    newcomer = OrganizationFactory(
        name_en="Public Safety Canada", name_fr="Sécurité publique Canada"
    )

    response = client.post(
        url("communities:organizations", community.slug, lang="fr"),
        {"organization": newcomer.pk},
        follow=True,
    )

    assert "Sécurité publique Canada a été ajoutée aux organisations membres." in (
        response.content.decode()
    )
    link = community.organization_links.get(organization=newcomer)
    assert link.role == CommunityOrganization.Role.MEMBER
    detail = client.get(url("communities:detail", community.slug)).content.decode()
    assert "Public Safety Canada" in detail

    response = client.post(
        url("communities:organization_remove", community.slug, link.pk), follow=True
    )

    assert "Public Safety Canada was removed from the member organizations." in (
        response.content.decode()
    )
    assert not community.organization_links.filter(organization=newcomer).exists()


def test_lead_organizations_and_duplicates_are_refused_with_a_message(client, community, lead):
    client.force_login(lead)
    lead_link = community.organization_links.get(role=CommunityOrganization.Role.LEAD)
    member_link = community.organization_links.get(role=CommunityOrganization.Role.MEMBER)

    removed = client.post(
        url("communities:organization_remove", community.slug, lead_link.pk), follow=True
    )
    duplicate = client.post(
        url("communities:organizations", community.slug),
        {"organization": member_link.organization.pk},
    )
    missing = client.post(url("communities:organizations", community.slug), {"organization": ""})

    assert "set by the program" in removed.content.decode()
    assert community.organization_links.filter(pk=lead_link.pk).exists()
    assert duplicate.status_code == 400
    assert "Choose an organization from the list." in duplicate.content.decode()
    assert missing.status_code == 400
    assert "Choose the organization to add." in missing.content.decode()


def test_the_community_page_offers_lead_tools_to_leads_only_and_names_its_leads(
    client, community, lead
):
    member = UserFactory(verified=True)
    make_member(community, member)
    edit_link = url("communities:edit", community.slug)

    client.force_login(member)
    as_member = client.get(url("communities:detail", community.slug)).content.decode()
    client.force_login(lead)
    as_lead = client.get(url("communities:detail", community.slug)).content.decode()

    assert edit_link not in as_member and edit_link in as_lead
    assert "Community leads" in as_member and "Lea Lead" in as_member
    assert "Health Canada" in as_member


def test_the_leads_list_is_kept_and_shows_a_change_at_once_whatever_path_it_took(
    client, community, lead
):
    from django.core.cache import cache

    from members.models import User

    cache.clear()
    member = UserFactory(verified=True)
    make_member(community, member)
    client.force_login(member)
    page = url("communities:detail", community.slug)

    def leads(response, heading="Community leads"):
        html = response.content.decode()
        return html[html.index(heading) :].split("</ul>")[0]

    assert "Lea Lead" in leads(client.get(page))
    # Written without save(): no updated_at stamp moves.
    User.objects.filter(pk=lead.pk).update(last_name="Leadbetter")
    assert "Lea Leadbetter" in leads(client.get(page))
    # Signed out, names are not links; in French, the role is French.
    client.logout()
    community.visibility = Community.Visibility.PUBLIC
    community.save()
    signed_out = leads(client.get(page))
    assert "Lea Leadbetter" in signed_out and "/members/" not in signed_out
    in_french = client.get(url("communities:detail", community.slug, lang="fr"))
    assert "(Responsable)" in leads(in_french, "Responsables de la communauté")


def test_a_kept_leads_list_builds_no_lead_and_follows_their_organization_and_listing(
    client, community, lead
):
    """While the leads' list is kept, a page reads the leads as plain values (a big community
    has a hundred): no membership, person or organization object is built for them; a renamed
    organization or a lead who leaves the directory still shows at once."""
    from django.core.cache import cache
    from django.db.models.signals import post_init

    from communities.models import Organization
    from members.models import User

    cache.clear()
    agency = OrganizationFactory(name_en="Public Health Agency", name_fr="Agence de la santé")
    User.objects.filter(pk=lead.pk).update(organization=agency)
    for index in range(30):
        make_member(
            community,
            UserFactory(verified=True, first_name="Co", last_name=f"Lead {index:02}"),
            role=Membership.Role.CO_LEAD,
        )
    member = UserFactory(verified=True)
    make_member(community, member)
    client.force_login(member)
    page = url("communities:detail", community.slug)
    client.get(page)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    for model in (Membership, User, Organization):
        post_init.connect(count, sender=model)
    try:
        kept = client.get(page).content.decode()
    finally:
        for model in (Membership, User, Organization):
            post_init.disconnect(count, sender=model)

    assert "Co Lead 29" in kept and "Lea Lead" in kept and "Public Health Agency" in kept
    # Only the member reading the page and their own membership (from their standing).
    assert [type(made) for made in built if not isinstance(made, Membership)] == [User]
    assert [made.user_id for made in built if isinstance(made, Membership)] in ([], [member.pk])
    # Written without save(): no updated_at stamp moves.
    Organization.objects.filter(pk=agency.pk).update(name_en="Public Health Agency of Canada")
    assert "Public Health Agency of Canada" in client.get(page).content.decode()
    User.objects.filter(pk=lead.pk).update(listed_in_directory=False)
    assert "Lea Lead" not in client.get(page).content.decode()


def test_building_the_leads_list_reads_what_it_shows_in_one_query(client, community, lead):
    """On a first visit the leads are read once, with what their list shows (name, role,
    organization): not each lead's biography and the rest of their row. The same rows give the
    kept list's version and build the list, in its order (role, then name)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.models import User

    cache.clear()
    User.objects.filter(pk=lead.pk).update(bio_en="A long biography nobody reads here.")
    # Joined in the reverse of the order the list shows them.
    for index in reversed(range(5)):
        make_member(
            community,
            UserFactory(verified=True, first_name="Co", last_name=f"Lead {index}"),
            role=Membership.Role.CO_LEAD,
        )
    client.force_login(UserFactory(verified=True, is_staff=True, is_superuser=True))

    with CaptureQueriesContext(connection) as captured:
        html = client.get(url("communities:detail", community.slug)).content.decode()
    # (Read before another request: each request empties the connection's query log.)
    reads = [sql for sql in statements(captured) if '"communities_membership"' in sql]

    leads = [sql for sql in reads if "members_user" in sql and "first_name" in sql]
    assert len(leads) == 1
    assert not any("bio_en" in sql or "password" in sql for sql in leads)
    shown = html[html.index("Community leads") :].split("</ul>")[0]
    # By role ("co_lead" before "lead"), then by name.
    names = ["Co Lead 0", "Co Lead 1", "Co Lead 2", "Co Lead 3", "Co Lead 4", "Lea Lead"]
    assert [shown.index(name) for name in names] == sorted(shown.index(name) for name in names)
    assert "(Co-lead)" in shown and "(Lead)" in shown and "/members/" in shown


def test_the_organizations_page_needs_the_same_queries_for_many_organizations(
    client, community, lead, django_assert_max_num_queries
):
    client.force_login(lead)
    target = url("communities:organizations", community.slug)
    client.get(target)
    for _ in range(30):
        CommunityOrganization.objects.create(
            community=community, organization=OrganizationFactory()
        )

    with django_assert_max_num_queries(14):
        response = client.get(target)

    assert response.content.decode().count("/remove/") == 31
