"""Emails rendered at delivery time, in the recipient's language, in the portal's layout."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import kinds, tokens
from .models import Digest, Notification

# Stored context values that were datetimes (JSON keeps them as ISO strings).
DATETIMES_KEY = "__datetimes__"


# Template line breaks and indentation become single spaces; the no-break spaces of French
# typography (before « : », inside « ») are kept, which str.split() would not do.
_LAYOUT_SPACE = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    return _LAYOUT_SPACE.sub(" ", text).strip()


def to_json_context(context: dict) -> dict:
    """The plain, JSON-serializable part of a context, with datetimes marked for restoring."""
    plain, datetimes = {}, []
    for key, value in context.items():
        if isinstance(value, datetime.datetime):
            plain[key] = value.isoformat()
            datetimes.append(key)
        elif isinstance(value, str | int | float | bool) or value is None:
            plain[key] = value
    if datetimes:
        plain[DATETIMES_KEY] = datetimes
    return plain


def from_json_context(context: dict) -> dict:
    restored = {k: v for k, v in context.items() if k != DATETIMES_KEY}
    for key in context.get(DATETIMES_KEY, []):
        if isinstance(restored.get(key), str):
            restored[key] = datetime.datetime.fromisoformat(restored[key])
    return restored


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_namespace() -> SimpleNamespace:
    # allauth's templates greet with the site's name: the portal's, in the active language.
    return SimpleNamespace(name=gettext("CSSP Communities of Practice"), domain=message_domain())


def recipient_language(notification: Notification) -> str:
    if notification.recipient_id and notification.recipient.preferred_language:
        return notification.recipient.preferred_language
    return notification.language


def item_path(notification: Notification) -> str:
    """The page a notification is about (its object, else its community, else home)."""
    for target in (notification.about, notification.community):
        if target is not None and hasattr(target, "get_absolute_url"):
            return target.get_absolute_url()
    return reverse("home")


def _link(notification: Notification) -> str:
    return absolute(item_path(notification))


def _headers(*, message_id: str, language: str, unsubscribe_url: str | None) -> dict:
    headers = {
        "Message-ID": f"<{message_id}@{message_domain()}>",
        "X-CSSP-Notification": message_id,
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
    }
    if unsubscribe_url:
        # RFC 8058: mail clients offer their own "unsubscribe" button and POST to this address.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def unsubscribe_url(recipient, kind: kinds.Kind | None) -> str:
    """The signed link that stops `kind` (every optional kind when None) for `recipient`."""
    token = tokens.unsubscribe_token(recipient, kind)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def _common_context(recipient, kind: kinds.Kind | None, community=None) -> dict:
    unsubscribe = None
    if recipient is not None and not (kind is not None and kind.locked):
        unsubscribe = unsubscribe_url(recipient, kind)
    return {
        "recipient": recipient,
        "kind": kind,
        "community": community,
        "site_name": gettext("CSSP Communities of Practice"),
        "site_url": absolute(reverse("home")),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe,
    }


def render_notification(notification: Notification) -> EmailMultiAlternatives:
    kind = kinds.get_kind(notification.kind)
    language = recipient_language(notification)
    with translation.override(language):
        if kind.code == kinds.ACCOUNT:
            message = _render_account(notification)
            unsubscribe_url = None
        else:
            context = {
                **from_json_context(notification.context),
                **_common_context(notification.recipient, kind, notification.community),
                "notification": notification,
                "object": notification.about,
                "link": _link(notification),
            }
            subject = one_line(render_to_string(f"{kind.template}_subject.txt", context))
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string(f"{kind.template}_message.txt", context),
                to=[notification.email],
            )
            message.attach_alternative(
                render_to_string(f"{kind.template}_message.html", context), "text/html"
            )
            unsubscribe_url = context["unsubscribe_url"]
    message.extra_headers.update(
        _headers(
            message_id=str(notification.pk), language=language, unsubscribe_url=unsubscribe_url
        )
    )
    return message


def _render_account(notification: Notification) -> EmailMultiAlternatives:
    context = from_json_context(notification.context)
    template_prefix = context.pop("template_prefix")
    context.update(
        user=notification.recipient,
        email=notification.email,
        current_site=site_namespace(),
    )
    return get_adapter().render_mail(template_prefix, notification.email, context)


def render_item_summary(notification: Notification) -> str:
    """One line describing a notification inside a digest (in the active language)."""
    kind = kinds.get_kind(notification.kind)
    context = {
        **from_json_context(notification.context),
        "notification": notification,
        "object": notification.about,
        "community": notification.community,
    }
    return one_line(render_to_string(f"{kind.template}_summary.txt", context))


def render_digest(digest: Digest, items: list[Notification]) -> EmailMultiAlternatives:
    """The digest groups its items by community (items about no community come last)."""
    recipient = digest.recipient
    language = recipient.preferred_language
    with translation.override(language):
        groups: dict = {}
        for item in items:
            groups.setdefault(item.community, []).append(
                {"summary": render_item_summary(item), "link": _link(item)}
            )
        item_kinds = [kinds.get_kind(code) for code in sorted({item.kind for item in items})]
        ordered = sorted(groups.items(), key=lambda pair: (pair[0] is None, str(pair[0] or "")))
        context = {
            **_common_context(recipient, None),
            "digest": digest,
            "groups": ordered,
            "count": len(items),
            # One link per kind in the digest, to stop that kind alone.
            "kind_unsubscribe_links": [
                (kind, unsubscribe_url(recipient, kind)) for kind in item_kinds
            ],
        }
        subject = one_line(render_to_string("notifications/email/digest_subject.txt", context))
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("notifications/email/digest_message.txt", context),
            to=[recipient.email],
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest_message.html", context), "text/html"
        )
    message.extra_headers.update(
        _headers(
            message_id=f"digest-{digest.pk}",
            language=language,
            unsubscribe_url=context["unsubscribe_url"],
        )
    )
    return message
