"""The categories of a person's data, one module per app, each listing its own (CATEGORIES)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from members.models import User


@dataclass(frozen=True)
class Category:
    """One kind of a person's data: its key (the JSON key and the CSV file's name), its label and
    its reader, `read(user, seen) -> rows`, one query whatever the number of rows. `seen` carries
    what an earlier category found to a later one (the person's addresses, read with their email
    addresses, for the invitations sent to them)."""

    key: str
    label: object  # lazy text, shown on the page and in the JSON
    read: Callable[[User, dict], Iterable[dict]]
