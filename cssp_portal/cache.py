"""The portal's cache backend: django-redis, with an outage that slows pages, never refuses.

django-redis's IGNORE_EXCEPTIONS turns a Redis error into a miss (logged), so pages are built
from the database. One operation needs a different answer: `add`, which callers use as a lock
(allauth's rate limits take `cache.add(key:lock)` before counting a sign-in). A failed `add`
reads as "somebody else holds the lock", and allauth then refuses the sign-in with 429 after a
second of retries. While Redis is down nobody can hold a lock, so a failed `add` answers True:
rate limits are not enforced during the outage (they cannot be counted), and people sign in.

Rendered fragments are also kept in each process (`ProcessCopies`), in front of Redis: their
keys name the version of what they hold, so a copy is never out of date, and a page's fragments
cost no round trip to Redis (0.15 ms each on an idle machine, more under load). Everything else
(sessions, rate limits, counts that are deleted when they change) is only ever read from Redis.
"""

import logging
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("cssp_portal.cache")


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self.copies = ProcessCopies(
            max_bytes=options.get("PROCESS_COPIES_BYTES", 4 * 1024 * 1024),
            max_value=options.get("PROCESS_COPIES_MAX_VALUE", 32 * 1024),
            # A copy read from Redis: kept for as long as a fragment is (a key never changes
            # content, so this only bounds how long an unused copy takes room).
            lifetime=options.get("PROCESS_COPIES_SECONDS", 600),
        )

    def get(self, key, default=None, version=None, client=None):
        if not _is_fragment(key):
            return super().get(key, default, version=version, client=client)
        full_key = self.make_key(key, version=version)
        value = self.copies.get(full_key)
        if value is _MISSING:
            value = super().get(key, _MISSING, version=version, client=client)
            if value is _MISSING or value is None:
                return default
            self.copies.keep(full_key, value, self.copies.lifetime)
        return value

    def get_many(self, keys, version=None, client=None):
        found, wanted = {}, []
        for key in keys:
            value = (
                self.copies.get(self.make_key(key, version=version))
                if _is_fragment(key)
                else _MISSING
            )
            if value is _MISSING:
                wanted.append(key)
            else:
                found[key] = value
        if wanted:
            read = super().get_many(wanted, version=version, client=client) or {}
            for key, value in read.items():
                if _is_fragment(key):
                    self.copies.keep(
                        self.make_key(key, version=version), value, self.copies.lifetime
                    )
            found.update(read)
        return found

    def set(
        self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, nx=False, xx=False
    ):
        stored = super().set(
            key, value, timeout=timeout, version=version, client=client, nx=nx, xx=xx
        )
        if _is_fragment(key) and not (nx or xx):
            self.copies.keep(self.make_key(key, version=version), value, self._timeout(timeout))
        return stored

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        failed = super().set_many(data, timeout=timeout, version=version, client=client)
        for key, value in data.items():
            if _is_fragment(key):
                self.copies.keep(self.make_key(key, version=version), value, self._timeout(timeout))
        return failed

    def delete(self, key, version=None, prefix=None, client=None):
        self.copies.forget(self.make_key(key, version=version))
        return super().delete(key, version=version, prefix=prefix, client=client)

    def delete_many(self, keys, version=None, client=None):
        for key in keys:
            self.copies.forget(self.make_key(key, version=version))
        return super().delete_many(keys, version=version, client=client)

    def clear(self):
        self.copies.clear()
        return super().clear()

    def _timeout(self, timeout):
        return self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout

    def add(self, *args, **kwargs):
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted:
            logger.warning("Cache unavailable: add() let through while Redis is down")
            return True


def _is_fragment(key) -> bool:
    return isinstance(key, str) and key.startswith(FRAGMENT_KEY_PREFIXES)


# --- Each process's copies of the fragments ---------------------------------------------------

# The keys of rendered fragments: Django's {% cache %} tag ("template.cache.<name>.<digest of its
# vary-on values>") and the event entries (events/templatetags/event_tags.py). Every one of them
# names the version of what it holds (a digest of the rows shown, an update time, the language):
# a key never comes to hold other content, so each process may keep a copy of what it read.
FRAGMENT_KEY_PREFIXES = ("template.cache.", "event-entry:")

_MISSING = object()


class ProcessCopies:
    """The latest fragments a process read or wrote, up to `max_bytes` characters in all and
    `max_value` each (a month of the calendar is read from Redis every time): one written here
    for its timeout, one read from Redis for `lifetime` seconds; the least recently used go
    first when room is needed."""

    def __init__(self, *, max_bytes: int, max_value: int, lifetime: float):
        self.max_bytes, self.max_value, self.lifetime = max_bytes, max_value, lifetime
        self._copies: OrderedDict[str, tuple[float | None, str]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            kept = self._copies.get(key)
            if kept is None:
                return _MISSING
            expires, value = kept
            if expires is not None and expires <= time.monotonic():
                self._drop(key)
                return _MISSING
            self._copies.move_to_end(key)
            return value

    def keep(self, key: str, value, timeout: float | None) -> None:
        if not isinstance(value, str) or len(value) > self.max_value:
            return
        expires = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._drop(key)
            self._copies[key] = (expires, value)
            self._size += len(value)
            while self._size > self.max_bytes:
                self._drop(next(iter(self._copies)))

    def forget(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._size = 0

    def _drop(self, key: str) -> None:
        kept = self._copies.pop(key, None)
        if kept is not None:
            self._size -= len(kept[1])
