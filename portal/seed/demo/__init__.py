"""Fictional demo content for the embedded default (`make run`): `create_demo_content`."""

from .events import DemoContentReport, create_demo_content

__all__ = ["DemoContentReport", "create_demo_content"]
