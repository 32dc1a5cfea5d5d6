from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

_LAST_SEEN = "_portal_last_seen"
_STARTED = "_portal_started"
# Write the session at most once every five minutes just to refresh the idle clock: a session
# ends at most five minutes before its idle timeout, and an active crowd writes a fifth of the
# session rows it wrote with a one-minute step.
_TOUCH_EVERY = 300


class SessionLifetimeMiddleware:
    """End signed-in sessions after an idle period and after an absolute lifetime.

    `check --deploy` does not cover session age; a government portal must not keep a session
    open on a shared computer for weeks. The idle timeout and the absolute lifetime are the
    SESSION_IDLE_TIMEOUT and SESSION_ABSOLUTE_TIMEOUT settings (seconds).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get("_auth_user_id"):
            now = int(timezone.now().timestamp())
            started = session.get(_STARTED, now)
            last_seen = session.get(_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
            else:
                if now - last_seen >= _TOUCH_EVERY:
                    session[_LAST_SEEN] = now
        response = self.get_response(request)
        # The clocks start at sign-in: the request that logged the person in.
        if session.get("_auth_user_id") and _STARTED not in session:
            now = int(timezone.now().timestamp())
            session[_STARTED] = session[_LAST_SEEN] = now
        return response


# Browser features the portal never uses, refused to every page and to anything embedded in it.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class PrivatePagesMiddleware:
    """Signed-in pages are never stored: a browser's back button after signing out, or a shared
    computer's cache, must not show a member's pages again (`Cache-Control: no-store`). Every
    answer also carries the Permissions-Policy. A response that set its own Cache-Control (a
    public download) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
