"""Rate limits on what a person can send many times over: discussion posts and replies, reports,
invitations, proposal submissions and join requests (issue #16, F9).

Counted by django-ratelimit in the shared cache (Redis), per person (per address for anyone
not signed in), over a fixed window: PORTAL_RATE_LIMITS names each action's rate ("30/10m").
Past it, the POST is answered with a 429 page in the person's language that says what was
limited and that nothing was saved; reading pages is never limited. While Redis is down nothing
can be counted and nothing is refused (cssp_portal/cache.ResilientRedisCache lets `add` through;
any other cache failure is logged and let through too): a rate limit never fails a request.

Sign-in, sign-up and password resets keep allauth's own limits (ACCOUNT_RATE_LIMITS).
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("cssp_portal.ratelimits")

# What each limited action is called on the 429 page ("Limit reached: ...").
ACTIONS = {
    "post": _("messages posted to discussions"),
    "report": _("reports of messages"),
    "invite": _("invitations sent"),
    "proposal": _("proposals submitted"),
    "join": _("requests to join communities"),
    "personal_data": _("downloads of your personal data"),
    "account_delete": _("attempts to delete your account"),
}


def _rate(action):
    def rate(group, request):
        return settings.PORTAL_RATE_LIMITS.get(action) or None  # None: not limited

    return rate


def seconds_left(request, action: str) -> int | None:
    """Count this POST against the person's `action` limit: None while under it, else the
    seconds until the window ends."""
    from django_ratelimit.core import get_usage

    try:
        usage = get_usage(
            request,
            group=f"portal:{action}",
            key="user_or_ip",
            rate=_rate(action),
            method="POST",
            increment=True,
        )
    except Exception:  # the cache failed in a way it does not hide: never refuse for that
        logger.warning("Rate limit for %s not counted: the cache failed", action, exc_info=True)
        return None
    if not usage or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def rate_limited(action: str):
    """View decorator: POSTs beyond the `action` rate get the 429 page; GETs pass."""
    if action not in ACTIONS:
        raise ValueError(f"unknown rate-limited action {action!r}")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                wait = seconds_left(request, action)
                if wait is not None:
                    return too_many(request, action, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many(request, action: str, wait: int):
    minutes = max(1, -(-wait // 60))
    context = {"action": ACTIONS[action], "minutes": minutes}
    response = render(request, "429_rate_limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
