"""The CSSP program's real data, loaded from portal/seed/cssp.json (`load_cssp`)."""

from .loader import LoadReport, load_cssp, read_data

__all__ = ["LoadReport", "load_cssp", "read_data"]
