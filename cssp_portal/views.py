from django.shortcuts import render

from communities.selectors import community_directory


def home(request):
    """The portal's front page: what the program is, and its communities of practice."""
    return render(request, "home.html", {"communities": community_directory(request.user)})
