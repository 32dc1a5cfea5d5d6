# Being split by sub-domain: everything still lives in proposals.py.
from .proposals import *  # noqa: F403
