"""What the portal search looks in: one Source per kind of result, each reading its own
permission-filtered selector (so the search never shows what the pages would not), and the Hit
it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.selectors import communities_visible_to
from events.models import Event
from events.selectors import events_visible_to
from knowledge.selectors import announcements_visible_to, resources_visible_to, threads_visible_to
from proposals.models import Project

TYPES = {
    "community": _("Communities"),
    "event": _("Events"),
    "project": _("Funded projects"),
    "announcement": _("Announcements"),
    "thread": _("Discussions"),
    "resource": _("Resources"),
}
TYPE_LABELS = {
    "community": _("Community"),
    "event": _("Event"),
    "project": _("Funded project"),
    "announcement": _("Announcement"),
    "thread": _("Discussion"),
    "resource": _("Resource"),
}
PER_TYPE = 50
START, STOP = "\x02", "\x03"
CONFIGS = {"en": "portal_en", "fr": "portal_fr"}


@dataclass
class Hit:
    type: str
    title: SafeString
    excerpt: SafeString
    url: str | None
    rank: float
    obj: object = None
    communities: list = field(default_factory=list)
    # Set when the excerpt is in the other official language (the match was only there).
    excerpt_language: str = ""

    @property
    def type_label(self):
        return TYPE_LABELS[self.type]


def _language() -> str:
    return (get_language() or "en")[:2]


def _marked(text: str | None) -> SafeString:
    """Escape what the database returned, then turn its match markers into <mark>."""
    text = escape(text or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


# --- Sources -----------------------------------------------------------------------------------


@dataclass
class Source:
    type: str
    # (field, weight, translated): translated fields are indexed per language as field_en and
    # field_fr; the others (member text) with both configurations.
    fields: list[tuple[str, str, bool]]
    title: str
    excerpt: str

    def queryset(self, user):
        raise NotImplementedError

    def in_community(self, community) -> Q:
        raise NotImplementedError

    def url(self, obj) -> str | None:
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            # The page of this kind is not installed yet: the result is listed without a link.
            return None

    def communities(self, obj) -> list:
        return []


class CommunitySource(Source):
    def queryset(self, user):
        return communities_visible_to(user).active()

    def in_community(self, community):
        return Q(pk=community.pk) | Q(parent=community)


class EventSource(Source):
    def queryset(self, user):
        return events_visible_to(user).select_related("community")

    def in_community(self, community):
        co_hosted = Event.co_hosts.through.objects.filter(community=community).values("event_id")
        return Q(community=community) | Q(pk__in=co_hosted)

    def communities(self, obj):
        return [obj.community]


class ProjectSource(Source):
    def queryset(self, user):
        # The register of funded projects is public.
        return Project.objects.prefetch_related("communities")

    def in_community(self, community):
        return Q(communities=community)

    def communities(self, obj):
        return list(obj.communities.all())


class AnnouncementSource(Source):
    def queryset(self, user):
        return announcements_visible_to(user)

    def in_community(self, community):
        return Q(communities=community)

    def communities(self, obj):
        return list(obj.communities.all())


class ThreadSource(Source):
    def queryset(self, user):
        # The visible messages of each thread, as one text (PostgreSQL only).
        return threads_visible_to(user).select_related("community")

    def in_community(self, community):
        return Q(community=community) | Q(shared_with=community)

    def communities(self, obj):
        return [obj.community]


class ResourceSource(Source):
    def queryset(self, user):
        return resources_visible_to(user).select_related("folder__community")

    def in_community(self, community):
        return Q(folder__community=community)

    def communities(self, obj):
        return [obj.folder.community]


SOURCES = {
    "community": CommunitySource(
        "community", [("name", "A", True), ("summary", "B", True)], "name", "summary"
    ),
    "event": EventSource(
        "event",
        [("title", "A", True), ("summary", "B", True), ("description", "C", True)],
        "title",
        "summary",
    ),
    "project": ProjectSource(
        "project",
        [("title", "A", True), ("summary", "B", True), ("outcomes", "C", True)],
        "title",
        "summary",
    ),
    "announcement": AnnouncementSource(
        "announcement", [("title", "A", True), ("body", "B", True)], "title", "body"
    ),
    "thread": ThreadSource(
        "thread", [("title", "A", False), ("messages", "B", False)], "title", "messages"
    ),
    "resource": ResourceSource(
        "resource", [("title", "A", True), ("description", "B", True)], "title", "description"
    ),
}


# --- PostgreSQL --------------------------------------------------------------------------------
