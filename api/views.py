"""The read-only API, /api/v1/: public communities, organizations, events, calls for proposals
and funded projects, as the reader's standing lets them see them (anonymous visitors: what is
public; a member's token or session: what the member sees on the pages).

Every collection comes from api/selectors.py, which asks the feature apps' policies; a detail
answers 404 for what the reader may not see, exactly as the pages do."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.routers import APIRootView, DefaultRouter

from communities.access import standing_of

from . import selectors, serializers

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class PortalApiMixin:
    """The language of the answer (?lang=, else Accept-Language as the site reads it) and the
    reader's standing, read once (the user DRF authenticated: a token's member or the session's).
    Answers for a signed-in reader are private to them."""

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language is not None and language not in LANGUAGES:
            raise exceptions.ValidationError({"lang": _("Choose “en” (English) or “fr” (French).")})
        super().initial(request, *args, **kwargs)
        if language:
            translation.activate(language)
            request._request.LANGUAGE_CODE = language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
        user = getattr(request, "_user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def standing(self):
        return standing_of(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "standing": self.standing}


class _ReadOnly(
    PortalApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    rows = None  # a function of api/selectors.py

    @classmethod
    def get_extra_actions(cls):
        """None (no @action here). DRF finds them with inspect.getmembers, which reads every
        attribute, the lazy `schema` too: that import of drf-spectacular's generator (and with
        it django.test and unittest) is left to the schema's own URL (api/schema_views.py)."""
        return []

    def get_queryset(self):
        return type(self).rows(self.standing)


class CommunityViewSet(_ReadOnly):
    """Communities of practice: public ones, and the members-only ones the reader belongs to."""

    serializer_class = serializers.CommunitySerializer
    rows = selectors.api_communities


class OrganizationViewSet(_ReadOnly):
    """Organizations taking part in the program (departments, agencies, partners)."""

    serializer_class = serializers.OrganizationSerializer
    rows = selectors.api_organizations


class EventViewSet(_ReadOnly):
    """Published events the reader may see (public events of public communities to anyone)."""

    serializer_class = serializers.EventSerializer
    rows = selectors.api_events


class CallViewSet(_ReadOnly):
    """Published calls for proposals (drafts only to the program staff)."""

    serializer_class = serializers.CallSerializer
    rows = selectors.api_calls


class ProjectViewSet(_ReadOnly):
    """The public register of funded projects."""

    serializer_class = serializers.ProjectSerializer
    rows = selectors.api_projects


class PortalApiRoot(PortalApiMixin, APIRootView):
    """CSSP Communities of Practice: read-only open data. Add ?lang=fr for French."""

    def get_serializer_context(self):  # pragma: no cover - the root has no serializer
        return {}


class PortalRouter(DefaultRouter):
    APIRootView = PortalApiRoot
    # /api/v1/communities.json and the like: one address per resource is enough.
    include_format_suffixes = False


router = PortalRouter()
router.register("communities", CommunityViewSet, basename="community")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("events", EventViewSet, basename="event")
router.register("calls", CallViewSet, basename="call")
router.register("projects", ProjectViewSet, basename="project")
