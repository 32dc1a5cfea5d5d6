import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from communities.models import Community, Membership
from cssp_portal.precompiled import Precompiled
from tests.communities.factories import CommunityFactory, make_member
from tests.helpers import statements
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _with_members(slug):
    return (
        Community.objects.prefetch_related("portfolio_managers")
        .annotate(
            members=Count("memberships"),
            has_working_groups=Exists(Community.objects.filter(parent=OuterRef("pk"))),
        )
        .filter(slug=slug)
    )


def test_a_precompiled_query_gives_what_its_queryset_gives_for_each_value():
    query = Precompiled("test community", _with_members, slug=str)
    first, second = CommunityFactory(), CommunityFactory()
    make_member(first, UserFactory())
    make_member(first, UserFactory())
    manager = UserFactory()
    second.portfolio_managers.add(manager)
    for community in (first, second, first):
        # given the same community read by the queryset and by its precompiled query
        expected = _with_members(community.slug).get()
        got = query.first(slug=community.slug)
        # then the instances carry the same values, annotations and prefetched rows
        assert got == expected
        assert (got.members, got.has_working_groups) == (expected.members, False)
        assert got.name_en == expected.name_en and got.name_fr == expected.name_fr
        assert list(got.portfolio_managers.all()) == list(expected.portfolio_managers.all())
    assert query.first(slug="no-such-community") is None


def test_the_second_run_only_runs_the_sql():
    query = Precompiled("test community", _with_members, slug=str)
    community = CommunityFactory()
    query.first(slug=community.slug)
    with CaptureQueriesContext(connection) as queries:
        assert query.first(slug=community.slug) == community
    # the community's row and its prefetched portfolio managers, as the queryset reads them
    assert len(queries) == 2
    assert f"'{community.slug}'" in queries[0]["sql"]
    assert '"communities_community"' in statements(queries)[0]


def test_values_lists_slices_and_datetimes_run_precompiled():
    community = CommunityFactory()
    leads = [make_member(community, UserFactory(), role=Membership.Role.LEAD) for _ in range(3)]
    query = Precompiled(
        "test leads",
        lambda community_id, since: (
            Membership.objects.filter(community_id=community_id, joined_at__gte=since)
            .order_by("pk")
            .values_list("user_id", flat=True)[:2]
        ),
        community_id=int,
        since=datetime.datetime,
    )
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    assert query.list(community_id=community.pk, since=an_hour_ago) == [
        lead.user_id for lead in leads[:2]
    ]
    assert query.list(community_id=community.pk, since=timezone.now() + datetime.timedelta(1)) == []
    assert query.list(community_id=community.pk + 1000, since=an_hour_ago) == []


def test_a_day_is_a_parameter_too():
    from proposals.models import Project
    from tests.proposals.factories import ProjectFactory

    ending = ProjectFactory(end_date=datetime.date(2030, 5, 1))
    ProjectFactory(end_date=datetime.date(2031, 1, 1))
    query = Precompiled(
        "projects ending",
        lambda until: Project.objects.filter(end_date__lte=until).order_by("pk"),
        until=datetime.date,
    )

    assert query.list(until=datetime.date(2030, 12, 31)) == [ending]
    assert query.list(until=datetime.date(2029, 1, 1)) == []
    assert len(query.list(until=datetime.date(2031, 1, 1))) == 2


def test_each_language_has_its_own_compilation():
    # modeltranslation orders by the active language's column
    query = Precompiled(
        "test names",
        lambda parent_id: Community.objects.filter(parent_id=parent_id).order_by("name"),
        parent_id=int,
    )
    parent = CommunityFactory()
    CommunityFactory(parent=parent, name_en="Alpha", name_fr="Zulu")
    CommunityFactory(parent=parent, name_en="Bravo", name_fr="Yankee")
    with translation.override("en"):
        assert [c.name_en for c in query.list(parent_id=parent.pk)] == ["Alpha", "Bravo"]
    with translation.override("fr"):
        assert [c.name_en for c in query.list(parent_id=parent.pk)] == ["Bravo", "Alpha"]


