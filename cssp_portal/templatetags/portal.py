"""Template helpers every app uses: accessible widgets and localized dates and times."""

import datetime
import functools
import zoneinfo

from django import template
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html

from cssp_portal import languages

register = template.Library()


@register.simple_tag
def field_widget(field):
    """Render a bound field's widget with its help text and errors announced to assistive
    technology (aria-describedby) and its invalid state exposed (aria-invalid)."""
    described_by = []
    attrs = {}
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def error_count(form) -> int:
    """How many error messages a form shows (a field can have several)."""
    return sum(len(errors) for errors in form.errors.values())


def _is_french() -> bool:
    return (translation.get_language() or "en").startswith("fr")


def _shown(value):
    """A moment is shown in the zone it carries (see `in_zone`); one straight from the
    database carries UTC and is shown in the portal's time zone."""
    if isinstance(value, datetime.datetime) and value.tzinfo is datetime.UTC:
        return timezone.localtime(value)
    return value


@register.filter
def long_date(value):
    """ "23 February 2026" / "23 février 2026", "1er février 2026"."""
    if value in (None, ""):
        return ""
    # The text depends on the moment, the zone it carries, the zone it is shown in and the
    # language: each process keeps the latest thousands (lists show the same dates to
    # everyone; a date took 0.06-0.08 ms).
    return _long_date(
        value,
        getattr(value, "tzinfo", None),
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


@functools.lru_cache(maxsize=4096)
def _long_date(value, zone, shown_in: str, language: str | None) -> str:
    value = _shown(value)
    text = date_format(value, "DATE_FORMAT")
    if _is_french() and value.day == 1:
        text = "1er" + text[1:]
    return text


@register.filter
def short_time(value):
    """ "2:30 p.m." / "14 h 30", "9 h 05", "14 h"."""
    if value in (None, ""):
        return ""
    value = _shown(value)
    if _is_french():
        return dateformat.format(value, "G\xa0\\h" if value.minute == 0 else "G\xa0\\h\xa0i")
    return date_format(value, "TIME_FORMAT")


@register.filter
def in_zone(value, zone_name):
    """The moment `value` seen in the given IANA time zone."""
    if not value:
        return value
    return value.astimezone(zoneinfo.ZoneInfo(zone_name))


@register.simple_tag
def filter_fields(form, skip: str = ""):
    """A filter form's visible fields, kept rendered (cssp_portal.forms.kept_fields); `skip`
    names fields left out, separated by spaces."""
    from cssp_portal.forms import kept_fields

    return kept_fields(form, skip.split())


@register.simple_tag
def fragment_seconds() -> int:
    """How long rendered fragments are kept (FRAGMENT_CACHE_SECONDS; 0 keeps none)."""
    from django.conf import settings

    return settings.FRAGMENT_CACHE_SECONDS


# --- Language of parts (WCAG 3.1.2): cssp_portal/languages.py ----------------------------------


def _lang_attribute(language: str):
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def lang_attr(obj, field: str):
    """` lang="en"` inside an element showing `field` of `obj` when that text is in the page's
    other language (a fallback, or a name that exists in one language only), else nothing:
    <a href="..."{{ organization|lang_attr:"name" }}>{{ organization.name }}</a>."""
    return _lang_attribute(languages.foreign_language(obj, field))


@register.filter
def lang_attr_code(code):
    """` lang="fr"` for content recorded in the page's other language ('en' or 'fr'):
    <a ...{{ document.language|lang_attr_code }}>."""
    return _lang_attribute(languages.foreign_code(code))


@register.filter
def text_language(obj, spec: str) -> str:
    """The language of `obj`'s translated field as shown in a given language, for a `lang`
    attribute that is always written: {{ organization|text_language:"name:fr" }}."""
    field, _, language = spec.partition(":")
    return languages.text_language(obj, field, language or None)
