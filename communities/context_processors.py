"""The person's standing in every template (communities/access.py), for the header's
role-dependent links."""

from django.utils.functional import SimpleLazyObject

from .access import standing_of


def standing(request):
    """Lazy: a page that never asks costs no query."""
    return {"standing": SimpleLazyObject(lambda: standing_of(request))}
