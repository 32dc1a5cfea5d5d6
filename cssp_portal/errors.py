from django.core.exceptions import ValidationError


def first_message(error: ValidationError) -> str:
    """The message to show a person for a service's refusal (flash message)."""
    return error.messages[0] if error.messages else str(error)
