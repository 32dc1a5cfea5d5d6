"""The CSSP program's real data, loaded from portal/seed/cssp.json (`load_cssp`)."""

from .loader import load_cssp, read_data
from .records import LoadReport

__all__ = ["LoadReport", "load_cssp", "read_data"]
