"""What a web worker loads to serve the pages: a library only a rare answer needs is imported
by that answer, not by every worker (each module's code stays in each worker's memory); what
every page needs is loaded once by gunicorn's master (--preload, cssp_portal/wsgi.py) and shared
by the workers it forks."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

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
