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


def largest_upload() -> int:
    """The largest file any form of the portal accepts (library files, attachments)."""
    from django.conf import settings

    from cssp_portal.uploads import MAX_SIZE

    return max(MAX_SIZE, getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))


class RequestSizeLimitMiddleware:
    """A request body larger than any upload the portal accepts is refused with a 413 page in
    the person's language before it is read: nothing in the chain has touched the body yet (the
    CSRF check reads it later, in process_view), so a 2 GB "attachment" costs the server neither
    the transfer into a temporary file nor the disk. The limit, UPLOAD_MAX_REQUEST_BYTES, is the
    largest file limit plus room for the other fields of the form; a file under it but over its
    own form's limit gets that form's error beside the field (cssp_portal/uploads.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        largest = largest_upload()
        limit = getattr(settings, "UPLOAD_MAX_REQUEST_BYTES", None) or largest + 2**20
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself treats an unreadable length as no body
        if length > limit:
            return _too_large(request, length, largest)
        return self.get_response(request)


def _too_large(request, length: int, largest: int):
    from django.shortcuts import render
    from django.template.defaultfilters import filesizeformat

    context = {"size": filesizeformat(length), "limit": filesizeformat(largest)}
    return render(request, "413.html", context, status=413)
