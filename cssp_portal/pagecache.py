"""A whole-page cache for the portal's main read pages, per viewer, emptied by any write.

The pages people open most (home, the community directory and pages, events, the member
directory, the portfolio dashboard) are built from many queries and a large template. Each is
kept in the cache for PAGE_CACHE["TIMEOUT"] seconds under a key made of:

- the **content generation**, a counter in the cache that goes up after every change: any
  model saved, deleted or with a many-to-many change (once its transaction commits), and any
  unsafe request (POST, PUT, PATCH, DELETE) that reached the portal, which also covers the
  writes that send no signal (QuerySet.update, bulk_create). A change is therefore seen on the
  very next request; the timeout only bounds what changes with the clock alone (an event that
  starts, a call that closes);
- the **viewer**: "anonymous", or a digest of the session key and the CSRF secret, so a page
  is never served to another session and its forms carry the token of the browser that reads
  them;
- the language, the path and the query string.

Nothing is cached but a 200 answer to a GET; not a request with messages waiting to be shown,
not a response that sets a cookie, not a streamed one, and not a signed-out page that carries a
CSRF token (all signed-out visitors share one key). Mark a view with `@cached_page`;
`PageCacheMiddleware` (after the authentication and message middleware) does the rest.

Why not Django's cache_page: it keys pages on the whole Cookie header but cannot be emptied
by a write, and it makes browsers keep signed-in pages (max-age), which would show a stale
page after a form's redirect.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"
ANONYMOUS = "anonymous"
# Models whose writes never change a cached page: the session row is touched once a minute by
# SessionLifetimeMiddleware, the audit log accompanies the writes it records, and the email
# outbox's rows change state all the time while the workers send (no page shows them).
_IGNORED = {
    ("sessions", "session"),
    ("auditlog", "logentry"),
    ("notifications", "notification"),
    ("notifications", "digest"),
}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Response headers that belong to one response and are never replayed.
_NOT_REPLAYED = {"set-cookie", "date", HEADER.lower()}


def cached_page(view: Callable) -> Callable:
    """Mark a view whose GET answer may be served from the page cache (see the module)."""
    view.page_cache = True
    return view


def _timeout() -> int:
    return getattr(settings, "PAGE_CACHE", {}).get("TIMEOUT", 60)


def _enabled() -> bool:
    return _timeout() > 0


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Start from the clock in milliseconds, so that a counter lost with the cache (a
        # restarted Redis) never comes back to a number whose pages are still kept.
        cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump() -> None:
    """A change was made: every page cached so far is out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (or lost with the cache)
        generation()
        cache.incr(GENERATION_KEY)


def _on_write(sender, **kwargs) -> None:
    if (sender._meta.app_label, sender._meta.model_name) in _IGNORED:
        return
    # Now, so that whoever made the change (a task, a test's transaction) reads it at once;
    # and again once the transaction commits, as a page read by someone else in between
    # still showed the old content under the new generation.
    bump()
    transaction.on_commit(bump, using=kwargs.get("using"))


def connect_signals() -> None:
    """Called once from the portal's AppConfig.ready()."""
    post_save.connect(_on_write, dispatch_uid="pagecache_post_save")
    post_delete.connect(_on_write, dispatch_uid="pagecache_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="pagecache_m2m_changed")


def _on_m2m_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        _on_write(sender, **kwargs)


def _viewer(request: HttpRequest) -> str | None:
    """Who the page is for, or None when it must not be cached for this request."""
    if not request.user.is_authenticated:
        return ANONYMOUS
    session_key = request.session.session_key
    if not session_key:
        return None
    csrf_secret = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{session_key}:{csrf_secret}".encode()).hexdigest()
    return f"user:{request.user.pk}:{digest}"


def _key(request: HttpRequest, viewer: str, generation_: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:{generation_}:{viewer}:{translation.get_language()}:{path}"


def _storable(request: HttpRequest, response: HttpResponse, viewer: str, had_csrf: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "no-store" in response.get("Cache-Control", ""):
        return False
    if len(get_messages(request)):
        return False
    # A page with a form holds a CSRF token for one browser's secret: signed-out visitors
    # share one key, and a secret made for this response is not in the key.
    used_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    return not (used_csrf and (viewer == ANONYMOUS or not had_csrf))


class PageCacheMiddleware:
    """Serves and stores the pages of views marked with @cached_page, and moves the content
    generation on after every unsafe request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A refused request (403 without a CSRF token, 429) changed nothing: it must not let
        # anyone empty the cache at will.
        if request.method not in _SAFE_METHODS and response.status_code < 400 and _enabled():
            bump()
        store = getattr(request, "_page_cache_store", None)
        if store is not None and _storable(request, response, *store[1:]):
            cache.set(
                store[0],
                {
                    "status": response.status_code,
                    "content": response.content,
                    "headers": [
                        (name, value)
                        for name, value in response.items()
                        if name.lower() not in _NOT_REPLAYED
                    ],
                },
                _timeout(),
            )
            response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "GET" or not getattr(view_func, "page_cache", False):
            return None
        if not _enabled() or len(get_messages(request)):
            return None
        viewer = _viewer(request)
        if viewer is None:
            return None
        key = _key(request, viewer, generation())
        entry = cache.get(key)
        if entry is None:
            request._page_cache_store = (key, viewer, "CSRF_COOKIE" in request.META)
            return None
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        return response
