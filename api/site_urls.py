"""The API's pages inside the language prefixes: open data, personal tokens and Atom feeds."""

from django.urls import path

from . import feeds, pages

app_name = "opendata"

urlpatterns = [
    path("open-data/", pages.open_data, name="open_data"),
    path("open-data/<slug:dataset>.csv", pages.open_data_csv, name="csv"),
    path("api-tokens/", pages.tokens, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("feeds/news/", feeds.NewsFeed(), name="feed_news"),
    path(
        "feeds/communities/<slug:slug>/announcements/",
        feeds.CommunityAnnouncementsFeed(),
        name="feed_announcements",
    ),
    path(
        "feeds/communities/<slug:slug>/events/",
        feeds.CommunityEventsFeed(),
        name="feed_events",
    ),
]
