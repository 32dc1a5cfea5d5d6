"""Signed unsubscribe links: they work without signing in, and only for the person and the kind
they were made for."""

from django.core import signing

from .kinds import ALL_OPTIONAL

SALT = "notifications.unsubscribe"


def unsubscribe_token(user, kind=None) -> str:
    """A link for one kind, or (kind=None) for every kind the member may turn off."""
    code = kind.code if kind is not None else ALL_OPTIONAL
    return signing.dumps({"u": user.pk, "k": code}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("k", ""))
