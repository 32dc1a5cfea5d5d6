# Before anything imports them: the modules only a turned-off feature runs
# (cssp_portal/deferred_imports.py).
from .deferred_imports import install as _defer_unused_imports

_defer_unused_imports()

# Load the Celery app whenever Django starts so that @shared_task binds to it.
from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
