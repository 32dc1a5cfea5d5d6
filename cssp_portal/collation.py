"""Sorting names the way a reader of the page's language expects.

PostgreSQL's database collation here is C.UTF-8: it sorts by code point, so « Égalité » comes
after « Zèbre » and every capital before every small letter. Lists that people read (communities,
organizations, folders, people, the choices of a select) are ordered with an ICU collation
instead: fr-CA-x-icu on French pages, en-CA-x-icu on English ones (both ship with PostgreSQL
built with ICU: `SELECT collname FROM pg_collation WHERE collname LIKE 'fr%icu'`).

People's names are not translated: they are ordered with the root collation (und-x-icu) in both
languages, so one index (members_directory_order) serves the member directory on every page.

The embedded default (SQLite) gets the same collation names registered on each connection as a
Python comparison (accents and case are secondary: « Eau » < « Égalité » < « Feu »), so the same
queryset runs on both databases.
"""

from __future__ import annotations

import functools
import unicodedata

from django.contrib.auth import get_user_model
from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import F, QuerySet
from django.db.models.functions import Collate
from django.dispatch import receiver
from django.utils import translation

FRENCH = "fr-CA-x-icu"
ENGLISH = "en-CA-x-icu"
# For text in no particular language (people's names): CLDR's root order, what en-CA also uses.
NEUTRAL = "und-x-icu"
COLLATIONS = (FRENCH, ENGLISH, NEUTRAL)


def collation_for(language: str | None = None) -> str:
    """The collation of `language` (by default the active one)."""
    language = (language or translation.get_language() or "en").split("-")[0]
    return FRENCH if language == "fr" else ENGLISH


def _text_field(model, path: str):
    """The model holding the text column `path` ("name", "community__name", "user__last_name")
    ends on, or None when it ends on anything else."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:  # an annotation or a translated column: not a field
            return None
        if field.is_relation:
            model = field.related_model
    text = isinstance(field, (models.CharField, models.TextField)) and not field.choices
    return model if text else None


def _localized(model, path: str) -> str:
    """`path` with a translated field replaced by its column in the active language
    (modeltranslation rewrites names given to order_by, never those inside an expression)."""
    try:
        from modeltranslation.manager import rewrite_lookup_key
    except ImportError:  # pragma: no cover
        return path
    return rewrite_lookup_key(model, path)


def collated(model, path: str, *, collation: str | None = None, descending: bool = False):
    """An ordering expression for `path` of `model` in `collation` (by default the active
    language's)."""
    expression = Collate(F(_localized(model, path)), collation or collation_for())
    return expression.desc() if descending else expression.asc()


def ordering(model, *fields: str, collation: str | None = None) -> list:
    """Arguments for order_by: each text field ("name", "-community__name") collated, any other
    ("pk", "-start", "position") as given. People's names ("user__last_name") take the root
    collation, whatever the language."""
    result = []
    for field in fields:
        path = field.lstrip("-")
        holder = _text_field(model, path)
        if holder is not None:
            chosen = NEUTRAL if holder is get_user_model() else collation
            result.append(collated(model, path, collation=chosen, descending=field.startswith("-")))
        else:
            result.append(field)
    return result


def order_by_name(queryset: QuerySet, *fields: str, collation: str | None = None) -> QuerySet:
    """`queryset.order_by(*fields)` with its text fields in the reader's collation:
    order_by_name(Community.objects.all(), "name")."""
    return queryset.order_by(*ordering(queryset.model, *fields, collation=collation))


def person_ordering(prefix: str = "") -> list:
    """People by last name, first name, then id, in the root collation (the expressions of the
    members_directory_order index): order_by(*person_ordering("user__"))."""
    return [
        Collate(F(f"{prefix}last_name"), NEUTRAL).asc(),
        Collate(F(f"{prefix}first_name"), NEUTRAL).asc(),
        F(f"{prefix}id" if prefix else "id").asc(),
    ]


# The embedded default (SQLite) ------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def sort_key(text: str) -> tuple[str, str, str]:
    """Primary letters first (no accents, no case), then accents, then case: the levels of the
    Unicode collation algorithm, close enough to ICU's for names."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return base, decomposed.casefold(), text


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left or ""), sort_key(right or "")
    return (a > b) - (a < b)


@receiver(connection_created, dispatch_uid="cssp_portal.collation.register_on_sqlite")
def register_on_sqlite(sender, connection, **kwargs):
    """Give each SQLite connection the collations PostgreSQL has, compared in Python."""
    if connection.vendor != "sqlite":
        return
    for name in COLLATIONS:
        connection.connection.create_collation(name, _compare)
