"""Which language a piece of content shown on a page is written in, for its `lang` attribute.

WCAG 2.1 (3.1.2, language of parts): a name or a text that exists in one language only must say
so when shown on a page in the other language, so that screen readers pronounce « Sûreté du
Québec » in French on an English page and "First Nations Emergency Services Society" in English
on a French one. Three cases are known:

- a translated field (modeltranslation) whose page-language column is empty and whose other one
  is not: what the page shows is the other language (a fallback, or a template's `|default`);
- the same text in both columns: a name that exists in one language only, copied over (the
  program's seed does this for FNESS, NFPA, the Sûreté du Québec...). Its language is guessed from
  small unambiguous signs (French accents or articles, English function words) and left unsaid
  when there are none ("Interdev Technologies" is read as English, "Sherpa" says nothing);
- content whose language is recorded (a call's document in English only).
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "fr")


class Language(models.TextChoices):
    """The portal's two languages: a member's preferred one, an email's."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
_FRENCH_WORDS = {"de", "du", "des", "la", "le", "les", "et", "aux", "au", "pour", "sur", "d", "l"}
_ENGLISH_WORDS = {"of", "the", "and", "for", "inc", "society", "association", "services", "group"}
_ENGLISH_WORDS |= {"network", "technologies", "chiefs", "interactive", "management", "first"}


def page_language() -> str:
    return (translation.get_language() or "en")[:2]


def other(language: str) -> str:
    return "fr" if language == "en" else "en"


def guess_language(text: str) -> str:
    """'fr', 'en' or '' (no sign either way) for a name that is the same in both columns."""
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    if _FRENCH_LETTERS.search(text) or words & _FRENCH_WORDS:
        return "fr"
    if words & _ENGLISH_WORDS:
        return "en"
    return ""


def text_language(obj, field: str, language: str | None = None) -> str:
    """The language of what is shown for the translated `field` of `obj` on a page in
    `language` (by default the active one): that language, the other one (its column is
    empty), a guess (both columns hold the same text), or '' when unknown or nothing is shown.
    A field that is not translated answers ''."""
    language = language or page_language()
    try:
        obj._meta.get_field(f"{field}_{language}")
    except (AttributeError, FieldDoesNotExist):
        return ""
    here = getattr(obj, f"{field}_{language}", None) or ""
    there = getattr(obj, f"{field}_{other(language)}", None) or ""
    if not here:
        return other(language) if there else ""
    if here.strip() == there.strip():
        return guess_language(here)
    return language


def foreign_language(obj, field: str) -> str:
    """The language of what the page shows for `field` when it is not the page's, else ''."""
    found = text_language(obj, field)
    return found if found and found != page_language() else ""


def foreign_code(code: str | None) -> str:
    """`code` ('en', 'fr', or anything else such as 'both') when it names the page's other
    language, else ''."""
    return code if code in LANGUAGES and code != page_language() else ""
