from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.urls import translate_url
from django.utils import translation

from cssp_portal.languages import Language

from .models import Vetting


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes out through Celery, after commit, in the recipient's language;
    people who register themselves start as guests."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.first_name = data.get("first_name", "")
        user.last_name = data.get("last_name", "")
        language = data.get("preferred_language") or (translation.get_language() or "en")[:2]
        user.preferred_language = language if language in Language.values else Language.ENGLISH
        # Self-registration makes a guest: a confirmed address on a trusted domain, an
        # administrator or a lead's invitation vets them later (members.services).
        user.vetting = Vetting.GUEST
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """Record the email in the notification outbox (delivered by Celery after commit,
        rendered there in the recipient's language) instead of sending it in the request."""
        from notifications.services import notify_account_email

        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = (
            getattr(user, "preferred_language", "") or (translation.get_language() or "en")[:2]
        )
        # Links lead to the pages in the recipient's language (resolved while the request's
        # language is still active: i18n_patterns only resolve the active prefix).
        plain = {
            key: _in_language(value, language)
            if key.endswith("_url") and isinstance(value, str)
            else value
            for key, value in context.items()
            if key not in ("user", "request", "current_site", "email")
        }
        notify_account_email(
            template_prefix=template_prefix,
            email=email,
            context=plain,
            user=user,
            language=language,
        )


def _in_language(url: str, language: str) -> str:
    parts = urlsplit(url)
    path = translate_url(parts.path, language)
    return urlunsplit(parts._replace(path=path))
