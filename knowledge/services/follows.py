"""Follows: a member follows a discussion or a library folder to hear of what is added."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from knowledge import policies
from knowledge.models import Follow
from members.models import User


def _follow(user: User, **target) -> None:
    Follow.objects.get_or_create(user=user, **target)


@transaction.atomic
def follow_set(*, user: User, following: bool, thread=None, folder=None) -> bool:
    """Follow (or stop following) a thread or a folder the user may see."""
    if thread is not None and not policies.can_follow_thread(user, thread):
        raise PermissionDenied
    if folder is not None and not policies.can_follow_folder(user, folder):
        raise PermissionDenied
    if following:
        _follow(user, thread=thread, folder=folder)
    else:
        Follow.objects.filter(user=user, thread=thread, folder=folder).delete()
    return following
