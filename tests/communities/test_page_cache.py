"""The community page keeps its objectives and organizations as fragments keyed by the
community's version and its organizations': on a hit they cost no query, and every change a
lead or an administrator makes shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from communities.models import Community, CommunityObjective, CommunityOrganization
from communities.services import community_organization_add
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.helpers import statements
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_url(community, lang="en"):
    with translation.override(lang):
        return reverse("communities:detail", args=[community.slug])


@pytest.fixture
def community():
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    CommunityObjective.objects.create(
        community=community, position=0, text_en="Detect agents", text_fr="Détecter les agents"
    )
    lead_org = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    CommunityOrganization.objects.create(
        community=community, organization=lead_org, role=CommunityOrganization.Role.LEAD
    )
    for index in range(20):
        CommunityOrganization.objects.create(
            community=community,
            organization=OrganizationFactory(name_en=f"Partner {index}"),
            role=CommunityOrganization.Role.MEMBER,
        )
    cache.clear()
    return community


@pytest.fixture
def member(community):
    user = UserFactory(verified=True)
    make_member(community, user)
    return user


def test_a_member_s_community_page_takes_at_most_ten_queries_once_its_fragments_are_kept(
    client, community, member, django_assert_max_num_queries
):
    client.force_login(member)
    client.get(page_url(community))

    with django_assert_max_num_queries(10):
        page = client.get(page_url(community)).content.decode()

    assert "Detect agents" in page
    assert "Health Canada" in page and "Partner 19" in page


def test_a_first_visit_builds_the_whole_page_from_the_database_in_at_most_thirteen_queries(
    client, community, member, django_assert_max_num_queries
):
    """Nothing kept: the session, the person, their standing, the community (with its
    portfolio managers), its events, leads, gaps, projects, news, objectives and organizations,
    and the unread count. The leads are read once, for their version and their list."""
    from communities.models import Membership

    for index in range(5):
        make_member(
            community,
            UserFactory(verified=True, first_name="Co", last_name=f"Lead {index}"),
            role=Membership.Role.CO_LEAD,
        )
    client.force_login(member)
    # What a process and a session do once (the session's first save, the names of the
    # permissions) is done on another page first.
    client.get(reverse("home"))
    cache.clear()

    with django_assert_max_num_queries(13):
        page = client.get(page_url(community)).content.decode()

    assert "Detect agents" in page and "Partner 19" in page and "Co Lead 4" in page


def test_the_objectives_and_organizations_are_served_from_their_fragments(
    client, community, member
):
    client.force_login(member)
    client.get(page_url(community))
    # Their rows are not read again.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(page_url(community)).content.decode()

    tables = " ".join(statements(captured))
    assert "communities_communityobjective" not in tables
    assert 'FROM "communities_communityorganization"' not in tables
    assert "Detect agents" in page and "Partner 3" in page


def test_a_renamed_organization_shows_at_once(client, community, member):
    client.force_login(member)
    client.get(page_url(community))
    organization = community.organization_links.get(
        role=CommunityOrganization.Role.LEAD
    ).organization

    organization.name_en = "Health Canada Branch"
    organization.save()
    page = client.get(page_url(community)).content.decode()

    assert "Health Canada Branch" in page


def test_an_organization_added_by_a_lead_shows_at_once_in_both_languages(client, community):
    lead = UserFactory(verified=True)
    make_member(community, lead, role="lead")
    client.force_login(lead)
    client.get(page_url(community))
    client.get(page_url(community, "fr"))

    community_organization_add(
        community=community,
        by=lead,
        organization=OrganizationFactory(name_en="City of Halifax", name_fr="Ville d’Halifax"),
    )

    assert "City of Halifax" in client.get(page_url(community)).content.decode()
    assert "Ville d’Halifax" in client.get(page_url(community, "fr")).content.decode()


def test_an_objective_changed_in_the_admin_shows_at_once(client, community, member):
    client.force_login(member)
    client.get(page_url(community))

    objective = community.objectives.get()
    objective.text_en = "Detect and identify agents"
    objective.save()
    # The admin saves the community with its inline objectives: its version moves.
    Community.objects.get(pk=community.pk).save()
    page = client.get(page_url(community)).content.decode()

    assert "Detect and identify agents" in page


def test_working_groups_are_listed_when_the_community_has_some(client, community, member):
    CommunityFactory(name_en="Detection working group", parent=community)
    client.force_login(member)

    page = client.get(page_url(community)).content.decode()

    assert "Working groups" in page and "Detection working group" in page


# --- Events, program and announcements: kept under a digest of the rows the page read -------


def _sections(response) -> set[str]:
    """The section templates rendered for this response (a kept section renders none)."""
    names = {template.name for template in response.templates}
    return names & {
        "events/_community_events.html",
        "proposals/_community_program.html",
        "knowledge/_community_announcements.html",
    }


@pytest.fixture
def sections(community):
    from tests.events.factories import EventFactory
    from tests.knowledge.factories import AnnouncementFactory
    from tests.proposals.factories import GapFactory, ProjectFactory

    EventFactory(community=community, title_en="Open drill", title_fr="Exercice ouvert")
    EventFactory(
        community=community,
        title_en="Hosts' debrief",
        title_fr="Bilan des hôtes",
        visibility="hosts",
    )
    AnnouncementFactory(communities=[community], title_en="Call opens", title_fr="Appel ouvert")
    GapFactory(community=community, title_en="Field detection", title_fr="Détection sur le terrain")
    ProjectFactory(title_en="Sensor network", title_fr="Réseau de capteurs").communities.add(
        community
    )
    cache.clear()


def test_a_second_visit_serves_the_events_program_and_announcements_kept(
    client, community, member, sections
):
    from tests.proposals.factories import ProjectFactory

    for title in ("Triage", "Decontamination"):
        ProjectFactory(title_en=title, title_fr=title).communities.add(community)
    client.force_login(member)
    first = client.get(page_url(community))
    with CaptureQueriesContext(connection) as captured:
        second = client.get(page_url(community))

    assert len(_sections(first)) == 3
    assert _sections(second) == set()
    # The digest reads only what the page read: no column left out of a row is fetched later.
    for table in ("proposals_project", "proposals_capabilitygap", "events_event"):
        reads = [sql for sql in statements(captured) if f'FROM "{table}"' in sql]
        assert len(reads) <= 1, table
    page = second.content.decode()
    for shown in ("Open drill", "Hosts&#x27; debrief", "Call opens", "Field detection"):
        assert shown in page
    assert "Sensor network" in page


def test_a_host_only_event_kept_for_a_member_is_not_shown_to_others(
    client, community, member, sections
):
    client.force_login(member)
    assert "Hosts&#x27; debrief" in client.get(page_url(community)).content.decode()

    client.force_login(UserFactory(verified=True))  # signed in, not a member
    outsider = client.get(page_url(community)).content.decode()
    client.logout()
    visitor = client.get(page_url(community)).content.decode()

    assert "Open drill" in outsider and "Hosts&#x27; debrief" not in outsider
    # "All members" events are for signed-in, vetted members.
    assert "Open drill" not in visitor and "Hosts&#x27; debrief" not in visitor


def test_an_event_renamed_or_withdrawn_shows_at_once_in_both_languages(
    client, community, member, sections
):
    client.force_login(member)
    client.get(page_url(community))
    client.get(page_url(community, "fr"))
    event = community.events.get(title_en="Open drill")

    event.title_en, event.title_fr = "Open field drill", "Exercice ouvert sur le terrain"
    event.save()

    assert "Open field drill" in client.get(page_url(community)).content.decode()
    assert (
        "Exercice ouvert sur le terrain" in client.get(page_url(community, "fr")).content.decode()
    )

    event.status = "draft"
    event.save()

    assert "Open field drill" not in client.get(page_url(community)).content.decode()


def test_news_a_gap_and_a_project_added_show_at_once_in_both_languages(
    client, community, member, sections
):
    from tests.knowledge.factories import AnnouncementFactory
    from tests.proposals.factories import GapFactory, ProjectFactory

    client.force_login(member)
    client.get(page_url(community))
    client.get(page_url(community, "fr"))

    AnnouncementFactory(communities=[community], title_en="Workshop report", title_fr="Rapport")
    GapFactory(community=community, title_en="Triage at scale", title_fr="Triage à grande échelle")
    ProjectFactory(title_en="Decontamination", title_fr="Décontamination").communities.add(
        community
    )
    english = client.get(page_url(community)).content.decode()
    french = client.get(page_url(community, "fr")).content.decode()

    assert "Workshop report" in english and "Rapport" in french
    assert "Triage at scale" in english and "Triage à grande échelle" in french
    assert "Decontamination" in english and "Décontamination" in french


def test_a_lead_and_a_member_each_see_their_own_links_in_the_kept_sections(
    client, community, member, sections
):
    lead = UserFactory(verified=True)
    make_member(community, lead, role="lead")
    client.force_login(member)
    as_member = client.get(page_url(community)).content.decode()
    client.force_login(lead)
    as_lead = client.get(page_url(community)).content.decode()
    client.force_login(member)
    as_member_again = client.get(page_url(community)).content.decode()

    for tool in ("New event", "Post an announcement", "Manage the register of gaps"):
        assert tool in as_lead
        assert tool not in as_member and tool not in as_member_again
    assert "See the register of gaps" in as_member_again
