"""Version keys for kept fragments ({% cache %}) and the cache calls that keep them.

- `rows_digest`: a digest of rows read in one narrow query (ids, update times, counts and sums
  of what the entries show from related rows), so a page whose fragment is kept builds no
  model instance (events.selectors.Listing, communities.selectors.CardListing).
- `content_digest`, `shown_version`: a digest of what a fragment shows of rows the page has
  already read (the community page's sections, the dashboard's lists, the filter forms).
- `cache_call`: a cache operation that a cache outage turns into a miss, logged, so that the
  page renders what it would have read.
"""

import hashlib
import logging
from collections.abc import Iterable, Sequence

from django.core.cache import cache

logger = logging.getLogger("cssp_portal.fragments")


def cache_call(method: str, *args, what: str = "fragments"):
    """`cache.<method>(*args)`, or None when the cache is unavailable (logged): a cache outage
    never fails a page, its fragments are rendered instead."""
    try:
        return getattr(cache, method)(*args)
    except Exception:
        logger.warning("Cache unavailable: %s rendered without it (%s)", what, method)
        return None


def rows_digest(rows: Iterable[Iterable]) -> str:
    """A short digest of `rows` (tuples of ids, datetimes, numbers or None), in their order:
    any value changing, or another set or order of rows, gives another digest."""
    parts = [
        ":".join(str(value.timestamp() if hasattr(value, "timestamp") else value) for value in row)
        for row in rows
    ]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=12).hexdigest()


def content_digest(rows: Iterable[tuple]) -> str:
    """A short digest of what a fragment shows, given as rows of plain values (text, numbers,
    booleans, None, nested tuples): unambiguous (each row's repr), so two different contents
    never share a kept fragment by a trick of separators."""
    return hashlib.blake2b(repr(list(rows)).encode(), digest_size=16).hexdigest()


def shown_version(*sections: tuple[Iterable, Sequence[str]]) -> str:
    """A digest of what a fragment shows of rows already read: each section is (rows, the
    fields shown of each row), a field a name or a dotted path through related objects
    ("call.title"; None where a relation is empty). Every value a field path names must be
    loaded with the rows: a deferred one would cost a query per row."""

    def value(row, path: str):
        for name in path.split("."):
            if row is None:
                return None
            row = getattr(row, name)
        return row

    return content_digest(
        tuple(tuple(value(row, field) for field in fields) for row in rows)
        for rows, fields in sections
    )
