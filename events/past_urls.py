"""Past events and the outcomes libraries. Included before events.urls and communities.urls:
"events/past/" would otherwise read as the page of an event whose slug is "past"."""

from django.urls import path

from .views.past import community_outcomes, past_event_list

app_name = "past_events"

urlpatterns = [
    path("events/past/", past_event_list, name="list"),
    path(
        "communities/<slug:slug>/outcomes/",
        community_outcomes,
        name="community_outcomes",
    ),
]
