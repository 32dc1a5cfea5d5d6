"""Reading ids and numbers from query strings and forms without ever answering 500."""

# PostgreSQL's bigint: a larger number is not an id of ours (and overflows the column).
_MAX_ID = 2**63 - 1


def id_or_none(value) -> int | None:
    """A positive database id from text, or None for anything else (letters, signs, unicode
    digits, numbers beyond the column): the caller answers 404 or ignores it."""
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= _MAX_ID else None


def pk_or_none(model, value):
    """`value` as a primary key of `model` (integer or UUID), or None when it cannot be one."""
    from django.core.exceptions import ValidationError
    from django.db import models

    field = model._meta.pk
    if isinstance(field, models.AutoField | models.BigAutoField | models.IntegerField):
        return id_or_none(value)
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


# The years a date on the portal may fall in: far enough for history and plans, and clear of
# the calendar's ends (year 1 and 9999), where adding a day or a time zone overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def validate_portal_date(value) -> None:
    """A form validator: dates (and date-times) between FIRST_YEAR and LAST_YEAR."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
        )


def month_or_none(value: str | None):
    """The first day of a month given as YYYY-MM, or None when it is not one the portal shows."""
    import datetime
    import re

    match = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def limit_dates(form) -> None:
    """Give every date and date-time field of `form` the portal's year range."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(validate_portal_date)
