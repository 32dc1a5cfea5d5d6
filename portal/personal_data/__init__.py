"""Everything the portal holds about one person, for them to download: `personal_data_of`,
written by `as_json` or `as_csv_zip`, category by category (CATEGORIES)."""

from .categories.knowledge import CATEGORIES, Category, personal_data_of
from .export import as_csv_zip, as_json

__all__ = ["CATEGORIES", "Category", "as_csv_zip", "as_json", "personal_data_of"]
