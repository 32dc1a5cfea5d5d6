"""Portal search: one box over communities, events, projects, announcements, discussions and
documents, each as its reader may see them (engine.py); the page (views.py, forms.py)."""

from .engine import fold, search
from .sources import TYPES

__all__ = ["TYPES", "fold", "search"]