@pytest.mark.parametrize(
    "build",
    [
        # a value of its own making, different at each build
        lambda slug: Community.objects.filter(slug=slug, created_at__lte=timezone.now()),
        # a date that would only go stale at midnight
        lambda slug: Community.objects.filter(slug=slug, created_at__date=timezone.localdate()),
        # a parameter transformed on its way into the SQL
        lambda slug: Community.objects.filter(name__icontains=slug),
        # a parameter that is never used
        lambda slug: Community.objects.all(),
    ],
    ids=["now", "today", "transformed", "unused"],
)
def test_a_query_that_cannot_be_precompiled_is_refused_when_first_run(build):
    query = Precompiled("unsafe", build, slug=str)
    with pytest.raises(ImproperlyConfigured, match="unsafe query cannot be precompiled"):
        query.list(slug="anything")


def test_a_query_whose_shape_follows_a_value_is_refused():
    # a list's length is part of the SQL (IN (%s, %s)): not a parameter
    query = Precompiled(
        "by size",
        lambda size: Community.objects.filter(pk__in=list(range(1, abs(size) % 7 + 2))),
        size=int,
    )
    with pytest.raises(ImproperlyConfigured):
        query.list(size=3)


def test_the_values_given_must_be_the_parameters():
    query = Precompiled("test community", _with_members, slug=str)
    with pytest.raises(TypeError, match="takes slug"):
        query.list(name="x")
    with pytest.raises(TypeError, match="date and datetime parameters"):
        Precompiled("times", lambda at: Community.objects.all(), at=datetime.time).list(
            at=datetime.time(9)
        )
    # a parameter the query does not use
    with pytest.raises(ImproperlyConfigured):
        Precompiled("dates", lambda day: Community.objects.all(), day=datetime.date).list(
            day=timezone.localdate()
        )


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection():
    # (a connection used from another thread than its own raises DatabaseError)
    query = Precompiled("test community", _with_members, slug=str)
    community = CommunityFactory()
    assert query.first(slug=community.slug) == community  # compiled in this thread
    found = []

    def other_thread():
        try:
            found.append(query.first(slug=community.slug))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert found == [community]


def test_a_list_of_ids_is_one_array_whatever_its_length():
    query = Precompiled(
        "test ids",
        lambda ids: (
            Community.objects.filter(pk__any=ids).order_by("pk").values_list("pk", flat=True)
        ),
        ids=list,
    )
    first, second, third = CommunityFactory(), CommunityFactory(), CommunityFactory()
    assert query.list(ids=[first.pk]) == [first.pk]
    with CaptureQueriesContext(connection) as queries:
        assert query.list(ids=[third.pk, first.pk, 10**9]) == [first.pk, third.pk]
        assert query.list(ids=[]) == []
    sent = statements(queries)
    assert "= ANY(" in sent[0]
    # the same statement for three ids and for none
    assert sent[0] == sent[1]
    assert second.pk not in query.list(ids=[first.pk, third.pk])


def test_the_any_lookup_gives_what_in_gives():
    communities = [CommunityFactory() for _ in range(3)]
    people = [UserFactory() for _ in range(3)]
    for community, person in zip(communities, people, strict=True):
        make_member(community, person)
    for ids in ([], [communities[0].pk], [c.pk for c in communities] + [10**9]):
        assert set(Community.objects.filter(pk__any=ids)) == set(
            Community.objects.filter(pk__in=ids)
        )
    # and on a foreign key
    for ids in ([], [people[1].pk], [p.pk for p in people]):
        assert set(Membership.objects.filter(user__any=ids)) == set(
            Membership.objects.filter(user__in=ids)
        )


def _community_names():
    return Precompiled(
        "test names",
        lambda ids: (
            Community.objects.filter(pk__any=ids).order_by("pk").values_list("slug", flat=True)
        ),
        ids=list,
    )


