# Being split by sub-domain: everything still lives in proposal.py.
from .proposal import *  # noqa: F403
