import pytest
from django.utils import translation

from communities.models import Community
from proposals.models import CapabilityGap
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.helpers import url
from tests.members.factories import UserFactory
from tests.proposals.factories import GapFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_members_only_community_does_not_exist_for_outsiders(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Hidden CoP")
    path = url("communities:detail", slug=community.slug)

    assert client.get(path).status_code == 404
    client.force_login(UserFactory())
    assert client.get(path).status_code == 404
    assert "Hidden CoP" not in client.get(url("communities:list")).content.decode()


def test_a_member_sees_their_members_only_community(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Hidden CoP")
    member = UserFactory()
    make_member(community, member)
    client.force_login(member)

    page = client.get(url("communities:detail", slug=community.slug))

    assert page.status_code == 200
    assert "Hidden CoP" in page.content.decode()
    assert "Hidden CoP" in client.get(url("communities:list")).content.decode()


def test_community_page_in_french_shows_french_content(client):
    community = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", summary_fr="Des experts en chimie."
    )

    page = client.get(url("communities:detail", slug=community.slug, lang="fr")).content.decode()

    assert "Chimique" in page and "Des experts en chimie." in page
    assert '<html lang="fr">' in page


def test_a_community_page_names_its_portfolio_managers_in_name_order(client):
    community = CommunityFactory()
    other = CommunityFactory()
    managers = [
        UserFactory(first_name="Zoé", last_name="Bélanger"),
        UserFactory(first_name="Adam", last_name="Roy<b>"),
        # a deleted account keeps its row: it is named as a former member
        UserFactory(first_name="Ann", last_name="Aardvark", email="x1@deleted.invalid"),
    ]
    community.portfolio_managers.add(*managers)
    other.portfolio_managers.add(UserFactory(first_name="Eve", last_name="Elsewhere"))

    english = client.get(url("communities:detail", slug=community.slug)).content.decode()
    french = client.get(url("communities:detail", slug=community.slug, lang="fr")).content.decode()

    assert "Portfolio managers: Former member, Zoé Bélanger, Adam Roy&lt;b&gt;</p>" in english
    assert (
        "Gestionnaires de portefeuille\u00a0: Ex-membre, Zoé Bélanger, Adam Roy&lt;b&gt;" in french
    )
    assert "Eve Elsewhere" not in english
    page = client.get(url("communities:detail", slug=other.slug)).content.decode()
    assert "Portfolio managers: Eve Elsewhere</p>" in page
    alone = CommunityFactory()
    assert (
        "Portfolio managers:"
        not in client.get(url("communities:detail", slug=alone.slug)).content.decode()
    )


def test_a_community_page_shows_its_gaps_by_rank_and_its_projects_newest_first(client):
    community, other = CommunityFactory(), CommunityFactory()
    gap = CapabilityGap.Kind
    GapFactory(
        community=community, title_en="Beta unranked", title_fr="Bêta non classée", rank=None
    )
    GapFactory(community=community, title_en="Mid second", title_fr="Deuxième", rank=2)
    GapFactory(
        community=community,
        title_en="Zeta <b> first",
        title_fr="Première",
        rank=1,
        kind=gap.RISK,
        status=CapabilityGap.Status.PRIORITIZED,
    )
    GapFactory(
        community=community, title_en="Alpha unranked", title_fr="Alpha non classée", rank=None
    )
    GapFactory(community=other, title_en="Not this one", rank=1)
    for year, title in ((2021, "Older"), (2024, "Newer"), (2022, "Middle")):
        ProjectFactory(year=year, title_en=title, title_fr=f"{title} (fr)").communities.add(
            community
        )
    ProjectFactory(year=2025, title_en="Elsewhere").communities.add(other)

    english = client.get(url("communities:detail", slug=community.slug)).content.decode()
    french = client.get(url("communities:detail", slug=community.slug, lang="fr")).content.decode()

    shown = [
        english.index(t)
        for t in ("Zeta &lt;b&gt; first", "Mid second", "Alpha unranked", "Beta unranked")
    ]
    assert shown == sorted(shown) and "Not this one" not in english
    assert 'Zeta &lt;b&gt; first</a> <span class="muted">(Risk – Prioritized)</span>' in english
    with translation.override("en"):
        gap_url = CapabilityGap.objects.get(title_en="Mid second").get_absolute_url()
    assert f'href="{gap_url}"' in english
    projects = [english.index(t) for t in ("Newer</a> (2024)", "Middle</a> (2022)", "Older</a>")]
    assert projects == sorted(projects) and "Elsewhere" not in english
    assert "Première" in french and "Newer (fr)</a> (2024)" in french
    # A gap added shows at once (the kept section is keyed by what it shows).
    GapFactory(community=community, title_en="Just added", rank=3)
    assert (
        "Just added" in client.get(url("communities:detail", slug=community.slug)).content.decode()
    )


def test_the_directory_needs_the_same_number_of_queries_for_many_communities(
    client, django_assert_max_num_queries
):
    for _ in range(30):
        community = CommunityFactory()
        community.organization_links.create(organization=OrganizationFactory(), role="lead")
    member = UserFactory()
    client.force_login(member)

    with django_assert_max_num_queries(10):
        page = client.get(url("communities:list"))

    assert page.content.decode().count('class="card"') == 30


def _event(community, title, visibility, **extra):
    import datetime

    from django.utils import timezone

    from events.models import Event

    start = timezone.now() + datetime.timedelta(days=7)
    return Event.objects.create(
        community=community,
        title_en=title,
        title_fr=title,
        slug=title.lower(),
        event_type=Event.Type.MEETING,
        summary_en="s",
        summary_fr="s",
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=visibility,
        status=Event.Status.PUBLISHED,
        **extra,
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"OpenDay"}),
        ("non_member", {"OpenDay", "AllMembers"}),
        ("member", {"OpenDay", "AllMembers", "HostsOnly"}),
        ("co_host_member", {"OpenDay", "AllMembers", "HostsOnly"}),
    ],
)
def test_a_community_page_lists_only_the_events_the_visitor_may_see(client, who, expected):
    from events.models import Event

    community, co_host = CommunityFactory(), CommunityFactory()
    _event(community, "OpenDay", Event.Visibility.PUBLIC)
    _event(community, "AllMembers", Event.Visibility.MEMBERS)
    _event(community, "HostsOnly", Event.Visibility.HOSTS).co_hosts.add(co_host)
    _event(community, "DraftPlan", Event.Visibility.PUBLIC).__class__.objects.filter(
        slug="draftplan"
    ).update(status=Event.Status.DRAFT)
    if who != "anonymous":
        user = UserFactory()
        if who == "member":
            make_member(community, user)
        elif who == "co_host_member":
            make_member(co_host, user)
        client.force_login(user)

    page = client.get(url("communities:detail", slug=community.slug)).content.decode()

    shown = {
        title for title in ("OpenDay", "AllMembers", "HostsOnly", "DraftPlan") if title in page
    }
    assert shown == expected


