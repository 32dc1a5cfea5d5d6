from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cssp_portal"
    verbose_name = "CSSP portal"

    def ready(self):
        # Registers the ICU collations' names on SQLite connections (the embedded default),
        # and `field__any=[...]` (one array of values, cssp_portal/lookups.py).
        from . import collation, lookups  # noqa: F401

        # Sign-ins with an authenticator app no longer load allauth's WebAuthn module.
        from .deferred_imports import wrap_authenticators_without_passkey_code

        wrap_authenticators_without_passkey_code()
