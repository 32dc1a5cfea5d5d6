"""The portal's cache backend: django-redis, with an outage that slows pages, never refuses.

django-redis's IGNORE_EXCEPTIONS turns a Redis error into a miss (logged), so pages are built
from the database. One operation needs a different answer: `add`, which callers use as a lock
(allauth's rate limits take `cache.add(key:lock)` before counting a sign-in). A failed `add`
reads as "somebody else holds the lock", and allauth then refuses the sign-in with 429 after a
second of retries. While Redis is down nobody can hold a lock, so a failed `add` answers True:
rate limits are not enforced during the outage (they cannot be counted), and people sign in.
"""

import logging

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("cssp_portal.cache")


class ResilientRedisCache(RedisCache):
    def add(self, *args, **kwargs):
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted:
            logger.warning("Cache unavailable: add() let through while Redis is down")
            return True
