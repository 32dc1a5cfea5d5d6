"""/api/v1/: outside the language prefixes (the language is ?lang= or Accept-Language)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "api"


def _on_first_request(name: str, **initkwargs):
    """The view class `name` of api/schema_views.py, imported when its URL is first asked for
    (see that module for why), as DRF's as_view() would give it (CSRF-exempt: DRF's own
    authentication enforces CSRF for session users)."""
    view = None

    @csrf_exempt
    def schema_view(request, *args, **kwargs):
        nonlocal view
        if view is None:
            from . import schema_views

            view = getattr(schema_views, name).as_view(**initkwargs)
        return view(request, *args, **kwargs)

    return schema_view


urlpatterns = [
    path("schema/", _on_first_request("SchemaView"), name="schema"),
    path("docs/", _on_first_request("DocsView", url_name="api:schema"), name="docs"),
    *views.router.urls,
]
