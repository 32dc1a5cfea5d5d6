# Being split by sub-domain: everything still lives in attendees.py.
from .attendees import *  # noqa: F403
