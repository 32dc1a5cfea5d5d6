"""Rate limits of the API, counted in the default cache (Redis, cssp_portal/cache.py).

While Redis is down the cache answers misses and drops writes: nothing is counted, so nothing
is refused; the API keeps answering from the database."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        # Read when the throttle is built (not when DRF was imported): tests and deployments
        # may change the rates.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class VisitorThrottle(_SettingsRate, AnonRateThrottle):
    scope = "api_visitor"


class MemberThrottle(_SettingsRate, UserRateThrottle):
    scope = "api_member"