def test_it_runs_as_a_statement_prepared_once_per_connection():
    query = _community_names()
    first, second = CommunityFactory(), CommunityFactory()
    with CaptureQueriesContext(connection) as queries:
        assert query.list(ids=[first.pk]) == [first.slug]
        assert query.list(ids=[second.pk, first.pk]) == [first.slug, second.slug]
        assert query.list(ids=[]) == []
    sent = [q["sql"] for q in queries]
    # prepared with the first run (one round trip), then only run by name with the values
    assert sent[0].startswith("PREPARE portal_q") and "; EXECUTE portal_q" in sent[0]
    assert all(sql.startswith("EXECUTE portal_q") for sql in sent[1:])
    assert len({sql.split("(")[0] for sql in sent[1:]}) == 1
    # the query log still tells which table each run read
    assert all('FROM "communities_community"' in sql for sql in statements(queries))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'portal_q%%'")
        assert cursor.fetchone()[0] >= 1


def test_a_count_gives_the_queryset_s_count_as_a_prepared_statement_of_its_own():
    # given communities, some of them members-only, and the precompiled query of a list of ids
    public = [CommunityFactory() for _ in range(3)]
    hidden = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    query = Precompiled(
        "test visible count",
        lambda ids: Community.objects.filter(pk__any=ids, visibility="public").values("pk"),
        ids=list,
    )
    everyone = [community.pk for community in [*public, hidden]]
    # when it counts, three times with other values
    with CaptureQueriesContext(connection) as queries:
        counts = [query.count(ids=everyone), query.count(ids=everyone[:1]), query.count(ids=[])]
    # then each count is the queryset's, read by one statement prepared once
    assert counts == [3, 1, 0]
    sent = [q["sql"] for q in queries]
    assert len(sent) == 3
    assert sent[0].startswith("PREPARE portal_q") and "SELECT COUNT(*) FROM (" in sent[0]
    assert all(sql.startswith("EXECUTE portal_q") for sql in sent[1:])
    # and the query log tells what it counted
    assert all(
        sql.startswith("SELECT COUNT(*) FROM (") and '"communities_community"' in sql
        for sql in statements(queries)
    )


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again():
    query = _community_names()
    community = CommunityFactory()
    assert query.list(ids=[community.pk]) == [community.slug]
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        assert query.list(ids=[community.pk]) == [community.slug]
    assert queries[0]["sql"].startswith("PREPARE portal_q")


def test_a_run_that_failed_leaves_no_statement_in_doubt():
    from django.db import DatabaseError, transaction

    query = _community_names()
    community = CommunityFactory()
    # The first run prepares the statement, then fails running it (an id out of range): the
    # statement stays prepared on the connection, though the run failed and was rolled back.
    with pytest.raises(DatabaseError), transaction.atomic():
        query.list(ids=[10**20])
    failed = _prepared_names()
    # The next run prepares it again under a new name, and answers.
    with CaptureQueriesContext(connection) as queries:
        assert query.list(ids=[community.pk]) == [community.slug]
    assert queries[0]["sql"].startswith("PREPARE portal_q")
    assert set(_prepared_names()) > set(failed)
    assert query.list(ids=[community.pk]) == [community.slug]


def _prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'portal_q%%'")
        return [row[0] for row in cursor.fetchall()]


def test_numbered_placeholders_leave_literal_percent_signs():
    from cssp_portal.precompiled import _numbered

    assert _numbered("a LIKE '%%x' AND b = %s OR c = ANY(%s)") == (
        "a LIKE '%%x' AND b = $1 OR c = ANY($2)"
    )


def test_numbered_placeholders_take_the_query_s_own_constants_as_literals():
    from cssp_portal.precompiled import _numbered

    sql = "a = %s AND b LIKE %s AND c = ANY(%s) AND d LIKE '%%x'"
    assert _numbered(sql, {1: "'50% off'"}) == (
        "a = $1 AND b LIKE '50%% off' AND c = ANY($2) AND d LIKE '%%x'"
    )


