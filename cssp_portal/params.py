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
