"""Two-factor authentication required of the people who can change what others see or do.

Administrators, portfolio managers and community leads and co-leads must protect their account
with allauth's MFA (an authenticator app's codes, TOTP, with recovery codes). Who must is read
from the person's standing (communities/access.py), which the page needs anyway: no query of its
own. Whether they have set it up is one small query for those people only, remembered in the
session once true (a removal in this session forgets it; see `_forget`); a "not yet" is
remembered for a minute (a set-up in this session is known at once, see `_remember`; one made
in another browser, within the minute).

- During a grace period (TWO_FACTOR_GRACE_DAYS from TWO_FACTOR_GRACE_START, or from the day the
  account was created when that is later) every page shows a notice with the deadline.
- After it, every signed-in page sends them to the set-up page first; signing out, the account
  and two-factor pages, static files and health checks stay reachable.
- TWO_FACTOR_REQUIRED = False turns enforcement off (the test settings, and the development
  default so that the demo accounts sign in straight away); tests about two-factor turn it on.
"""

from __future__ import annotations

import datetime
import time

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext

_SESSION_KEY = "_portal_two_factor"
# When the session last found no authenticator (a Unix time), and for how long that holds: the
# people in their grace period would otherwise cost a query on every page.
_CHECKED_KEY = "_portal_two_factor_checked"
_RECHECK_SECONDS = 60
# The roles of a community that must use two-factor authentication.
_LEAD_ROLES = frozenset({"lead", "co_lead"})
# Pages that stay open to someone past the deadline: allauth's own (sign in and out, e-mail
# confirmation, re-authentication, two-factor set-up), the language switch and health checks.
_OPEN_PREFIXES = ("account_", "mfa_")
_OPEN_NAMES = frozenset({"set_language", "javascript-catalog", "healthz", "healthz_ready"})


def must_use_two_factor(standing) -> bool:
    """Administrators, portfolio managers and community leads and co-leads (standing only)."""
    if not standing.signed_in:
        return False
    if standing.is_admin or standing.is_portfolio_manager:
        return True
    return any(role in _LEAD_ROLES for role in standing.roles.values())


def deadline_for(user) -> datetime.date:
    """The last day someone who must may still go without two-factor authentication."""
    start = datetime.date.fromisoformat(str(settings.TWO_FACTOR_GRACE_START))
    joined = timezone.localdate(user.date_joined) if user.date_joined else start
    return max(start, joined) + datetime.timedelta(days=settings.TWO_FACTOR_GRACE_DAYS)


def has_two_factor(request, *, remember_no: bool = True) -> bool:
    """The person has an authenticator (TOTP); remembered in the session once true, and a
    "no" for _RECHECK_SECONDS unless `remember_no` is False (the two-factor pages, where the
    answer is about to change: the page after them asks again)."""
    session = request.session
    if session.get(_SESSION_KEY):
        return True
    now = time.time()
    if not remember_no:
        session.pop(_CHECKED_KEY, None)
    elif 0 <= now - session.get(_CHECKED_KEY, -_RECHECK_SECONDS) < _RECHECK_SECONDS:
        return False
    from allauth.mfa.models import Authenticator

    found = Authenticator.objects.filter(
        user_id=request.user.pk, type=Authenticator.Type.TOTP
    ).exists()
    if found:
        session[_SESSION_KEY] = True
        session.pop(_CHECKED_KEY, None)
    elif remember_no:
        session[_CHECKED_KEY] = now
    return found


@receiver(authenticator_added)
def _remember(sender, request=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[_SESSION_KEY] = True
        request.session.pop(_CHECKED_KEY, None)


@receiver(authenticator_removed)
def _forget(sender, request=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(_SESSION_KEY, None)
        request.session.pop(_CHECKED_KEY, None)


def _match(request):
    """The URL match of the request, or None for static files and unknown paths (a 404 page
    reveals nothing, and a file is no page)."""
    path = request.path_info
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return None
    try:
        return resolve(path)
    except Resolver404:
        return None


def _is_open(match) -> bool:
    if match is None:
        return True
    name = match.url_name or ""
    return name.startswith(_OPEN_PREFIXES) or name in _OPEN_NAMES


class TwoFactorRequiredMiddleware:
    """Sets `request.two_factor_deadline` (a date) for people who must use two-factor
    authentication and have not set it up, and `request.two_factor_overdue` once the deadline
    has passed; overdue people are sent to the set-up page from any page but the open ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        return response or self.get_response(request)

    def _check(self, request):
        if not settings.TWO_FACTOR_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from communities.access import standing_of

        if not must_use_two_factor(standing_of(request)) or request.session.get(_SESSION_KEY):
            return None
        match = _match(request)
        on_two_factor_pages = match is not None and (match.url_name or "").startswith("mfa_")
        if has_two_factor(request, remember_no=not on_two_factor_pages):
            return None
        deadline = deadline_for(user)
        request.two_factor_deadline = deadline
        request.two_factor_overdue = timezone.localdate() > deadline
        if not request.two_factor_overdue or _is_open(match):
            return None
        if "api" in match.namespaces:
            # A program calling the API with the browser's session gets an answer it can read,
            # not the set-up page's HTML (token calls carry no session and never come here).
            return JsonResponse(
                {
                    "detail": gettext(
                        "Set up two-factor authentication in the portal before using the API "
                        "with your session."
                    )
                },
                status=403,
            )
        # The set-up page shows the notice (base.html) saying why the person is there.
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def two_factor(request):
    """Context processor: the deadline notice of base.html (nothing read here)."""
    return {
        "two_factor_deadline": getattr(request, "two_factor_deadline", None),
        "two_factor_overdue": getattr(request, "two_factor_overdue", False),
    }
