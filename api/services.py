"""Creating and revoking personal API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policies
from .models import ApiToken, new_token_key, token_digest

MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def api_token_create(*, by, name: str) -> tuple[ApiToken, str]:
    """A new token for `by`, named `name`. Returns the token and its key: the key is shown to
    the member once and never stored (only its digest). Raises PermissionDenied when `by` is not
    signed in, ValidationError past MAX_ACTIVE_TOKENS active tokens."""
    if not policies.can_create_token(by):
        raise PermissionDenied
    # Serialises one member's concurrent creations so the limit holds.
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    if policies.tokens_of(by).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)s active tokens: revoke one before creating another.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    key = new_token_key()
    token = ApiToken(user=by, name=name.strip(), prefix=key[:10], digest=token_digest(key))
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, by, token: ApiToken) -> ApiToken:
    """Revoke one of `by`'s own tokens (PermissionDenied otherwise); revoking twice is a no-op."""
    if not policies.can_revoke_token(by, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
