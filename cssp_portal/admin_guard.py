"""Absurd filter values in the admin's lists get the admin's own answer, not a server error.

The admin's date and choice filters pass their query values to the database as they come: a
year of 30 digits overflows the column, a date at year 1 or 9999 overflows the time-zone
conversion, a NUL character is refused by PostgreSQL. Django answers its own "incorrect lookup"
errors by sending the list back without filters (`?e=1`); here the same answer covers these
(tests/security/test_get_fuzz.py). A second failure on that plain list is a real error and is
raised.
"""

import functools

from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpResponseRedirect

# RuntimeWarning: a naive date-time given to a date-time filter, which the test suite (and any
# deployment that turns warnings into errors) raises.
_ABSURD_VALUES = (ValueError, OverflowError, DataError, ValidationError, RuntimeWarning)


def guard_changelists(site) -> None:
    """Wrap the list view of every model registered on `site` (call before site.urls)."""
    for model_admin in site._registry.values():
        model_admin.changelist_view = _guarded(model_admin.changelist_view)


def _guarded(view):
    @functools.wraps(view)
    def changelist_view(request, extra_context=None):
        try:
            response = view(request, extra_context)
            # The list is read while the template renders: render it here, inside the guard.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
        except _ABSURD_VALUES:
            if ERROR_FLAG in request.GET:
                raise
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    return changelist_view
