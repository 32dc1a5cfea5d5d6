from django.shortcuts import render

from communities.selectors import CardListing, community_directory
from events.selectors import upcoming_events_for_home
from knowledge.selectors import home_announcements


def home(request):
    """The portal's front page: what the program is, news and upcoming events of the member's
    communities, and the communities of practice."""
    return render(
        request,
        "home.html",
        {
            "communities": CardListing(community_directory(request.user)),
            "announcements": home_announcements(request.user),
            "home_events": upcoming_events_for_home(request.user),
        },
    )
