"""Atom feeds of public content, in the page's language (/en/feeds/..., /fr/feeds/...).

A feed reader has no session and a feed URL carries no token, so a feed holds only what anyone
may see, whoever asks: it is built with an anonymous visitor's standing through the feature
apps' policies (communities_visible_to, events_visible_to, announcements_visible_to). A
members-only community's feeds answer 404, as its page does to outsiders."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from communities.access import standing_of
from communities.policies import community_for_viewing
from events.policies import events_visible_to
from knowledge.policies import announcements_visible_to

FEED_LENGTH = 30


def _public():
    return standing_of(AnonymousUser())


class _AtomFeed(Feed):
    # The language of the feed is the page's (Feed uses get_language()), its links too.
    feed_type = Atom1Feed

    def item_updateddate(self, item):
        return item.updated_at


class _Announcements(_AtomFeed):
    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The announcement's text as the portal shows it: Markdown rendered and sanitized.
        return item.body_html

    def item_pubdate(self, item):
        return item.published_at


class NewsFeed(_Announcements):
    """The portal's news: the latest announcements of the public communities."""

    def title(self):
        return _("CSSP Communities of Practice: news")

    def subtitle(self):
        return _("Announcements of the public communities of practice.")

    def link(self):
        return reverse("home")

    def items(self):
        return announcements_visible_to(_public()).order_by("-published_at", "-pk")[:FEED_LENGTH]


class _CommunityFeed(_AtomFeed):
    def get_object(self, request, slug):
        return community_for_viewing(_public(), slug=slug)

    def link(self, community):
        return community.get_absolute_url()


class CommunityAnnouncementsFeed(_CommunityFeed, _Announcements):
    def title(self, community):
        return _("%(community)s: announcements") % {"community": community.name}

    def subtitle(self, community):
        return community.summary

    def items(self, community):
        announcements = announcements_visible_to(_public()).filter(communities=community)
        return announcements.order_by("-published_at", "-pk")[:FEED_LENGTH]


class CommunityEventsFeed(_CommunityFeed):
    def title(self, community):
        return _("%(community)s: events") % {"community": community.name}

    def subtitle(self, community):
        return community.summary

    def items(self, community):
        events = events_visible_to(_public()).of_community(community)
        return events.select_related("community").order_by("-start", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at or item.created_at
