"""What a web worker loads to serve the pages: a library only a rare answer needs is imported
by that answer, not by every worker (each module's code stays in each worker's memory)."""

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
print(json.dumps({name: name in sys.modules for name in ('icalendar', 'events.ics')}))
"""


def test_a_worker_loads_no_icalendar_writer_until_a_calendar_file_is_asked_for():
    """The .ics download and the personal feed import it themselves (tests/events prove they
    answer)."""
    done = subprocess.run(
        [sys.executable, "-c", LOAD],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen == {"icalendar": False, "events.ics": False}
