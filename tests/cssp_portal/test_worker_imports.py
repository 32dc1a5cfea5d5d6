"""What a web worker loads to serve the pages: a library only a rare answer needs is imported
by that answer, not by every worker (each module's code stays in each worker's memory); what
every page needs is loaded once by gunicorn's master (--preload, cssp_portal/wsgi.py) and shared
by the workers it forks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PROJECT = Path(__file__).resolve().parents[2]

# What a worker does before its first request: Django's set-up and every view module (the URLs).
LOAD = """
import json, sys
import django
django.setup()
from django.urls import get_resolver, reverse
get_resolver().url_patterns
reverse('events:calendar')
print(json.dumps({name: name in sys.modules for name in sys.argv[1:]}))
"""


def _run(script: str, *args: str, **env: str) -> dict:
    """What `script`, run in a fresh interpreter with the tests' settings, printed last (JSON)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_worker_loads_no_icalendar_writer_until_a_calendar_file_is_asked_for():
    """The .ics download and the personal feed import it themselves (tests/events prove they
    answer)."""
    seen = _run(LOAD, "icalendar", "events.ics")

    assert seen == {"icalendar": False, "events.ics": False}


def test_a_worker_loads_no_openapi_generator_until_the_api_schema_is_asked_for():
    """drf-spectacular's generator imports rest_framework.test, and with it django.test and
    unittest (about 3 MiB in each worker). The schema and its documentation page import it
    themselves (api/urls.py; tests/api prove they answer)."""
    seen = _run(LOAD, "drf_spectacular.generators", "django.test", "unittest")

    assert seen == {"drf_spectacular.generators": False, "django.test": False, "unittest": False}


# What gunicorn's master does with --preload before it forks the workers.
PRELOAD = """
import gc, json, sys
import django
django.setup()
from django.db import connection
connection.ensure_connection()  # as a module that read a row when imported would
import cssp_portal.wsgi
from django.db import connections
print(json.dumps({
    'views_loaded': 'events.views.listing' in sys.modules and 'members.views' in sys.modules,
    'open_connections': [alias for alias in connections if connections[alias].connection],
    'frozen': gc.get_freeze_count(),
}))
"""


def test_the_wsgi_module_loads_every_view_then_leaves_no_connection_and_freezes_the_rest():
    """A database connection opened before the fork would be one socket shared by every
    worker; the loaded objects are frozen so that no garbage collection walks (and copies)
    them in each worker."""
    database = settings.DATABASES["default"]
    # The server's maintenance database: it exists whatever the test database is called.
    login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    reachable = f"postgres://{login}@{database['HOST']}:{database['PORT']}/postgres"
    seen = _run(PRELOAD, DATABASE_URL=reachable)

    assert seen["views_loaded"] is True
    assert seen["open_connections"] == []
    assert seen["frozen"] > 50_000


# Large blocks freed between blocks that live on (a big result read, then the request's other
# objects): how much of them goes back to the system, in MiB, in a fresh interpreter that first
# fixes glibc's thresholds (`fixed`) or not (`default`).
FREED = """
import json, sys
if sys.argv[1] == "fixed":
    from cssp_portal.memory import return_freed_memory
    assert return_freed_memory()

def resident_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

# a first large block freed raises glibc's dynamic threshold, as a first big result would
first = bytearray(8 * 1024 * 1024)
del first
blocks, living = [], []
for _ in range(64):
    blocks.append(bytearray(1024 * 1024))
    living.append(bytearray(1024))  # small blocks allocated after each, still in use
held = resident_mib()
del blocks
print(json.dumps({"returned": held - resident_mib()}))
"""


def test_large_blocks_a_process_frees_go_back_to_the_system_once_fixed():
    """cssp_portal.memory: 64 MiB read and freed stay resident under glibc's default (its
    threshold raised by the first large block freed), and go back to the system once the
    thresholds are fixed."""
    assert _run(FREED, "default")["returned"] < 16
    assert _run(FREED, "fixed")["returned"] > 56


