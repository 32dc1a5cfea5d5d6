"""Who is asking: the person behind what a view, a service or a template has in hand.

The one place that says what "signed in" means. Every app's policies ask it through
`communities.access.standing_of` (a person's standing in the communities); the notifications
app, which sits below the communities, asks it here (a notification concerns its recipient
only, whatever their communities).
"""

from django.http import HttpRequest


def user_of(who):
    """The user behind a user, a request (Django's, or REST framework's wrapping one) or a
    standing (communities.access.Standing)."""
    if isinstance(who, HttpRequest) or isinstance(getattr(who, "_request", None), HttpRequest):
        return who.user
    if hasattr(who, "is_authenticated"):  # a user, signed in or anonymous
        return who
    return who.user


def signed_in(user) -> bool:
    """An authenticated person whose account is active."""
    return bool(user.is_authenticated and user.is_active)
