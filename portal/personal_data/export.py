"""A person's data written out, as one JSON document or as a .zip holding one CSV per category:
each category has its own columns, so one table per category reads in a spreadsheet as the person
expects; a single CSV of category/field/value triples would be complete but unreadable."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.utils import timezone
from django.utils.translation import gettext

from cssp_portal.csv_export import _safe_cell
from members.models import User

from .collect import CATEGORIES


def as_json(user: User, data: dict[str, list[dict]]) -> bytes:
    document = {
        "portal": "CSSP Communities of Practice",
        "generated": timezone.localtime().isoformat(),
        "categories": {
            category.key: {"title": str(category.label), "rows": data[category.key]}
            for category in CATEGORIES
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def as_csv_zip(user: User, data: dict[str, list[dict]]) -> bytes:
    """One CSV per category (UTF-8 with BOM so spreadsheets read the accents), in one .zip;
    an empty category is a file with its title only, so the person sees it was looked at."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, category in enumerate(CATEGORIES, start=1):
            rows = data[category.key]
            text = io.StringIO()
            text.write("\ufeff")
            writer = csv.writer(text)
            if rows:
                header = list(rows[0])
                writer.writerow(header)
                for row in rows:
                    writer.writerow([_safe_cell(_cell(row.get(key))) for key in header])
            else:
                writer.writerow([str(category.label)])
            archive.writestr(f"{number:02d}-{category.key}.csv", text.getvalue())
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value
