"""Everything the portal holds about one person, for them to download (Privacy Act, right of
access; issue #18, item 9): `personal_data_of` reads it, category by category (CATEGORIES, one
module per app in categories/), and `as_json` or `as_csv_zip` writes it out (export.py).
"""

from .categories import Category
from .collect import CATEGORIES, personal_data_of
from .export import as_csv_zip, as_json

__all__ = ["CATEGORIES", "Category", "as_csv_zip", "as_json", "personal_data_of"]
