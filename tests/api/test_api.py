"""The read-only API (/api/v1/): JSON for anyone, what the reader's standing lets them see,
in English or French, paginated, in a fixed number of queries, and never failing when the
cache (rate limits) is down."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import services
from tests.api.factories import ApiTokenFactory
from tests.communities.factories import CommunityFactory, OrganizationFactory
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory
from tests.proposals.factories import CallFactory, ProjectFactory, admin

pytestmark = pytest.mark.django_db

COLLECTIONS = ["communities", "organizations", "events", "calls", "projects"]


def slugs(response):
    return {row["slug"] for row in response.json()["results"]}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiTokenFactory(user=user).key}"}


def test_the_api_root_answers_json_to_anonymous_visitors(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == set(COLLECTIONS)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_collection_answers_paginated_json_to_anonymous_visitors(client, program, name):
    response = client.get(f"/api/v1/{name}/")

    assert response.status_code == 200
    assert {"count", "next", "previous", "results"} <= set(response.json())


def test_outsiders_never_see_private_objects(client, program):
    communities = slugs(client.get("/api/v1/communities/"))
    events = slugs(client.get("/api/v1/events/"))
    calls = slugs(client.get("/api/v1/calls/"))
    project = client.get("/api/v1/projects/sensors/").json()

    assert communities == {"floods"}
    assert events == {"flood-drill"}  # not the hosts-only, members-only-community or draft ones
    assert calls == {"open-call"}
    assert project["communities"] == ["floods"]  # the members-only community is not named
    assert client.get("/api/v1/calls/open-call/").json()["communities"] == ["floods"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/communities/secret/",
        "/api/v1/events/hosts-briefing/",
        "/api/v1/events/secret-meeting/",
        "/api/v1/events/draft-event/",
        "/api/v1/calls/draft-call/",
    ],
)
def test_private_details_answer_404_to_outsiders(client, program, url):
    client.force_login(program.outsider)

    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(program.outsider)).status_code == 404


def test_a_members_token_reads_what_the_member_sees(client, program):
    headers = bearer(program.member)

    communities = slugs(client.get("/api/v1/communities/", **headers))
    events = slugs(client.get("/api/v1/events/", **headers))
    hosts_event = client.get("/api/v1/events/hosts-briefing/", **headers)

    assert communities == {"floods", "secret"}
    assert events == {"flood-drill", "hosts-briefing", "secret-meeting"}
    assert hosts_event.json()["co_hosts"] == ["secret"]
    assert (
        hosts_event["Cache-Control"].startswith("private")
        or "private" in hosts_event["Cache-Control"]
    )


def test_the_program_staff_token_sees_draft_calls(client, program):
    response = client.get("/api/v1/calls/", **bearer(admin()))

    assert slugs(response) == {"open-call", "draft-call"}


def test_a_revoked_or_wrong_token_is_refused_with_a_message(client, program):
    token, key = services.api_token_create(by=program.member, name="old")
    services.api_token_revoke(by=program.member, token=token)

    revoked = client.get("/api/v1/communities/", HTTP_AUTHORIZATION=f"Bearer {key}")
    wrong = client.get("/api/v1/communities/", HTTP_AUTHORIZATION="Bearer nope")

    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["detail"]
    assert wrong.status_code == 401


def test_a_token_of_a_deactivated_member_is_refused(client, program):
    headers = bearer(program.member)
    program.member.is_active = False
    program.member.save()

    assert client.get("/api/v1/communities/", **headers).status_code == 401


def test_names_and_descriptions_follow_lang_or_accept_language(client, program):
    english = client.get("/api/v1/communities/floods/").json()
    french = client.get("/api/v1/communities/floods/?lang=fr").json()
    accept = client.get("/api/v1/communities/floods/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")

    assert english["name"] == "Floods CoP"
    assert english["url"].endswith("/en/communities/floods/")
    assert french["name"] == "CdP Inondations"
    assert french["summary"] == "Résilience aux inondations."
    assert french["url"].endswith("/fr/communities/floods/")
    assert accept.json()["name"] == "CdP Inondations"
    assert accept["Content-Language"] == "fr"


def test_an_unknown_language_gets_a_clear_message_not_a_500(client, program):
    response = client.get("/api/v1/communities/?lang=de")
    french = client.get("/api/v1/communities/?lang=de", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    assert "“en” (English)" in str(response.json()["lang"])
    assert "anglais" in str(french.json()["lang"])


@pytest.mark.parametrize("query", ["page=999", "page=abc", "page=-1", "page_size=abc"])
def test_bad_pages_are_answered_without_a_server_error(client, program, query):
    response = client.get(f"/api/v1/events/?{query}")

    assert response.status_code in (200, 404)


def test_pages_are_limited_and_linked(client, program):
    for _ in range(3):
        EventFactory(community=program.public, visibility="public")

    first = client.get("/api/v1/events/?page_size=2").json()

    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]


def _many(program, n):
    organizations = OrganizationFactory.create_batch(n)
    for i in range(n):
        community = CommunityFactory(parent=program.public if i % 2 else None)
        community.organizations.add(organizations[i], through_defaults={"role": "lead"})
        event = EventFactory(community=community, visibility="public")
        event.co_hosts.add(program.public, program.private)
        call = CallFactory()
        call.communities.set([community, program.private])
        project = ProjectFactory(call=call)
        project.communities.set([community, program.private])
        project.organizations.add(organizations[i], through_defaults={"role": "lead"})


@pytest.mark.parametrize("reader", ["anonymous", "token"])
def test_no_query_per_row(client, program, reader):
    headers = bearer(program.member) if reader == "token" else {}
    client.get("/api/v1/", **headers)  # warm-up: the token's last use is written once
    counts = {name: [] for name in COLLECTIONS}
    for rows in (2, 5):
        _many(program, rows)
        for name in COLLECTIONS:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/{name}/", **headers)
            assert response.status_code == 200
            counts[name].append(len(queries))

    for name, (fewer, more) in counts.items():
        assert more == fewer, f"{name}: {fewer} queries, then {more} with more rows"
        assert more <= 7, f"{name}: {more} queries"


def test_the_rate_limit_refuses_past_its_rate(client, program, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_visitor": "3/min", "api_member": "3/min"},
    }
    cache.clear()

    answers = [client.get("/api/v1/organizations/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_api_answers_while_the_cache_is_down(client, program, settings):
    from tests.cssp_portal.test_cache_outage import REDIS_DOWN

    settings.CACHES = REDIS_DOWN
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_visitor": "1/min", "api_member": "1/min"},
    }

    answers = [client.get("/api/v1/communities/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]


def test_the_openapi_schema_is_valid(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)

    assert set(schema["paths"]) >= {f"/api/v1/{name}/" for name in COLLECTIONS}
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200


def test_the_documentation_is_served_from_our_static_files(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<script>" not in html
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_api_changes_nothing(client, program):
    response = client.post("/api/v1/communities/", {"slug": "x"}, **bearer(program.member))

    assert response.status_code == 405
    assert UserFactory._meta.model.objects.filter(pk=program.member.pk).exists()


def test_the_browsable_api_renders_for_browsers_without_private_rows(client, program):
    response = client.get("/api/v1/communities/", HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Floods CoP" in page
    assert "Secret CoP" not in page
    assert "/static/rest_framework/" in page


def test_tokens_of_agrees_with_can_revoke_token(program):
    from django.contrib.auth.models import AnonymousUser

    from api import policies
    from api.models import ApiToken

    ApiTokenFactory(user=program.member)
    ApiTokenFactory(user=program.outsider)
    ApiTokenFactory(user=program.member, revoked_at=timezone.now())

    for who in (AnonymousUser(), program.member, program.outsider, admin()):
        listed = set(policies.tokens_of(who))
        allowed = {t for t in ApiToken.objects.active() if policies.can_revoke_token(who, t)}
        assert listed == allowed