def _constants_and_a_slug(slug):
    # The slug is the only parameter; the rest are the query's own constants, one of them
    # with a quote, a percent sign and a backslash.
    return (
        Community.objects.filter(slug=slug, name_en__contains="50% o'clock \\ now")
        .exclude(visibility=Community.Visibility.MEMBERS)
        .values_list("slug", flat=True)
    )


def test_the_query_s_own_constants_are_written_into_its_prepared_statement():
    query = Precompiled("test constants", _constants_and_a_slug, slug=str)
    shown = CommunityFactory(name_en="Drills at 50% o'clock \\ now")
    hidden = CommunityFactory(
        name_en="Drills at 50% o'clock \\ now", visibility=Community.Visibility.MEMBERS
    )
    other = CommunityFactory(name_en="Drills at noon")
    communities = (shown, hidden, other, shown)
    expected = [list(_constants_and_a_slug(community.slug)) for community in communities]
    with CaptureQueriesContext(connection) as queries:
        # the same rows as the queryset, whatever the constants hold
        assert [query.list(slug=community.slug) for community in communities] == expected
    assert expected[0] == [shown.slug] and expected[1] == expected[2] == []
    # each run sends the slug alone; the constants are in the prepared statement
    runs = [q["sql"].rsplit("EXECUTE ", 1)[1] for q in queries]
    assert runs[-1].endswith(f"('{shown.slug}')") and len(runs) == len(communities)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, parameter_types FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%%o''clock%%"],
        )
        (statement, types), *_ = cursor.fetchall()
    assert "'members'" in statement and "$1" in statement and "$2" not in statement
    assert types == ["text"] or types == "{text}"


def _plans(query) -> tuple[int, int]:
    """(generic, custom) plans PostgreSQL used for the query's prepared statement so far."""
    name = f"portal_q{query._compiled[translation.get_language()].serial}_%%"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE %s",
            [name],
        )
        return cursor.fetchone()


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def _names(plan):
    return Precompiled(
        f"test names ({plan})",
        lambda ids: (
            Community.objects.filter(pk__any=ids).order_by("pk").values_list("slug", flat=True)
        ),
        plan=plan,
        ids=list,
    )


@pytest.mark.django_db(transaction=True)
def test_a_generic_plan_query_runs_with_its_generic_plan_from_its_first_run():
    generic, auto = _names("generic"), _names("auto")
    first, second = CommunityFactory(), CommunityFactory()
    with CaptureQueriesContext(connection) as queries:
        for ids in ([first.pk], [second.pk, first.pk], []):
            expected = sorted(c.slug for c in (first, second) if c.pk in ids)
            assert generic.list(ids=ids) == auto.list(ids=ids) == expected
    # the query log still tells which table each run read
    assert len(queries) == 6
    assert all('FROM "communities_community"' in sql for sql in statements(queries))
    # PostgreSQL planned the generic one once, for any values; the other for each run (its
    # first five runs always are, under "auto")
    assert _plans(generic) == (3, 0)
    assert _plans(auto) == (0, 3)
    # the connection itself stays as it was: the next statements choose as usual
    assert _plan_cache_mode() == "auto"
    assert auto.list(ids=[first.pk]) == [first.slug]
    assert _plans(auto) == (0, 4)


def test_inside_a_transaction_a_generic_plan_query_runs_as_any_other():
    from django.db import transaction

    generic = _names("generic")
    community = CommunityFactory()
    # (pytest-django's test is itself a transaction; one more block, as a view's would be)
    with transaction.atomic():
        assert generic.list(ids=[community.pk]) == [community.slug]
        # mode set with SET LOCAL would have lasted to the end of the transaction
        assert _plan_cache_mode() == "auto"
    assert _plans(generic) == (0, 1)


def test_a_plan_is_auto_or_generic():
    with pytest.raises(ValueError, match="plan is one of auto, generic"):
        _names("custom")
