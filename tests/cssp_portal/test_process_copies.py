"""Rendered fragments are kept in each process in front of Redis (cssp_portal/cache.py): their
keys name the version of what they hold, so a page reads them without a round trip to Redis,
while sessions, rate limits and counts are read from Redis every time."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key

from cssp_portal import cache as portal_cache
from cssp_portal.cache import ProcessCopies, ResilientRedisCache
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory


def _backend(prefix: str) -> ResilientRedisCache:
    """Another process's cache: a new backend on the tests' Redis database."""
    return ResilientRedisCache(
        settings.CACHES["default"]["LOCATION"],
        {"KEY_PREFIX": prefix, "OPTIONS": settings.CACHES["default"].get("OPTIONS", {})},
    )


def _count_redis_reads(monkeypatch, backend) -> list:
    """The keys `backend` reads from Redis (one entry per key of a get or get_many)."""
    reads = []
    client = backend.client
    real_get, real_get_many = client.get, client.get_many

    def get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.extend(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(client, "get", get)
    monkeypatch.setattr(client, "get_many", get_many)
    return reads


@pytest.fixture
def two_processes(request):
    prefix = f"cssp-test-copies-{request.node.name}"
    writer, reader = _backend(prefix), _backend(prefix)
    writer.clear()
    yield writer, reader
    writer.clear()


def test_a_fragment_written_elsewhere_is_read_from_redis_once(monkeypatch, two_processes):
    writer, reader = two_processes
    key = make_template_fragment_key("community-events", ["digest", 1, "en"])
    writer.set(key, "<section>Events</section>", 600)
    reads = _count_redis_reads(monkeypatch, reader)

    assert reader.get(key) == "<section>Events</section>"
    assert reader.get(key) == "<section>Events</section>"
    assert reader.get_many([key]) == {key: "<section>Events</section>"}
    assert len(reads) == 1


def test_event_entries_are_read_once_and_missing_ones_each_time(monkeypatch, two_processes):
    writer, reader = two_processes
    writer.set_many({"event-entry:1:v:en:": "<li>1</li>"}, 600)
    reads = _count_redis_reads(monkeypatch, reader)

    for _ in range(2):
        found = reader.get_many(["event-entry:1:v:en:", "event-entry:2:v:en:"])
        assert found == {"event-entry:1:v:en:": "<li>1</li>"}

    assert reads.count("event-entry:1:v:en:") == 1
    assert reads.count("event-entry:2:v:en:") == 2


def test_sessions_and_counts_are_always_read_from_redis(two_processes):
    writer, reader = two_processes
    writer.set("unread:7", "3")
    assert reader.get("unread:7") == "3"

    writer.set("unread:7", "4")

    assert reader.get("unread:7") == "4"


def test_a_fragment_deleted_or_cleared_is_read_again(monkeypatch, two_processes):
    writer, reader = two_processes
    key = make_template_fragment_key("member-cards", ["digest", "fr"])
    writer.set(key, "<ul>Fiches</ul>", 600)
    assert reader.get(key) == "<ul>Fiches</ul>"

    reader.delete(key)
    assert reader.get(key) is None
    writer.set(key, "<ul>Fiches</ul>", 600)
    reader.get(key)
    reader.clear()
    reads = _count_redis_reads(monkeypatch, reader)

    assert reader.get(key) is None
    assert len(reads) == 1


def test_the_copies_keep_within_their_room_and_drop_the_least_recently_used():
    copies = ProcessCopies(max_bytes=100, max_value=50, lifetime=60)
    copies.keep("a", "a" * 40, 60)
    copies.keep("b", "b" * 40, 60)
    copies.get("a")  # "a" used last: "b" goes first
    copies.keep("c", "c" * 40, 60)
    copies.keep("big", "x" * 51, 60)

    assert copies.get("a") == "a" * 40
    assert copies.get("c") == "c" * 40
    assert copies.get("b") is portal_cache._MISSING
    assert copies.get("big") is portal_cache._MISSING


def test_a_copy_lasts_no_longer_than_its_timeout(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(portal_cache.time, "monotonic", lambda: now[0])
    copies = ProcessCopies(max_bytes=100, max_value=50, lifetime=60)
    copies.keep("a", "kept", 30)

    now[0] += 29
    assert copies.get("a") == "kept"
    now[0] += 2
    assert copies.get("a") is portal_cache._MISSING


@pytest.mark.django_db
def test_a_second_visit_reads_none_of_the_page_s_fragments_from_redis(client, monkeypatch):
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    EventFactory(community=community, title_en="Open drill", visibility="public")
    member = UserFactory(verified=True)
    make_member(community, member)
    client.force_login(member)
    client.get(url("communities:detail", community.slug))
    reads = _count_redis_reads(monkeypatch, caches["default"])

    page = client.get(url("communities:detail", community.slug)).content.decode()

    assert "Open drill" in page
    assert not [key for key in reads if "template.cache." in str(key)]
    # The session and the unread count are still read from Redis.
    assert reads
