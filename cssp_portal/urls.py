from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from communities import urls as community_urls
from knowledge import urls as knowledge_urls
from members import urls as member_urls
from portal import urls as portal_urls

from . import health
from .admin_guard import guard_changelists

# The admin login goes through allauth so that rate limits and two-factor authentication apply.
admin.site.login = secure_admin_login(admin.site.login)
# Absurd filter values in the admin's lists answer its own "incorrect lookup" redirect.
guard_changelists(admin.site)
admin.site.site_header = admin.site.site_title = _("CSSP Communities of Practice")

urlpatterns = [
    path("healthz", health.HealthView.as_view(), name="healthz"),
    path("healthz/ready", health.ReadyView.as_view(), name="healthz_ready"),
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include(portal_urls.urlpatterns)),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Before communities/ and events/ (whose "<slug>/" patterns would take "past/").
    path("", include("events.past_urls")),
    # The top layer's pages join the namespace of the app they belong to (portal/urls.py).
    path(
        "communities/",
        include((community_urls.urlpatterns + portal_urls.community_patterns, "communities")),
    ),
    path("organizations/", include("portal.organization_urls")),
    path("members/", include((member_urls.urlpatterns + portal_urls.member_patterns, "members"))),
    path("events/", include("events.urls")),
    path("program/", include("proposals.urls")),
    path(
        "knowledge/",
        include((knowledge_urls.urlpatterns + portal_urls.knowledge_patterns, "knowledge")),
    ),
    path("consultations/", include("consultations.urls")),
    path("resources/", include("knowledge.resource_centre_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("api.site_urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
