"""What the API shows of each object, in the active language (names and descriptions come from
the language's own fields, as on the pages: no silent fallback to English).

Related communities are listed only when the reader may see them: the view prefetches them
through communities_visible_to (no query per row), and single relations are checked with the
communities' own policy, which reads the standing without a query."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.policies import can_view_community
from proposals.models import ProjectOrganization
from proposals.policies import can_view_call


def _page_url(serializer, obj) -> str:
    request = serializer.context.get("request")
    path = obj.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path


def _visible_slug(serializer, community) -> str | None:
    if community is None or not can_view_community(serializer.context["standing"], community):
        return None
    return community.slug


class OrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    sector = serializers.CharField(read_only=True)
    jurisdiction = serializers.CharField(read_only=True)
    website = serializers.URLField(read_only=True)
    parent = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_parent(self, obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None


class CommunitySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    visibility = serializers.CharField(read_only=True)
    join_policy = serializers.CharField(read_only=True)
    working_languages = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    parent = serializers.SerializerMethodField()
    lead_organizations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_parent(self, obj) -> str | None:
        return _visible_slug(self, obj.parent) if obj.parent_id else None

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_lead_organizations(self, obj) -> list[str]:
        return [link.organization.slug for link in getattr(obj, "lead_links", ())]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return _page_url(self, obj)


class EventSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    event_type = serializers.CharField(read_only=True)
    format = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    time_zone = serializers.CharField(read_only=True)
    venue = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    province = serializers.CharField(read_only=True)
    visibility = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    community = serializers.SerializerMethodField()
    co_hosts = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_community(self, obj) -> str | None:
        return _visible_slug(self, obj.community)

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_co_hosts(self, obj) -> list[str]:
        # Prefetched through communities_visible_to: only the ones the reader may see.
        return [community.slug for community in obj.visible_co_hosts]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return _page_url(self, obj)


class CallSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    eligibility = serializers.CharField(read_only=True)
    opens_at = serializers.DateTimeField(read_only=True)
    closes_at = serializers.DateTimeField(read_only=True)
    is_published = serializers.BooleanField(read_only=True)
    is_open = serializers.SerializerMethodField()
    communities = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_is_open(self, obj) -> bool:
        return obj.is_open()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_communities(self, obj) -> list[str]:
        return [community.slug for community in obj.visible_communities]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return _page_url(self, obj)


class ProjectSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    summary = serializers.CharField(read_only=True)
    outcomes = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    call = serializers.SerializerMethodField()
    communities = serializers.SerializerMethodField()
    lead_organizations = serializers.SerializerMethodField()
    partner_organizations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_call(self, obj) -> str | None:
        call = obj.call
        if call is None or not can_view_call(self.context["standing"], call):
            return None
        return call.slug

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_communities(self, obj) -> list[str]:
        return [community.slug for community in obj.visible_communities]

    def _organizations(self, obj, role) -> list[str]:
        return [
            link.organization.slug for link in obj.organization_links.all() if link.role == role
        ]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_lead_organizations(self, obj) -> list[str]:
        return self._organizations(obj, ProjectOrganization.Role.LEAD)

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_partner_organizations(self, obj) -> list[str]:
        return self._organizations(obj, ProjectOrganization.Role.PARTNER)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return _page_url(self, obj)
