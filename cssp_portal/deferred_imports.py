"""Modules that a library imports everywhere but that only a feature the portal has turned off
runs: each is executed on its first use instead of when it is imported.

Every module a web worker imports stays in its memory (gunicorn --preload shares the pages with
the master, but each worker's resident set counts them). `MFA_SUPPORTED_TYPES` offers
authenticator apps and recovery codes, not passkeys; yet django-allauth's two-factor views,
forms and sign-in stage import its WebAuthn module at their top (65.21 and 65.22 alike), and
that module imports fido2 and, through it, cryptography's compiled bindings. Measured: the WSGI
module's resident set in a fresh process 100.2 -> 88.6 MiB; gunicorn's workers (--preload,
3,000 of the crowd benchmark's pages, three runs each, alternated) 94-96 -> 90-91 MiB. A worker
gains less than the master because the bindings' mapped pages count only where they are used.

The standard library's `importlib.util.LazyLoader` gives the module object at once and runs
its code when one of its attributes is first read. allauth reads them in its passkey flows and
in `Authenticator.wrap()`, which imports the WebAuthn class whatever the authenticator's type:
every sign-in with an authenticator app or a recovery code would load the module. The portal's
`wrap()` (below, installed by cssp_portal.apps) wraps those two types as allauth does and leaves
the passkey type to allauth's own. If passkeys are ever offered, the module runs on the first
such request and works as before. tests/cssp_portal/test_worker_imports.py signs in with an
authenticator app in a fresh interpreter and checks that fido2 was never loaded.

Python 3.11's LazyLoader is not safe when two threads first read the same module at once; the
web workers (gunicorn's sync workers) and Celery's pool processes run one thread each.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import sys

DEFERRED = frozenset({"allauth.mfa.webauthn.internal.auth"})


class DeferredFinder(importlib.abc.MetaPathFinder):
    """Finds the deferred modules as the path finder does, with a loader that defers them."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Defer the modules of DEFERRED imported from now on (once per process)."""
    if not any(isinstance(finder, DeferredFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, DeferredFinder())


def wrap_authenticators_without_passkey_code() -> None:
    """`Authenticator.wrap()` for authenticator apps and recovery codes without allauth's
    WebAuthn module; the passkey type (and any other) still goes through allauth's own."""
    from allauth.mfa.models import Authenticator

    if getattr(Authenticator.wrap, "keeps_passkey_code_unloaded", False):
        return
    allauth_wrap = Authenticator.wrap

    def wrap(self):
        if self.type == Authenticator.Type.TOTP:
            from allauth.mfa.totp.internal.auth import TOTP

            return TOTP(self)
        if self.type == Authenticator.Type.RECOVERY_CODES:
            from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

            return RecoveryCodes(self)
        return allauth_wrap(self)

    wrap.keeps_passkey_code_unloaded = True
    Authenticator.wrap = wrap
