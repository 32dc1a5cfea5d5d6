"""The OpenAPI schema and its Swagger UI (/api/v1/schema/, /api/v1/docs/).

Imported on their first request only (api/urls.py): drf-spectacular's generator brings in
rest_framework.test, django.test and unittest, which no other page of the portal needs and each
gunicorn worker would otherwise hold from its start."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import PortalApiMixin


class SchemaView(PortalApiMixin, SpectacularAPIView):
    def get_serializer_context(self):
        return {}


class DocsView(PortalApiMixin, SpectacularSwaggerSplitView):
    """Swagger UI, its files from drf-spectacular-sidecar in our static files (no CDN), its
    start script a file of its own (the portal's CSP allows no inline script)."""

    template_name = "api/swagger_ui.html"

    def get_serializer_context(self):
        return {}
