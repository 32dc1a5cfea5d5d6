"""The WSGI application, as gunicorn loads it.

gunicorn runs with --preload (docker-compose.yml, tests/bench): its master process imports this
module once, then forks the workers, which share the memory the import filled until they write
to it. So that they seldom do:

- every view module is imported here (the URLs), not by each worker on its first request;
- no connection to the database is left open: a worker would inherit the master's socket;
- what has been loaded is frozen out of the garbage collector's sight (gc.freeze()): a full
  collection no longer walks (and writes to) the import's 180,000 objects in every worker, a
  pause of about 90 ms every few hundred requests, and their pages stay shared;
- large blocks that a worker frees go back to the system (cssp_portal.memory).

Measured by the crowd benchmark (make bench-load, program-scale data, two runs back to back):
each worker's own (private) pages 88 -> 49-52 MiB after the run, its resident set 120-121 ->
103-106 MiB. New code needs a restart of gunicorn, not a reload (HUP): the master keeps the old.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.dev")

application = get_wsgi_application()


def _warm_and_freeze() -> None:
    from django.db import connections
    from django.urls import get_resolver

    from cssp_portal.memory import return_freed_memory

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    connections.close_all()
    return_freed_memory()
    gc.freeze()


_warm_and_freeze()
