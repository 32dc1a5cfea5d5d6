"""Who may see and revoke personal API tokens. What a token READS is decided by the feature
apps' own policies (communities_visible_to, events_visible_to, ...), asked with the standing of
the token's member: the API has no access rule of its own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from communities.access import standing_of

from .models import ApiToken


def tokens_of(who) -> QuerySet[ApiToken]:
    """A member's own active tokens (nobody else's, administrators included)."""
    standing = standing_of(who)
    if not standing.signed_in:
        return ApiToken.objects.none()
    return ApiToken.objects.active().filter(user_id=standing.user_id)


def can_create_token(who) -> bool:
    return standing_of(who).signed_in


def can_revoke_token(who, token: ApiToken) -> bool:
    return standing_of(who).user_id == token.user_id


def token_for_revoking(who, *, pk) -> ApiToken:
    """One's own active token, or 404 (another member's tokens are not even confirmed)."""
    from cssp_portal.params import id_or_none

    token = tokens_of(who).filter(pk=id_or_none(pk) or 0).first()
    if token is None or not can_revoke_token(who, token):
        raise Http404
    return token
