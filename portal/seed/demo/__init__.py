"""The fictional demo of the embedded default (`make run`, never a real database): its accounts
(`create_demo_accounts`) and the content they make (`create_demo_content`)."""

from .accounts import DEMO_DOMAIN, DemoAccount, create_demo_accounts
from .content import create_demo_content
from .context import DemoContentReport

__all__ = [
    "DEMO_DOMAIN",
    "DemoAccount",
    "DemoContentReport",
    "create_demo_accounts",
    "create_demo_content",
]
