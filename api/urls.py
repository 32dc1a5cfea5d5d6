"""/api/v1/: outside the language prefixes (the language is ?lang= or Accept-Language)."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    *views.router.urls,
]
