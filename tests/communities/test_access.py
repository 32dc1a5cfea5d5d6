"""The standing: a person's roles and grants read once per request and shared by every policy."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from communities import policies
from communities.access import NotInShape, StandingQuery, standing_of, standing_scope
from communities.models import Community, Membership
from communities.services import membership_add_active, membership_remove
from knowledge import services as knowledge_services
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

# Only the standing's one query reads guardian's community grant tables: on PostgreSQL a
# prepared statement (communities/access.py), run by name once the connection has it.
GRANTS_TABLE = "communities_communitygroupobjectpermission"


def _grant_reads(queries) -> int:
    return sum(
        GRANTS_TABLE in sql or sql.startswith("EXECUTE portal_standing_")
        for sql in statements(queries)
    )


@pytest.fixture
def lead_of_three():
    """A lead of one members-only community, member of two others, each with events and a
    discussion: pages that ask dozens of policy questions."""
    lead = UserFactory(verified=True)
    communities = [
        CommunityFactory(visibility=Community.Visibility.MEMBERS),
        CommunityFactory(),
        CommunityFactory(),
    ]
    make_member(communities[0], lead, Membership.Role.LEAD)
    for community in communities[1:]:
        make_member(community, lead)
    for community in communities:
        for visibility in ("public", "members", "hosts"):
            EventFactory(community=community, visibility=visibility)
    knowledge_services.thread_start(
        community=communities[0], by=lead, title="Exercise planning", body="Let us plan."
    )
    return type(lead).objects.get(pk=lead.pk), communities


@pytest.mark.parametrize(
    "page",
    ["home", "communities:list", "communities:detail", "events:list", "events:detail",
     "knowledge:threads", "communities:roster"],
)  # fmt: skip
def test_each_page_reads_the_standing_once(client, lead_of_three, page):
    lead, communities = lead_of_three
    client.force_login(lead)
    args = {
        "communities:detail": [communities[0].slug],
        "events:detail": [communities[0].events.first().slug],
        "knowledge:threads": [communities[0].slug],
        "communities:roster": [communities[0].slug],
    }.get(page, [])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(page, *args))

    assert response.status_code == 200
    assert _grant_reads(queries.captured_queries) == 1


def test_a_grant_made_during_the_request_is_seen_by_later_checks():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    person = UserFactory(verified=True)

    with standing_scope():
        assert not policies.can_view_community(person, community)
        membership_add_active(community=community, user=person)
        # Another object for the same person, as a service would load it.
        again = type(person).objects.get(pk=person.pk)
        assert policies.can_view_community(again, community)
        assert policies.can_participate(person, community)


def test_a_removal_takes_effect_at_once():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    lead, person = UserFactory(verified=True), UserFactory(verified=True)
    make_member(community, lead, Membership.Role.LEAD)
    membership = make_member(community, person)

    with standing_scope():
        assert policies.can_view_community(person, community)
        membership_remove(membership=membership, by=type(lead).objects.get(pk=lead.pk))
        assert not policies.can_view_community(person, community)


def test_outside_a_request_every_check_reads_the_grants_afresh():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    person = UserFactory(verified=True)
    assert not policies.can_view_community(person, community)

    # Granted through another object for the same person: nothing was kept from the check.
    membership_add_active(community=community, user=type(person).objects.get(pk=person.pk))

    assert policies.can_view_community(person, community)


def test_an_administrator_is_an_active_superuser_and_nothing_else():
    staff = UserFactory(verified=True, is_staff=True)
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    retired = UserFactory(verified=True, is_superuser=True, is_active=False)

    assert not standing_of(staff).is_admin
    assert standing_of(admin).is_admin
    assert not standing_of(retired).is_admin


@pytest.mark.django_db(transaction=True)
def test_the_standing_is_read_again_after_a_rollback_and_on_a_new_connection():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    person = UserFactory(verified=True)
    make_member(community, person, Membership.Role.LEAD)

    def roles():
        with standing_scope():
            return dict(standing_of(type(person).objects.get(pk=person.pk)).roles)

    assert roles() == {community.pk: "lead"}
    # A rolled-back transaction keeps what the connection prepared.
    with pytest.raises(RuntimeError), transaction.atomic():
        assert roles() == {community.pk: "lead"}
        raise RuntimeError
    assert roles() == {community.pk: "lead"}
    # A new connection (the old one closed, as CONN_MAX_AGE or a health check does) prepares
    # it again.
    connection.close()
    assert roles() == {community.pk: "lead"}
    with CaptureQueriesContext(connection) as queries:
        assert roles() == {community.pk: "lead"}
    assert _grant_reads(queries.captured_queries) == 1


# --- Queries compiled once for everyone of a shape (StandingQuery) ------------------------------


def _members_only_of_mine(standing):
    return policies.communities_visible_to(standing).filter(visibility=Community.Visibility.MEMBERS)


def test_a_standing_query_serves_people_of_one_shape_with_their_own_communities():
    mine, theirs, open_to_all = (
        CommunityFactory(visibility=Community.Visibility.MEMBERS),
        CommunityFactory(visibility=Community.Visibility.MEMBERS),
        CommunityFactory(),
    )
    me, them, nobody = UserFactory(verified=True), UserFactory(verified=True), UserFactory()
    make_member(mine, me)
    make_member(theirs, them)
    make_member(open_to_all, them)
    query = StandingQuery("members-only communities", _members_only_of_mine)

    with standing_scope():
        assert query.list(me) == [mine]
        assert query.list(them) == [theirs]
        assert query.list(nobody) == []
    # one shape (vetted, no global permission), one SQL text for the three of them
    assert len(query._by_shape) == 1


@pytest.mark.parametrize(
    "reads",
    [
        lambda standing: standing.is_portfolio_manager,  # a global permission not asked about
        lambda standing: standing.roles,
        lambda standing: standing.is_admin,
        lambda standing: 1 in standing.member_of,  # decided in Python, not in the SQL
        lambda standing: bool(standing.member_of),
        lambda standing: standing.has("communities.view_community", 1),
    ],
)
def test_a_standing_query_refuses_a_rule_that_decides_from_one_persons_facts(reads):
    """Its SQL is shared by everyone of the shape: a rule reading anything else of the person
    would give one person's answer to all of them. It is refused when first built."""
    person = UserFactory(verified=True)
    make_member(CommunityFactory(), person)

    def build(standing):
        reads(standing)
        return Community.objects.all()

    with pytest.raises(NotInShape):
        StandingQuery("a rule of one person", build).list(person)


def test_a_standing_query_is_for_signed_in_people():
    with pytest.raises(ValueError, match="signed-in"):
        StandingQuery("members-only communities", _members_only_of_mine).list(AnonymousUser())


def test_a_standing_query_refuses_an_unknown_plan_where_it_is_defined():
    with pytest.raises(ValueError, match="plan is one of auto, generic"):
        StandingQuery("test", lambda standing: Community.objects.all(), plan="custom")
