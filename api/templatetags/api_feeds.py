"""`{% feed_links %}` in base.html's head: the Atom feeds of the page (the portal's news, and
the feeds of the page's community when anyone may read them)."""

import functools

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communities.access import standing_of
from communities.models import Community
from communities.policies import can_view_community
from cssp_portal.templatetags.kept_urls import kept_reverse

register = template.Library()

_LINK = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'


@functools.lru_cache(maxsize=32)
def _news_link(language: str, href: str) -> str:
    """The portal's news feed, in `language` (the active one: the title is translated here).
    Every page has it: kept per language and address, not built again on each request."""
    return format_html(_LINK, _("News of the CSSP communities of practice"), href)


@register.simple_tag(takes_context=True)
def feed_links(context):
    news = _news_link(get_language(), kept_reverse("opendata:feed_news", (), {}, None))
    community = context.get("community")
    # Feeds carry only what anyone may see: a members-only community has none to offer.
    if not isinstance(community, Community) or not can_view_community(
        standing_of(AnonymousUser()), community
    ):
        return news
    name = community.name
    return news + format_html_join(
        "",
        "\n  " + _LINK,
        [
            (
                _("%(community)s: announcements") % {"community": name},
                reverse("opendata:feed_announcements", kwargs={"slug": community.slug}),
            ),
            (
                _("%(community)s: events") % {"community": name},
                reverse("opendata:feed_events", kwargs={"slug": community.slug}),
            ),
        ],
    )
