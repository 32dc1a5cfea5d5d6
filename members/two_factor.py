"""Two-factor authentication required of the people who can change what others see or do.

Administrators, portfolio managers and community leads and co-leads must protect their account
with allauth's MFA (an authenticator app's codes, TOTP, with recovery codes). Who must is read
from the person's standing (communities/access.py), which the page needs anyway, and so is
whether they have set it up (the standing's one query reads it): no query and no session write
of its own, and a set-up or removal, in this browser or another, counts from the next page.

- During a grace period (TWO_FACTOR_GRACE_DAYS from TWO_FACTOR_GRACE_START, or from the day the
  account was created when that is later) every page shows a notice with the deadline.
- After it, every signed-in page sends them to the set-up page first; signing out, the account
  and two-factor pages, static files and health checks stay reachable.
- TWO_FACTOR_REQUIRED = False turns enforcement off (the test settings, and the development
  default so that the demo accounts sign in straight away); tests about two-factor turn it on.
"""

from __future__ import annotations

import datetime

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext

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


@receiver(authenticator_added)
@receiver(authenticator_removed)
def _read_again(sender, request=None, **kwargs):
    """A set-up or removal counts for the rest of the request too (the page allauth answers
    with)."""
    if request is not None and getattr(request, "user", None) is not None:
        from communities.access import forget_standing

        forget_standing(request.user)


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

        standing = standing_of(request)
        if not must_use_two_factor(standing) or standing.has_authenticator:
            return None
        match = _match(request)
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
