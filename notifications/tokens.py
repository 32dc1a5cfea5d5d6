"""Signed unsubscribe links: they work without signing in, and only for the person and the kind
they were made for."""

from django.core import signing

SALT = "notifications.unsubscribe"
# The kind code of a link that turns off every notification a member may turn off.
ALL_KINDS = "*"


def unsubscribe_token(user, kind=None) -> str:
    code = kind.code if kind is not None else ALL_KINDS
    return signing.dumps({"u": user.pk, "k": code}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("k", ""))
