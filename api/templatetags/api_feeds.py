"""`{% feed_links %}` in base.html's head: the Atom feeds of the page (the portal's news, and
the feeds of the page's community when anyone may read them)."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from communities.access import standing_of
from communities.models import Community
from communities.policies import can_view_community

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    links = [(_("News of the CSSP communities of practice"), reverse("opendata:feed_news"))]
    community = context.get("community")
    # Feeds carry only what anyone may see: a members-only community has none to offer.
    if isinstance(community, Community) and can_view_community(
        standing_of(AnonymousUser()), community
    ):
        name = community.name
        links += [
            (
                _("%(community)s: announcements") % {"community": name},
                reverse("opendata:feed_announcements", kwargs={"slug": community.slug}),
            ),
            (
                _("%(community)s: events") % {"community": name},
                reverse("opendata:feed_events", kwargs={"slug": community.slug}),
            ),
        ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        links,
    )
