"""One application's URLs mounted twice (two instance namespaces), for tests/cssp_portal/
test_kept_urls.py: which address {% url 'demo:page' %} gives follows the current application."""

from django.http import HttpResponse
from django.urls import include, path

demo = ([path("page/", lambda request: HttpResponse(), name="page")], "demo")

urlpatterns = [
    path("first/", include(demo, namespace="first")),
    path("second/", include(demo, namespace="second")),
]
