from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """What every page's header and footer need: the toggle to the same page in the other
    official language, and the program's contact address."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "fr" if current.startswith("en") else "en"
    return {
        "other_language": other,
        "other_language_name": translation.get_language_info(other)["name_local"],
        "other_language_url": translate_url(request.get_full_path(), other),
        "cssp_contact_email": settings.CSSP_CONTACT_EMAIL,
        "portal_release_date": settings.PORTAL_RELEASE_DATE,
    }
