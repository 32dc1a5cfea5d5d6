"""Past events and the outcomes libraries. Included before events.urls and communities.urls:
"events/past/" would otherwise read as the page of an event whose slug is "past"."""

from django.urls import path

from . import past_views

app_name = "past_events"

urlpatterns = [
    path("events/past/", past_views.past_event_list, name="list"),
    path(
        "communities/<slug:slug>/outcomes/",
        past_views.community_outcomes,
        name="community_outcomes",
    ),
]