def test_a_community_page_lists_the_events_it_co_hosts(client):
    from events.models import Event

    host, co_host, other = CommunityFactory(), CommunityFactory(), CommunityFactory()
    _event(host, "SharedDrill", Event.Visibility.PUBLIC).co_hosts.add(co_host)
    _event(other, "OtherTalk", Event.Visibility.PUBLIC)

    co_host_page = client.get(url("communities:detail", slug=co_host.slug)).content.decode()
    other_page = client.get(url("communities:detail", slug=other.slug)).content.decode()

    assert "SharedDrill" in co_host_page and "OtherTalk" not in co_host_page
    assert "OtherTalk" in other_page and "SharedDrill" not in other_page


def test_the_directory_searches_and_filters_communities_in_both_languages(
    client, django_assert_max_num_queries
):
    from communities.models import Community, CommunityOrganization
    from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
    from tests.members.factories import UserFactory

    chemical = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", join_policy=Community.JoinPolicy.REQUEST
    )
    fire = CommunityFactory(
        name_en="Fire Services",
        name_fr="Services d'incendie",
        join_policy=Community.JoinPolicy.OPEN,
    )
    rcmp = OrganizationFactory(name_en="Royal Canadian Mounted Police", name_fr="Gendarmerie")
    CommunityOrganization.objects.create(
        community=fire, organization=rcmp, role=CommunityOrganization.Role.MEMBER
    )
    for _ in range(10):  # more communities cost no more queries
        other = CommunityFactory(join_policy=Community.JoinPolicy.INVITATION)
        CommunityOrganization.objects.create(
            community=other, organization=OrganizationFactory(), role="lead"
        )

    def names(query, lang="en"):
        with django_assert_max_num_queries(12):
            response = client.get(f"/{lang}/communities/{query}")
        return {
            c.name for c in response.context["communities"].communities
        }, response.content.decode()

    assert names("?q=chimique")[0] == {"Chemical"}
    assert names("?q=mounted")[0] == {"Fire Services"}
    assert names(f"?organization={rcmp.pk}")[0] == {"Fire Services"}
    assert names("?join_policy=request")[0] == {"Chemical"}
    found, page = names("?q=nothing+like+this", lang="fr")
    assert found == set()
    assert "0 communauté trouvée." in page
    assert "Aucune communauté ne correspond" in page

    member = UserFactory(verified=True)
    make_member(chemical, member)
    client.force_login(member)
    assert names("?mine=on")[0] == {"Chemical"}


def test_the_directorys_organization_filter_offers_the_organizations_of_communities_by_name(
    client,
):
    # given two organizations in communities, whose French names sort otherwise than their
    # English ones, and one in none
    import html
    import re

    from communities.models import CommunityOrganization

    for english, french in (("Coastal Guard", "Garde côtière"), ("Ponds Office", "Étangs")):
        CommunityOrganization.objects.create(
            community=CommunityFactory(),
            organization=OrganizationFactory(name_en=english, name_fr=french, acronym_en=""),
            role=CommunityOrganization.Role.MEMBER,
        )
    OrganizationFactory(name_en="Lonely Bureau", name_fr="Bureau isolé")

    def offered(lang):
        page = html.unescape(client.get(f"/{lang}/communities/").content.decode())
        select = re.search(r'<select name="organization".*?</select>', page, re.S).group(0)
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)

    # when someone opens the directory in each language, then the filter offers those two, in
    # that language's alphabetical order, and not the one in no community
    assert offered("en") == ["Coastal Guard", "Ponds Office"]
    assert offered("fr") == ["Étangs", "Garde côtière"]
