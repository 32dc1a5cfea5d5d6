from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def other_language_url(full_path: str, current: str, other: str) -> str:
    """The same page in the other official language, query kept.

    A `next=` target is switched too, so signing in after changing language stays in that
    language; an address Django cannot resolve (a 404) still gets its language prefix swapped.
    """
    # "//host/..." (or "/\\host") would read as another site's address: keep it on this one.
    full_path = "/" + full_path.lstrip("/\\")
    parts = urlsplit(full_path)
    path = translate_url(parts.path, other)
    if path == parts.path and parts.path.startswith(f"/{current}/"):
        path = f"/{other}/" + parts.path[len(current) + 2 :]
    query = [
        (key, translate_url(value, other) if key == "next" and value.startswith("/") else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(path=path, query=urlencode(query)))


def site(request):
    """What every page's header and footer need: the toggle to the same page in the other
    official language, and the program's contact address."""
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    other = "fr" if current == "en" else "en"
    return {
        "other_language": other,
        "other_language_name": translation.get_language_info(other)["name_local"],
        "other_language_url": other_language_url(request.get_full_path(), current, other),
        "cssp_contact_email": settings.CSSP_CONTACT_EMAIL,
        "portal_release_date": settings.PORTAL_RELEASE_DATE,
        "nav_state": _nav_state(request),
    }


def _nav_state(request) -> str:
    """What the header menu depends on besides the language and the portfolio-manager flag
    (base.html keeps the rendered menu per process under it): the page's place in the menu,
    whether the person is signed in, staff, vetted or a guest, and on their own profile."""
    match = request.resolver_match
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    own_profile = bool(
        signed_in
        and match
        and match.view_name == "members:profile"
        and match.kwargs.get("pk") == user.pk
    )
    return "|".join(
        (
            match.view_name if match else "",
            match.app_name if match else "",
            "in" if signed_in else "out",
            "staff" if signed_in and user.is_staff else "",
            "vetted" if signed_in and getattr(user, "is_vetted", False) else "",
            "guest" if signed_in and getattr(user, "is_guest", False) else "",
            "own" if own_profile else "",
        )
    )
