# Being split by sub-domain: everything still lives in lifecycle.py.
from .lifecycle import *  # noqa: F403


def modes_of(event):
    """Kept for communities/seed/demo.py (another change is reshaping communities/): read
    `event.registration_modes` instead."""
    return event.registration_modes
