# Being split by sub-domain: everything still lives in event.py.
from .event import *  # noqa: F403
from .event import _document_path, _feed_token  # noqa: F401 (migrations name them here)
