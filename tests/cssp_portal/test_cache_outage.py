"""A cache outage slows the portal down; it never refuses a page or a write.

The cache here is a real django-redis client pointed at a port where nothing listens, as when
Redis is down: every call fails with a connection error, as in production.
"""

import pytest
from django.core.cache import cache

from communities.models import Community, Membership
from events.models import Registration
from tests.communities.factories import CommunityFactory
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {
        "BACKEND": "cssp_portal.cache.ResilientRedisCache",
        # Port 9 (discard) on loopback: nothing listens, connections are refused at once.
        "LOCATION": "redis://127.0.0.1:9/0",
        "KEY_PREFIX": "cssp-test-outage",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.fixture
def redis_down(settings):
    # Django's setting_changed handler rebuilds the cache connections from the new setting.
    settings.CACHES = {**REDIS_DOWN, "layout": settings.CACHES["layout"]}


def test_the_cache_really_is_down(redis_down):
    cache.set("probe", 1)

    assert cache.get("probe") is None


def test_sign_in_join_and_register_succeed_while_the_cache_is_down(client, redis_down):
    community = CommunityFactory(join_policy=Community.JoinPolicy.OPEN)
    event = EventFactory(community=community, visibility="members")
    person = UserFactory(verified=True)

    signed_in = client.post(url("account_login"), {"login": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.content.decode()[:500]

    joined = client.post(url("communities:join", community.slug), follow=True)
    assert joined.status_code == 200
    assert Membership.objects.get(user=person, community=community).state == "active"

    registered = client.post(url("events:register", event.slug), {"mode": "in_person"}, follow=True)
    assert registered.status_code == 200
    assert Registration.objects.filter(user=person, event=event, state="confirmed").exists()


@pytest.mark.parametrize("name", ["home", "communities:list", "events:list", "members:directory"])
def test_pages_render_from_the_database_while_the_cache_is_down(client, redis_down, name):
    person = UserFactory(verified=True)
    CommunityFactory(name_en="Explosives")
    client.force_login(person)

    response = client.get(url(name))

    assert response.status_code == 200


def test_the_readiness_probe_stays_up_while_the_cache_is_down(client, redis_down):
    """Load balancers ask /healthz/ready: a Redis outage must not take web servers away."""
    ready = client.get("/healthz/ready?format=json")
    monitoring = client.get("/healthz?format=json")

    assert ready.status_code == 200
    assert monitoring.status_code == 500
