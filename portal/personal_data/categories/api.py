"""A person's data in the api app: their API tokens (names and dates, never the key)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from members.models import User

from . import Category


def _api_tokens(user: User, seen: dict) -> list[dict]:
    # Names and dates: the key is never stored, and not even its first characters leave here.
    return [
        {"name": t.name, "created": t.created_at, "last_used": t.last_used_at}
        | {"revoked": t.revoked_at}
        for t in ApiToken.objects.filter(user=user).only(
            "name", "created_at", "last_used_at", "revoked_at"
        )
    ]


CATEGORIES: tuple[Category, ...] = (Category("api_tokens", _("API tokens"), _api_tokens),)
