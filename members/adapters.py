from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext

from .models import Language
from .tasks import send_account_email_task


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes out through Celery, after commit, in the recipient's language."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.first_name = data.get("first_name", "")
        user.last_name = data.get("last_name", "")
        language = data.get("preferred_language") or (translation.get_language() or "en")[:2]
        user.preferred_language = language if language in Language.values else Language.ENGLISH
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        language = self._recipient_language(email, context)
        # Links lead to the pages in the recipient's language (resolved while the request's
        # language is still active: i18n_patterns only resolve the active prefix).
        ctx = {
            key: _in_language(value, language)
            if key.endswith("_url") and isinstance(value, str)
            else value
            for key, value in context.items()
        }
        with translation.override(language):
            ctx = {
                "request": request,
                "email": email,
                # allauth's templates greet with the site's name: the portal's, in the
                # recipient's language (not the host name RequestSite would give).
                "current_site": SimpleNamespace(
                    name=gettext("CSSP Communities of Practice"),
                    domain=request.get_host() if request else "",
                ),
                **ctx,
            }
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        # The message is rendered now (its links and codes exist only in this request); only
        # delivery is deferred, and only once the transaction that created them has committed.
        send_account_email_task.delay_on_commit(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html=html,
            from_email=message.from_email,
        )

    @staticmethod
    def _recipient_language(email, context) -> str:
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None and getattr(user, "preferred_language", None):
            return user.preferred_language
        return (translation.get_language() or "en")[:2]


def _in_language(url: str, language: str) -> str:
    parts = urlsplit(url)
    path = translate_url(parts.path, language)
    return urlunsplit(parts._replace(path=path))
