from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils import translation

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
        language = self._recipient_language(email, context)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
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