# What gunicorn's master calls when it loads the WSGI module.
FIXES = """
import json
import cssp_portal.memory
calls = []
cssp_portal.memory.return_freed_memory = lambda: calls.append("fixed") or True
import cssp_portal.wsgi
print(json.dumps({"calls": calls}))
"""


def test_the_wsgi_module_fixes_the_thresholds_before_the_workers_are_forked():
    database = settings.DATABASES["default"]
    login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    reachable = f"postgres://{login}@{database['HOST']}:{database['PORT']}/postgres"

    assert _run(FIXES, DATABASE_URL=reachable) == {"calls": ["fixed"]}


# A worker's sign-ins with an authenticator app (password, then the app's code) and with a
# recovery code, then the two-factor page, against the tests' database: what it answered and
# which libraries it loaded.
TWO_FACTOR_SIGN_INS = """
import json, sys
import django
django.setup()
from django.urls import get_resolver, reverse
get_resolver().url_patterns
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.utils import timezone
import time_machine
email, password, secret, recovery_code = sys.argv[1:5]
client, answers = Client(), []
# time stands still, so that the app's code cannot expire between reading and sending it
time_machine.travel(timezone.now(), tick=False).start()
for code in ("app", recovery_code):
    if code == "app":
        counter = int(timezone.now().timestamp()) // app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(secret, counter))
    password_step = client.post(reverse("account_login"), {"login": email, "password": password})
    challenge = client.get(reverse("mfa_authenticate"))
    code_step = client.post(reverse("mfa_authenticate"), {"code": code})
    answers.append([password_step.get("Location"), challenge.status_code,
                    code_step.get("Location"), client.get(reverse("mfa_index")).status_code])
    client.post(reverse("account_logout"))
print(json.dumps({
    "answers": answers,
    "loaded": [name for name in ("fido2", "cryptography.hazmat.bindings._rust")
               if name in sys.modules],
}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_signs_people_in_with_their_second_factor_without_loading_webauthn():
    """Passkeys are off (MFA_SUPPORTED_TYPES); allauth's WebAuthn module, imported by its
    two-factor views, runs only when used (cssp_portal/deferred_imports.py), so fido2 and
    cryptography's compiled bindings stay out of every worker (about 4.5 MiB each)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.members.factories import PASSWORD, UserFactory

    member = UserFactory(verified=True)
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    recovery_code = RecoveryCodes.activate(member).get_unused_codes()[0]
    database = settings.DATABASES["default"]
    login = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    tests_database = f"postgres://{login}@{database['HOST']}:{database['PORT']}/{database['NAME']}"

    seen = _run(
        TWO_FACTOR_SIGN_INS,
        member.email,
        PASSWORD,
        secret,
        recovery_code,
        DATABASE_URL=tests_database,
    )

    signed_in = [reverse("mfa_authenticate"), 200, reverse("home"), 200]
    assert seen["answers"] == [signed_in, signed_in]
    assert seen["loaded"] == []
    # the recovery code was used up by the second sign-in
    assert (
        recovery_code
        not in RecoveryCodes(member.authenticator_set.get(type="recovery_codes")).get_unused_codes()
    )


def test_the_deferred_webauthn_module_runs_when_first_used():
    """Were passkeys turned on, the module would load on its first use and work as before,
    and a passkey would still be wrapped by allauth's own class."""
    used = """
import json, sys
import django
django.setup()
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal import auth
before = "fido2" in sys.modules
wrapped = Authenticator(type=Authenticator.Type.WEBAUTHN, data={}).wrap()
print(json.dumps({"before": before, "after": "fido2" in sys.modules,
                  "server": auth.Fido2Server.__name__, "wrapped": type(wrapped).__name__}))
"""
    assert _run(used) == {
        "before": False,
        "after": True,
        "server": "Fido2Server",
        "wrapped": "WebAuthn",
    }
