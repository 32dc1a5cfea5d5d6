"""Helpers shared by the test modules: one way to name a page's address and read its text."""

from django.urls import reverse
from django.utils import translation


def url(name: str, /, *args, lang: str = "en", **kwargs) -> str:
    """The path of the named URL under the `lang` prefix (`/en/...`, `/fr/...`).

    Positional arguments fill the pattern's arguments, keyword arguments its named groups:
    `url("events:detail", event.pk, lang="fr")`, `url("organizations:detail", slug=org.slug)`.
    """
    with translation.override(lang):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def page(response) -> str:
    """The response's body as text, to assert what a reader of the page would see."""
    return response.content.decode()


def run_beat(start, end, *, callbacks) -> list[tuple]:
    """Run celery beat's own scheduler over the portal's configured schedule, from `start` to
    `end`, on a frozen clock that jumps from one due entry to the next. Beat starts at `start`,
    so each entry first runs one interval later, as after a restart of `celery beat`.

    Each task beat sends runs in-process (the test settings run tasks eagerly, through the
    JSON round trip a broker would make), then its on-commit work (`callbacks`: the
    django_capture_on_commit_callbacks fixture). Unlike beat, a failing task is not logged and
    skipped: its exception fails the test. Returns (when, task name) of each task sent.
    """
    import time_machine
    from celery.beat import Scheduler
    from django.utils import timezone

    from cssp_portal.celery import app

    app.loader.import_default_modules()  # as a worker does: every app's tasks registered
    sent = []

    class InProcessBeat(Scheduler):
        producer = None  # the tasks run here: no broker connection

        def apply_entry(self, entry, producer=None):
            # beat would hand an unknown name to the broker, for no worker to run
            assert entry.task in app.tasks, f"beat sends {entry.task}, which no worker knows"
            sent.append((timezone.now(), entry.task))
            with callbacks(execute=True):
                self.apply_async(entry, advance=False)

    with time_machine.travel(start, tick=False) as clock:
        beat = InProcessBeat(app=app)
        while timezone.now() < end:
            # tick() sends what is due and says how long to sleep until the next entry; a
            # millisecond at least, as its 10 ms of drift may ask to sleep for nothing.
            clock.shift(max(beat.tick(), 0.001))
    return sent


def statements(captured) -> list[str]:
    """The SQL of each statement a CaptureQueriesContext (or a list of its queries) saw, the
    EXECUTE of a precompiled query's prepared statement read as the query it runs
    (cssp_portal.precompiled.statement_sql), so that a test sees which tables and columns it
    read."""
    from cssp_portal.precompiled import statement_sql

    queries = getattr(captured, "captured_queries", captured)
    return [statement_sql(query["sql"]) for query in queries]
