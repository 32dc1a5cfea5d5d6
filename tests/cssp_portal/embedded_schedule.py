"""The scheduler of the embedded default, with the clock moved forward.

Run by tests/cssp_portal/test_make_run.py in its own process on the SQLite file `make run`
left: moves the clock to 1 h 55 min before the event named on the command line, starts the
scheduler thread as runserver does (cssp_portal/devscheduler.py), waits until the event's
2-hour reminder is stamped, and prints (after the emails the console backend printed) one JSON
line: which reminders were sent before and after.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sys
import threading
import time
from contextlib import redirect_stdout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.dev")

import django

django.setup()

import time_machine  # noqa: E402

from cssp_portal import devscheduler  # noqa: E402
from events.models import Event  # noqa: E402


def sent_hours(event: Event) -> list[int]:
    return sorted(
        event.reminders.filter(sent_at__isnull=False).values_list("hours_before", flat=True)
    )


def main(slug: str) -> None:
    event = Event.objects.get(slug=slug)
    before = sent_hours(event)
    printed = io.StringIO()
    stop = threading.Event()
    moment = event.start - datetime.timedelta(hours=1, minutes=55)
    with time_machine.travel(moment, tick=True), redirect_stdout(printed):
        thread = devscheduler.start(stop=stop)
        deadline = time.monotonic() + 120
        while 2 not in sent_hours(event) and time.monotonic() < deadline:
            time.sleep(0.5)
        stop.set()
        thread.join(timeout=30)
    emails = printed.getvalue()
    sys.stdout.write(emails)
    report = {
        "sent_before": before,
        "sent_after": sent_hours(event),
        "reminder_emails": emails.count("Subject: Reminder"),
    }
    sys.stdout.write("\n" + json.dumps(report) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
