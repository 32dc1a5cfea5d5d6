# Being split by sub-domain: everything still lives in lifecycle.py.
from .lifecycle import *  # noqa: F403
