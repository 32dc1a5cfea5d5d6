from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Curated records keep a visible change history in the admin.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.ExpertiseArea)
        auditlog.register(models.TrustedDomain)

        # A confirmed address may vet a guest (members.services.member_email_confirmed): the
        # signal is allauth's only hook shared by the confirmation link and the admin's
        # "mark as verified"; the consequence itself lives in the service.
        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_email_confirmed, dispatch_uid="members.email_confirmed")


def _email_confirmed(sender, request=None, email_address=None, **kwargs):
    from .services import member_email_confirmed

    if email_address is not None and email_address.user_id:
        member_email_confirmed(member=email_address.user, email=email_address.email)
